import AmplemarketAPI
import DispoSandbox
import Foundation
import Testing

/// The request budget at the server: the real binary in tmux, the rep hammering refresh and `G` over the
/// Calls list for more than a minute, and the sandbox counting what ARRIVED in every 60 s window.
@Suite("End to end: the request budget", .serialized)
struct RequestBudgetTests {
    /// The most requests that arrived within any 60 s (`[t, t + 60)`, as the sandbox's limiter counts).
    static func busiestMinute(_ arrivals: [Date]) -> Int {
        let times = arrivals.map(\.timeIntervalSince1970).sorted()
        var best = 0, end = 0
        for start in times.indices {
            while end < times.count, times[end] < times[start] + 60 { end += 1 }
            best = max(best, end - start)
        }
        return best
    }

    @Test("hammering R and G over a large list: no 60 s window at the server holds more than 500 requests")
    func hammeringStaysUnderTheBudget() async throws {
        ReliabilityTests.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let stateDir = try ReliabilityTests.newStateDir()
        let tmux = try TmuxSession(cols: 120, rows: 30, arguments: ["--user", server.workspace.primaryUserEmail],
                                   environment: ReliabilityTests.environment(server, stateDir: stateDir))
        defer { tmux.kill() }
        try await tmux.idle()
        // Every request the sandbox records must be dispo's: wait on the sandbox, not with a client of ours.
        try await ReliabilityTests.poll("dispo's first loads", tmux: tmux) {
            await server.recordedRequests().contains { $0.path == "/tasks" }
        }
        try await tmux.press("2")  // the Calls list, hundreds of calls in pages of 50

        // The rep's hammering: refresh and jump to the end, about 40 keys a second, for 75 s — past the
        // moment the first minute's slots come free again, where arrivals bunch up if paced by sends —
        // and on until more than the budget has arrived (a loaded machine sends more slowly), at most
        // 180 s.
        let started = Date()
        while true {
            let elapsed = Date().timeIntervalSince(started)
            if elapsed >= 180 { break }
            if elapsed >= 75, await server.recordedRequests().count > 520 { break }
            try tmux.tmux("send-keys", "-t", tmux.name, "R", "G", "G", "R", "G", "G")
            try await Task.sleep(for: .milliseconds(150))
        }
        let pid = try tmux.dispoProcess()
        Foundation.kill(pid, SIGKILL)  // nothing more is sent; what was in flight lands
        try await ReliabilityTests.poll("dispo to be gone") { Foundation.kill(pid, 0) != 0 }

        let arrivals = await server.recordedRequests().map(\.receivedAt)
        let busiest = Self.busiestMinute(arrivals)
        print("request budget: \(arrivals.count) requests arrived in \(Int(arrivals.last!.timeIntervalSince(arrivals.first!))) s, at most \(busiest) in one 60 s window")
        #expect(arrivals.count > 500, "the hammering asked for more than the budget (\(arrivals.count) arrived)")
        #expect(busiest <= 500, "\(busiest) requests arrived within one 60 s window")
        let log = (try? String(contentsOfFile: stateDir + "/dispo/dispo.log", encoding: .utf8)) ?? ""
        #expect(log.contains("pacing: waiting before /calls"), "the client held requests back to stay in the budget")
    }
}
