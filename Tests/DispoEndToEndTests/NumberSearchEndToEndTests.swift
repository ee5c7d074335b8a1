import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import Foundation
import PhoneNumbers
import Testing

/// `dispo calls search` finds a contact's calls by their number however the rep types it, whatever
/// spelling each call was stored in (the sandbox stores one number in many), and no other number's.
@Suite("End to end: calls search by a number in any spelling", .serialized)
struct NumberSearchEndToEndTests {
    @Test func aNumberInAnySpellingFindsEveryCallToItAndNoOther() async throws {
        ReliabilityTests.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        let ws = server.workspace
        let client = try AmplemarketClient(configuration: ClientConfiguration(baseURL: server.baseURL, apiKey: SandboxConfiguration.defaultAPIKey))
        var page = try await client.listCalls(CallListQuery(pageSize: 100, userID: ws.primaryUserID))
        var all = page.items
        while let next = page.next { page = try await client.calls(at: next); all += page.items }
        await client.shutdown()
        /// The ids of the calls to or from `number`: a stored spelling is read in the rep's region (PT, where
        /// `00` is the international prefix), and a North American national one (`(415) 555-0142`) in the US.
        func calls(of number: String) -> Set<String> {
            Set(all.filter { c in
                [c.to, c.from].contains { stored in
                    guard let stored else { return false }
                    return PhoneNumbers.sameNumber(stored, number, defaultRegion: "PT") || PhoneNumbers.sameNumber(stored, number, defaultRegion: "US")
                }
            }.map(\.id))
        }
        let jose = calls(of: "+14155550142"), ines = calls(of: "+351912345678")
        let spellings = Set(all.filter { jose.contains($0.id) }.compactMap(\.to))
        #expect(spellings.count >= 3, "the sandbox stores the number in several spellings: \(spellings)")

        var env = ReliabilityTests.environment(server, stateDir: try ReliabilityTests.newStateDir())
        env["TZ"] = "UTC"
        let sync = try await LogCommandTests.dispo(["sync", "--user", ws.primaryUserEmail], environment: env)
        #expect(sync.status == 0, "\(sync.output)")
        func found(_ typed: String) async throws -> Set<String> {
            let r = try await LogCommandTests.dispo(["calls", "search", typed, "--json", "--limit", "1000", "--user", ws.primaryUserEmail],
                                                    environment: env)
            #expect(r.status == 0, "\(r.output)")
            let start = r.output.firstIndex(of: "[") ?? r.output.startIndex
            let list = try JSONSerialization.jsonObject(with: Data(r.output[start...].utf8)) as? [[String: Any]] ?? []
            return Set(list.compactMap { $0["id"] as? String })
        }
        for typed in ["(415) 555-0142", "4155550142", "415-555-0142", "+1 415 555 0142", "0014155550142"] {
            let got = try await found(typed)
            let wrong = all.filter { got.symmetricDifference(jose).contains($0.id) }
                .map { "\(jose.contains($0.id) ? "missed" : "extra") \($0.to ?? "-")" }
            #expect(got == jose, "\(typed): \(wrong) of \(jose.count)")
        }
        #expect(try await found("912 345 678") == ines)
        #expect(!jose.isEmpty && !ines.isEmpty)
        await server.shutdown()
    }
}
