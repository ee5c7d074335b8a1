import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import Foundation
import Testing

/// The local history as a rep meets it: the real binary in tmux mirrors the whole history at start, `/`
/// finds a word from calls deep in it with the true count, the Stats tab counts what the server holds,
/// and with the server then stopped the TUI and `dispo calls search` / `dispo stats` still answer.
@Suite("End to end: the local history", .serialized)
struct HistoryEndToEndTests {
    /// The words of a call a search can find (contact, e-mail, notes, transcription), lower-cased.
    static func words(_ c: Call) -> [String] {
        [c.contact?.name, c.contact?.email, c.notes, c.transcription].compactMap { $0 }.joined(separator: " ").lowercased()
            .split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    @Test func searchAndStatsCoverTheWholeHistoryAlsoOffline() async throws {
        ReliabilityTests.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        let ws = server.workspace
        let client = try AmplemarketClient(configuration: ClientConfiguration(baseURL: server.baseURL, apiKey: SandboxConfiguration.defaultAPIKey))
        var page = try await client.listCalls(CallListQuery(pageSize: 100, userID: ws.primaryUserID))
        var all = page.items
        while let next = page.next { page = try await client.calls(at: next); all += page.items }
        await client.shutdown()
        // A word of the notes or transcriptions whose newest call is older than the first pages (60 days),
        // and which no disposition name begins with.
        let dispositionWords = ["no", "answer", "left", "voicemail", "busy", "wrong", "number", "interested", "not", "meeting", "booked", "call", "back"]
        let old = all.filter { ($0.startDate ?? .distantFuture) < Date().addingTimeInterval(-60 * 86_400) }
        let candidates = Set(old.flatMap(Self.words)).filter { w in
            w.count >= 6 && w.allSatisfy(\.isASCII) && !dispositionWords.contains { $0.hasPrefix(w) }
        }
        let word = try #require(candidates.sorted().first { w in
            let matching = all.filter { Self.words($0).contains { $0.hasPrefix(w) } }
            return !matching.isEmpty && matching.allSatisfy { ($0.startDate ?? .distantFuture) < Date().addingTimeInterval(-60 * 86_400) }
        }, "a word found only in calls older than 60 days")
        let expected = all.filter { Self.words($0).contains { $0.hasPrefix(word) } }.count
        let monthStart = Calendar(identifier: .gregorian).startOfDay(for: Date()).addingTimeInterval(-29 * 86_400)  // UTC
        let monthDials = all.filter { ($0.startDate ?? .distantPast) >= monthStart }.count

        let state = try ReliabilityTests.newStateDir()
        var env = ReliabilityTests.environment(server, stateDir: state)
        env["TZ"] = "UTC"
        var tmux = try TmuxSession(cols: 100, rows: 30, arguments: ["--user", ws.primaryUserEmail], environment: env)
        try await tmux.idle()
        try await ReliabilityTests.poll("the whole history mirrored", tmux: tmux) { tmux.capture().contains("Calls \(all.count)") }
        try await tmux.press("2", "/")
        try await tmux.typeText(word)
        try await tmux.press("Enter")
        try await ReliabilityTests.poll("\(expected) calls found for \(word)", tmux: tmux) { tmux.capture().contains("[2 Calls \(expected)]") }
        try await tmux.press("4", "m")
        try await ReliabilityTests.poll("\(monthDials) dials in 30 days", tmux: tmux) {
            tmux.capture().range(of: #"Dials\s+\#(monthDials)\b"#, options: .regularExpression) != nil
        }
        tmux.kill()

        // The server goes away: the TUI starts offline and still finds the word; the scripts answer too.
        await server.shutdown()
        tmux = try TmuxSession(cols: 100, rows: 30, arguments: ["--user", ws.primaryUserEmail], environment: env)
        defer { tmux.kill() }
        try await ReliabilityTests.poll("the offline header", tmux: tmux, timeout: 60) { tmux.capture().contains("offline") }
        try await tmux.press("2", "/")
        try await tmux.typeText(word)
        try await ReliabilityTests.poll("\(expected) calls found offline", tmux: tmux) { tmux.capture().contains("Calls \(expected)]") }

        let search = try await LogCommandTests.dispo(["calls", "search", word, "--json", "--limit", "1000", "--user", ws.primaryUserEmail],
                                                     environment: env)
        #expect(search.status == 0, "\(search.output)")
        let jsonStart = search.output.firstIndex(of: "[") ?? search.output.startIndex
        let found = try JSONSerialization.jsonObject(with: Data(search.output[jsonStart...].utf8)) as? [[String: Any]]
        #expect(found?.count == expected, "\(search.output.prefix(400))")
        let stats = try await LogCommandTests.dispo(["stats", "--period", "month", "--json", "--user", ws.primaryUserEmail], environment: env)
        #expect(stats.status == 0 && stats.output.contains("\"dials\" : \(monthDials)"), "\(stats.output.prefix(600))")
    }

    /// `dispo sync` alone, on a new state directory, saves the users and dispositions it read: `dispo calls
    /// search` then sends no request, and with the server stopped `dispo stats` names each call's
    /// disposition instead of "Unknown disposition".
    @Test func statsAfterSyncAloneNameTheDispositionsOffline() async throws {
        ReliabilityTests.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        let ws = server.workspace
        let client = try AmplemarketClient(configuration: ClientConfiguration(baseURL: server.baseURL, apiKey: SandboxConfiguration.defaultAPIKey))
        let names = try await client.dispositions().compactMap(\.name)
        await client.shutdown()
        let env = ReliabilityTests.environment(server, stateDir: try ReliabilityTests.newStateDir())
        let sync = try await LogCommandTests.dispo(["sync", "--user", ws.primaryUserEmail], environment: env)
        #expect(sync.status == 0 && sync.output.contains("the whole history"), "\(sync.output)")
        // Reading the local history asks the server nothing once the rep is known.
        let before = await server.recordedRequests().count
        let local = try await LogCommandTests.dispo(["calls", "search", "the", "--limit", "1", "--user", ws.primaryUserEmail], environment: env)
        #expect(local.status == 0, "\(local.output)")
        #expect(await server.recordedRequests().count == before, "dispo calls search sent a request")
        await server.shutdown()

        let stats = try await LogCommandTests.dispo(["stats", "--period", "month", "--json", "--user", ws.primaryUserEmail], environment: env)
        #expect(stats.status == 0, "\(stats.output)")
        let jsonStart = stats.output.firstIndex(of: "{") ?? stats.output.startIndex
        let object = try JSONSerialization.jsonObject(with: Data(stats.output[jsonStart...].utf8)) as? [String: Any]
        let byDisposition = try #require(object?["by_disposition"] as? [String: Int], "\(stats.output.prefix(600))")
        #expect(byDisposition["Unknown disposition"] == nil, "\(byDisposition)")
        #expect(byDisposition.keys.contains { names.contains($0) }, "\(byDisposition) against \(names)")
    }
}
