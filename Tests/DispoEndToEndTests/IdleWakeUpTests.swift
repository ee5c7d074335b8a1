import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import Foundation
import Testing

/// An idle dispo sleeps: the binary in tmux against a sandbox in this process. After start-up, a paced
/// history sync (which waits between pages) and the Calls tab, dispo runs no thread of libdispatch's
/// worker pool, whose monitor would wake the process every second from then on. With
/// `DISPO_EXECUTOR=dispatch` (Swift concurrency left on that pool) the same steps start it, so the check
/// can fail. How often an idle dispo wakes is measured by `scripts/bench-keystroke.py --idle`.
@Suite("End to end: an idle dispo sleeps", .serialized)
struct IdleWakeUpTests {
    /// The threads of `pid` that libdispatch's pool runs: it names them after their root queue
    /// (`com.apple.root.default-qos`, `….overcommit`), cut to their last 15 characters.
    static func dispatchPoolThreads(_ pid: pid_t) -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { tid in
            (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }.filter { $0.contains("qos") }
    }

    /// Starts dispo with `extra` in its environment, lets it mirror the history at 4 requests a second
    /// and shows the Calls tab; answers the process's libdispatch pool threads, and its id.
    static func threadsAfterASyncAndTheCallsTab(_ server: SandboxServer, calls: Int, extra: [String: String]) async throws
        -> (pool: [String], pid: pid_t) {
        var env = ReliabilityTests.environment(server, stateDir: try ReliabilityTests.newStateDir())
        env["DISPO_HISTORY_PACE"] = "4/1"
        env.merge(extra) { $1 }
        let tmux = try TmuxSession(cols: 100, rows: 30, arguments: ["--user", server.workspace.primaryUserEmail], environment: env)
        defer { tmux.kill() }
        try await tmux.idle(timeout: 60)
        try await ReliabilityTests.waitForTasks(tmux, server: server)
        try await ReliabilityTests.poll("the whole history mirrored", tmux: tmux, timeout: 60) { tmux.capture().contains("Calls \(calls)") }
        try await tmux.press("2")
        try await ReliabilityTests.poll("the Calls list", tmux: tmux) { tmux.capture().contains("[2 Calls") }
        let pid = try tmux.dispoProcess()
        return (dispatchPoolThreads(pid), pid)
    }

    @Test("no libdispatch pool thread after a paced sync; with DISPO_EXECUTOR=dispatch there is one")
    func noDispatchPoolThread() async throws {
        ReliabilityTests.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let client = try AmplemarketClient(configuration: ClientConfiguration(baseURL: server.baseURL, apiKey: SandboxConfiguration.defaultAPIKey))
        var page = try await client.listCalls(CallListQuery(pageSize: 100, userID: server.workspace.primaryUserID))
        var calls = page.items.count
        var pages = 1
        while let next = page.next { page = try await client.calls(at: next); calls += page.items.count; pages += 1 }
        await client.shutdown()
        // More pages than the pace allows in a second: the sync waits between them.
        #expect(pages > 4, "the sandbox rep's history takes \(pages) pages")

        let onLoops = try await Self.threadsAfterASyncAndTheCallsTab(server, calls: calls, extra: [:])
        #expect(onLoops.pool.isEmpty, "dispo \(onLoops.pid) runs libdispatch pool threads: \(onLoops.pool)")
        let onDispatch = try await Self.threadsAfterASyncAndTheCallsTab(server, calls: calls, extra: ["DISPO_EXECUTOR": "dispatch"])
        #expect(!onDispatch.pool.isEmpty, "with DISPO_EXECUTOR=dispatch, dispo \(onDispatch.pid) should run libdispatch's pool")
    }
}
