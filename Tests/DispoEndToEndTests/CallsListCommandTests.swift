import DispoSandbox
import Foundation
import Testing

/// `dispo calls list` and `dispo calls search` from a script: whose calls, and the limit's checks.
@Suite("dispo calls list from a script")
struct CallsListCommandTests {
    @Test func withNoRepKnownItRefusesLikeTasksAndAllUsersListsEveryones() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let ws = server.workspace
        let state = NSTemporaryDirectory() + "dispo-calls-\(UUID().uuidString)"
        let env = ["AMPLEMARKET_API_KEY": SandboxConfiguration.defaultAPIKey, "AMPLEMARKET_BASE_URL": server.baseURL,
                   "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state + "/config", "HOME": state]

        let refused = try await LogCommandTests.dispo(["calls", "list", "--limit", "5"], environment: env)
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.contains("pass --user EMAIL or --all-users"), "\(refused.output)")
        #expect(await server.recordedRequests().filter { $0.path == "/calls" }.isEmpty, "calls were asked for")

        let everyone = try await LogCommandTests.dispo(["calls", "list", "--all-users", "--json", "--limit", "100"], environment: env)
        #expect(everyone.status == 0, "\(everyone.output)")
        let calls = try JSONSerialization.jsonObject(with: Data(everyone.output[(everyone.output.firstIndex(of: "[") ?? everyone.output.startIndex)...].utf8)) as? [[String: Any]]
        let owners = Set((calls ?? []).compactMap { $0["user_id"] as? String })
        #expect(owners.count > 1, "only \(owners) among \(calls?.count ?? 0) calls")

        let own = try await LogCommandTests.dispo(["calls", "list", "--user", ws.primaryUserEmail, "--json", "--limit", "20"], environment: env)
        #expect(own.status == 0, "\(own.output)")
        let other = try #require(owners.first { $0 != ws.primaryUserID })
        #expect(own.output.contains(ws.primaryUserID) && !own.output.contains(other), "\(own.output.prefix(400))")
    }

    @Test(arguments: [["calls", "list", "--limit", "-1"], ["calls", "search", "pricing", "--limit", "-1"], ["calls", "list", "--limit", "0"]])
    func aLimitBelowOneSaysItMustBePositive(_ arguments: [String]) async throws {
        let state = NSTemporaryDirectory() + "dispo-calls-\(UUID().uuidString)"
        let result = try await LogCommandTests.dispo(arguments, environment: ["XDG_STATE_HOME": state, "HOME": state, "XDG_CONFIG_HOME": state])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains("--limit must be a positive number of calls"), "\(result.output)")
    }
}
