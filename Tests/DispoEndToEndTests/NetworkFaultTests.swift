import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import Foundation
import Testing

/// Exactly once against a server that is not well behaved, through the real binary in tmux and the
/// sandbox's faults, counting the calls that ARRIVE at the sandbox: a clock hours off while the POST's
/// answer is lost, `Retry-After` as a date in a fast clock, a 503 on every other request.
@Suite("End to end: network faults", .serialized)
struct NetworkFaultTests {
    /// dispo against `server`, at the Tasks list, its state under a fresh directory.
    /// dispo in tmux against `server`; `config`, when given, is its `config.toml`.
    static func start(_ server: SandboxServer, config: String? = nil) async throws -> TmuxSession {
        ReliabilityTests.preconditions()
        let stateDir = try ReliabilityTests.newStateDir()
        var environment = ReliabilityTests.environment(server, stateDir: stateDir)
        if let config {
            try FileManager.default.createDirectory(atPath: stateDir + "/config/dispo", withIntermediateDirectories: true)
            try config.write(toFile: stateDir + "/config/dispo/config.toml", atomically: true, encoding: .utf8)
            environment["XDG_CONFIG_HOME"] = stateDir + "/config"
        }
        let tmux = try TmuxSession(cols: ReliabilityTests.size.cols, rows: ReliabilityTests.size.rows,
                                   arguments: ["--user", server.workspace.primaryUserEmail],
                                   environment: environment)
        try await tmux.idle()
        try await ReliabilityTests.waitForTasks(tmux, server: server)
        return tmux
    }

    /// Opens the log form on the first task and fills it (duration `duration`, "Left voicemail"); the app
    /// is idle afterwards.
    static func fillForm(_ tmux: TmuxSession, duration: String) async throws {
        try await tmux.press("1")
        try await tmux.press("Enter")
        try await ReliabilityTests.fillDurationAndVoicemail(tmux, duration: duration)
    }

    /// The calls of `seconds` in the workspace that are not among `seeded` (its calls before the test),
    /// whatever their start (stamped in the server's clock).
    static func calls(_ server: SandboxServer, seconds: Int, besides seeded: Set<String>) async -> [SandboxCall] {
        await server.workspace.calls().filter { !seeded.contains($0.id) && $0.duration == seconds }
    }

    static func seeded(_ server: SandboxServer) async -> Set<String> {
        Set(await server.workspace.calls().map(\.id))
    }

    static func posts(_ server: SandboxServer) async -> [RecordedRequest] {
        await server.recordedRequests().filter { $0.method == "POST" && $0.path == "/calls" }
    }

    /// The Outbox tab shows the log sent and nothing left to send.
    static func waitForSent(_ tmux: TmuxSession, timeout: Double) async throws {
        try await tmux.press("3")
        try await ReliabilityTests.poll("the log sent", tmux: tmux, timeout: timeout) {
            let screen = tmux.capture()
            return screen.contains("sent") && !screen.contains("pending") && !screen.contains("sending")
                && !screen.contains("NEEDS ATTENTION")
        }
    }

    @Test("the POST's answer lost by a server whose clock is 5 h off: found by the look-up, not sent twice",
          arguments: [5 * 3600.0, -5 * 3600.0])
    func skewedServerDropsTheAnswer(skew: Double) async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(faults: SandboxFaults(clockSkewSeconds: skew)))
        defer { Task { await server.shutdown() } }
        let seeded = await Self.seeded(server)
        let tmux = try await Self.start(server)
        defer { tmux.kill() }
        try await Self.fillForm(tmux, duration: "2:11")
        await server.setFaults(SandboxFaults(dropAfterProcessingNext: 1, clockSkewSeconds: skew))
        try await tmux.press("C-s")
        // The look-up waits 15 s for the lost POST to settle.
        try await Self.waitForSent(tmux, timeout: 60)
        #expect(await Self.posts(server).count == 1, "found by the look-up, not sent again")
        #expect(await Self.calls(server, seconds: 131, besides: seeded).count == 1, "exactly one call arrived")
        let requests = await server.recordedRequests()
        let post = try #require(requests.firstIndex { $0.method == "POST" })
        #expect(requests[(post + 1)...].contains { $0.path == "/calls" && ($0.query ?? "").contains("start_date_from") })
    }

    @Test("429 with Retry-After as an HTTP date from a server 2 h fast: the log waits the server's seconds, and says so")
    func retryAfterDateFromAFastServer() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(faults: SandboxFaults(clockSkewSeconds: 7200)))
        defer { Task { await server.shutdown() } }
        let seeded = await Self.seeded(server)
        // The one 429 is kept for the POST: the history sync and the queue's next pages may still be
        // reading. The cursor stays on the task after the log, so no look-up follows it either.
        let tmux = try await Self.start(server, config: "advance = false\n")
        defer { tmux.kill() }
        try await Self.fillForm(tmux, duration: "2:12")
        await server.setFaults(SandboxFaults(rateLimitNext: 1, retryAfterSeconds: 3, rateLimitMethods: ["POST"],
                                                   clockSkewSeconds: 7200, retryAfterAsDate: true))
        // Not `press`, which waits for the idle signal: while the outbox is busy that can come only after
        // the second POST, when "Logged" has replaced the wait on the status line.
        try tmux.send("C-s", wait: false)
        // Said by the outbox ("Amplemarket asked to wait 3 s"), or, when a history-sync read that the
        // 429 held back speaks after it, by the client's pacing ("Waiting 3 s to stay under…"): either
        // way in the server's seconds.
        let phrases = ["Amplemarket asked to wait", "to stay under Amplemarket's rate limit"]
        var told = ""
        try await ReliabilityTests.poll("the wait told", tmux: tmux, timeout: 20) {
            told = tmux.capture().split(separator: "\n").first { line in phrases.contains { line.contains($0) } }
                .map(String.init) ?? ""
            return !told.isEmpty
        }
        #expect(["wait 3 s", "wait 4 s", "Waiting 2 s", "Waiting 3 s", "Waiting 4 s"].contains { told.contains($0) },
                "the server's 3 s, not two hours: \(told)")
        try await ReliabilityTests.poll("the second POST", tmux: tmux, timeout: 20) { await Self.posts(server).count >= 2 }
        let posts = await Self.posts(server)
        let gap = posts[1].receivedAt.timeIntervalSince(posts[0].receivedAt)
        #expect(gap >= 2.5 && gap < 10, "waited \(gap) s")
        try await Self.waitForSent(tmux, timeout: 20)
        #expect(await Self.posts(server).count == 2)
        #expect(await Self.calls(server, seconds: 132, besides: seeded).count == 1)
    }

    @Test("503 on every other request, the POST on a failing slot: the log still arrives once")
    func every503OnEveryOtherRequest() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let seeded = await Self.seeded(server)
        let tmux = try await Self.start(server)
        defer { tmux.kill() }
        try await Self.fillForm(tmux, duration: "2:13")
        await server.setFaults(SandboxFaults(failEveryNth: 2))
        // Request 1 (answered) is ours, so dispo's POST is request 2: refused.
        let client = try AmplemarketClient(configuration: ClientConfiguration(
            baseURL: server.baseURL, apiKey: SandboxConfiguration.defaultAPIKey, retry: .none))
        _ = try await client.probe()
        await client.shutdown()
        try await tmux.press("C-s")
        try await Self.waitForSent(tmux, timeout: 40)
        #expect(await Self.posts(server).count == 2, "the refused POST (created nothing), then the one that created the call")
        #expect(await Self.calls(server, seconds: 133, besides: seeded).count == 1, "exactly one call arrived")
    }
}
