import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import Foundation
import Testing

/// Never lose a call log, through the real binary in tmux against a sandbox in
/// this process whose faults the tests set (`SandboxServer.setFaults`):
/// (a) server down: three logs queue, then arrive exactly once, in order, when it is back;
/// (b) SIGKILL right after submitting: on restart the log is found or sent, never duplicated, never lost;
/// (c) SIGHUP while typing notes: the draft comes back field for field and the terminal modes are as before.
@Suite("End to end: reliability", .serialized)
struct ReliabilityTests {
    static let size = (cols: 120, rows: 30)

    /// Environment pointing dispo at `server`, with the store under `stateDir` (shared across restarts).
    static func environment(_ server: SandboxServer, stateDir: String) -> [String: String] {
        ["AMPLEMARKET_API_KEY": SandboxConfiguration.defaultAPIKey, "AMPLEMARKET_BASE_URL": server.baseURL,
         "XDG_STATE_HOME": stateDir]
    }

    static func newStateDir() throws -> String {
        let dir = NSTemporaryDirectory() + "dispo-e2e-state-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func preconditions() {
        #expect(TmuxSession.tmuxAvailable, "tmux is needed for the end-to-end tests (apt-get install tmux)")
        #expect(FileManager.default.isExecutableFile(atPath: TmuxSession.binary), "dispo binary missing at \(TmuxSession.binary)")
    }

    /// Waits until the Tasks list shows its first task (the app loaded users and tasks).
    static func waitForTasks(_ tmux: TmuxSession, server: SandboxServer) async throws {
        let ws = server.workspace
        let client = try AmplemarketClient(configuration: ClientConfiguration(baseURL: server.baseURL, apiKey: SandboxConfiguration.defaultAPIKey))
        let first = try await client.listTasks(TaskListQuery(userID: ws.primaryUserID, type: "phone_call", status: "scheduled"))
        await client.shutdown()
        let name = String((first.items.first?.contact?.name ?? "").prefix(6))
        try await poll("the first task listed", tmux: tmux) { tmux.capture().contains(name) }
    }

    /// Polls `condition` every 50 ms until it holds; fails after `timeout` seconds, showing the screen.
    /// Waits until the Tasks tab counts the whole queue ("Tasks 38", not "Tasks 20+"): the next pages are
    /// loaded only while the Tasks tab shows, so a session that leaves it before the first page arrives
    /// keeps "20+", and its screens differ from those of one that did not.
    static func waitForTheWholeQueue(_ tmux: TmuxSession) async throws {
        try await poll("the whole task queue", tmux: tmux) {
            let tabs = tmux.capture().split(separator: "\n").dropFirst().first ?? ""
            // "[1 Tasks 38]" while selected, " 1 Tasks 38 " otherwise; "Tasks 20+" while paging.
            return tabs.range(of: #"Tasks \d+[ \]]"#, options: .regularExpression) != nil
        }
    }

    static func poll(_ what: String, tmux: TmuxSession? = nil, timeout: Double = 30, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if await condition() { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw HarnessError("timed out (\(timeout) s) waiting for \(what); screen:\n\(tmux?.capture() ?? "")")
    }

    /// The `POST /calls` the sandbox received, as JSON objects, oldest first.
    static func postedBodies(_ server: SandboxServer) async -> [[String: Any]] {
        await server.recordedRequests().filter { $0.method == "POST" && $0.path == "/calls" }.compactMap { r in
            r.body.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }

    /// Calls created by the API (external) since `since` with `duration` seconds.
    static func created(_ server: SandboxServer, duration: Int, since: Date) async -> [SandboxCall] {
        await server.workspace.calls().filter { $0.external && $0.duration == duration && $0.startDate >= since.addingTimeInterval(-1) }
    }

    /// The label of the log form's focused field (the row marked `▸`), without the required mark.
    static func focusedField(_ screen: String) -> String? {
        for row in screen.split(separator: "\n") where row.hasPrefix("▸") {
            return row.dropFirst(2).prefix(15).replacingOccurrences(of: "*", with: "").trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// Moves the log form's focus to the field labelled `label` with Tab (reading the marked row).
    static func focus(_ tmux: TmuxSession, _ label: String) async throws {
        for _ in 0..<12 {
            if focusedField(tmux.capture()) == label { return }
            try await tmux.press("Tab")
        }
        throw HarnessError("cannot focus \(label); screen:\n\(tmux.capture())")
    }

    /// Replaces the text of the form field `label` with `value`, typed.
    static func set(_ tmux: TmuxSession, _ label: String, _ value: String) async throws {
        try await focus(tmux, label)
        try await tmux.press("C-u")
        try await tmux.typeText(value)
    }

    /// In an open log form: types the duration and picks the second disposition ("Left voicemail",
    /// keeps the task open).
    static func fillDurationAndVoicemail(_ tmux: TmuxSession, duration: String) async throws {
        try await set(tmux, "Duration", duration)
        try await focus(tmux, "Disposition")
        try await tmux.press("Enter")    // picker
        try await tmux.press("2")        // Left voicemail
        #expect(tmux.capture().contains("Left voicemail"), "disposition chosen:\n\(tmux.capture())")
    }

    // MARK: (a)

    @Test("(a) server down: 3 logs queue, then arrive exactly once, in order")
    func downThenBack() async throws {
        Self.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let stateDir = try Self.newStateDir()
        let tmux = try TmuxSession(cols: Self.size.cols, rows: Self.size.rows,
                                   arguments: ["--user", server.workspace.primaryUserEmail],
                                   environment: Self.environment(server, stateDir: stateDir))
        defer { tmux.kill() }
        try await tmux.idle()
        try await Self.waitForTasks(tmux, server: server)
        let since = Date()

        await server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        try await tmux.press("1")
        let numbers = ["+1 415 555 0101", "+1 415 555 0102", "+1 415 555 0103"]
        for i in 0..<3 {
            if i > 0 { try await tmux.press("j") }
            try await tmux.press("Enter")
            try await Self.set(tmux, "To", numbers[i])
            try await Self.set(tmux, "From", "+1 650 555 0199")
            try await Self.fillDurationAndVoicemail(tmux, duration: "1:0\(i + 1)")
            try await tmux.press("C-s")
        }
        try await Self.poll("3 queued, offline, in the header", tmux: tmux) {
            let top = tmux.capture().split(separator: "\n").first.map(String.init) ?? ""
            return top.contains("3 queued") && top.contains("offline")
        }
        try await tmux.press("3")  // Outbox tab
        let outbox = tmux.capture()
        #expect(outbox.components(separatedBy: "pending").count - 1 == 3, "three pending entries:\n\(outbox)")
        #expect(await Self.postedBodies(server).isEmpty, "nothing reached the server while it was down")

        await server.setFaults(SandboxFaults())
        try await Self.poll("three POST /calls", tmux: tmux) { await Self.postedBodies(server).count >= 3 }
        try await Self.poll("the header back online with nothing queued", tmux: tmux) {
            let top = tmux.capture().split(separator: "\n").first.map(String.init) ?? ""
            return top.contains("online") && !top.contains("queued")
        }
        let bodies = await Self.postedBodies(server)
        #expect(bodies.count == 3, "exactly three POSTs: \(bodies)")
        #expect(bodies.compactMap { $0["duration"] as? Int } == [61, 62, 63], "in the order logged")
        #expect(bodies.compactMap { $0["to"] as? String } == numbers.map { "+" + $0.filter(\.isNumber) }, "E.164 on the wire")
        for d in [61, 62, 63] {
            #expect(await Self.created(server, duration: d, since: since).count == 1, "one call of \(d) s in the workspace")
        }
        let final = tmux.capture()
        #expect(final.components(separatedBy: "sent").count - 1 >= 3, "the Outbox shows them sent:\n\(final)")
    }

    // MARK: (b)

    /// How the POST in flight is cut off by SIGKILL.
    enum KillCase: String, CustomStringConvertible, CaseIterable {
        /// The POST reached the server (which creates the call after 4 s of latency): found on restart.
        case postInFlight
        /// The server was down: the POST never got through; re-sent on restart.
        case serverDown
        var description: String { rawValue }
    }

    @Test("(b) SIGKILL right after submitting: found or sent on restart, exactly once", arguments: KillCase.allCases)
    func killedMidSend(_ kill: KillCase) async throws {
        Self.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let stateDir = try Self.newStateDir()
        let env = Self.environment(server, stateDir: stateDir)
        let args = ["--user", server.workspace.primaryUserEmail]
        let first = try TmuxSession(cols: Self.size.cols, rows: Self.size.rows, arguments: args, environment: env)
        defer { first.kill() }
        try await first.idle()
        try await Self.waitForTasks(first, server: server)
        let since = Date()
        try await first.press("1")
        try await first.press("Enter")  // numbers pre-filled from the contact's calls; focus on Duration
        try await Self.fillDurationAndVoicemail(first, duration: "2:07")
        let pid = try first.dispoProcess()

        switch kill {
        case .postInFlight:
            await server.setFaults(SandboxFaults(latencyMilliseconds: 4000))
            try first.send("C-s", wait: false)
            try await Self.poll("the POST to arrive", tmux: first) { !(await Self.postedBodies(server).isEmpty) }
            Foundation.kill(pid, SIGKILL)
            // The server finishes the request anyway: the call exists, its answer was never read.
            try await Self.poll("the call to be created") { !(await Self.created(server, duration: 127, since: since).isEmpty) }
        case .serverDown:
            await server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
            try await first.press("C-s")
            try await Self.poll("the log queued", tmux: first) {
                first.capture().split(separator: "\n").first?.contains("1 queued") == true
            }
            Foundation.kill(pid, SIGKILL)
            #expect(await Self.postedBodies(server).isEmpty)
        }
        try await Self.poll("dispo to be gone") { Foundation.kill(pid, 0) != 0 }
        first.kill()
        await server.setFaults(SandboxFaults())
        await server.clearRecordedRequests()

        let second = try TmuxSession(cols: Self.size.cols, rows: Self.size.rows, arguments: args, environment: env)
        defer { second.kill() }
        try await second.idle()
        try await second.press("3")
        // An interrupted POST is uncertain from its start: looked for 30 s (its timeout) + 15 s (the
        // settle time) after it was sent, not at once.
        try await Self.poll("the log to be sent or found", tmux: second, timeout: 75) {
            let screen = second.capture()
            return screen.contains("sent") && !screen.contains("pending") && !screen.contains("sending")
        }
        let posts = await Self.postedBodies(server)
        switch kill {
        case .postInFlight:
            #expect(posts.isEmpty, "found by the look-up, not sent again: \(posts)")
            let lookups = await server.recordedRequests().filter { $0.method == "GET" && $0.path == "/calls" && ($0.query ?? "").contains("start_date_from") }
            #expect(!lookups.isEmpty, "the restart looked for the call first")
        case .serverDown:
            #expect(posts.count == 1, "sent once on restart: \(posts)")
        }
        #expect(await Self.created(server, duration: 127, since: since).count == 1, "exactly one call in the workspace")
    }

    // MARK: (c)

    @Test("(c) SIGHUP while typing notes: the draft comes back field for field; terminal modes restored")
    func hangupWhileTyping() async throws {
        Self.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let stateDir = try Self.newStateDir()
        let env = Self.environment(server, stateDir: stateDir)
        let args = ["--user", server.workspace.primaryUserEmail]
        let sttyDir = try Self.newStateDir()
        let before = sttyDir + "/stty-before", after = sttyDir + "/stty-after"
        let first = try TmuxSession(cols: Self.size.cols, rows: Self.size.rows, arguments: args, environment: env,
                                    pane: { dispo in
            "stty -a > \(shellQuote(before)); \(dispo); echo EXITED:$?; stty -a > \(shellQuote(after)).tmp && mv \(shellQuote(after)).tmp \(shellQuote(after)); sleep 30"
        })
        defer { first.kill() }
        try await first.idle()
        try await Self.waitForTasks(first, server: server)
        try await first.press("1")
        try await first.press("Enter")
        try await Self.fillDurationAndVoicemail(first, duration: "1:35")
        try await Self.set(first, "Notes", "Asked to call back Friday")
        let typed = Self.formRows(first.capture())
        #expect(typed.contains { $0.hasPrefix("Notes") && $0.contains("Asked to call back Friday") }, "notes typed:\n\(first.capture())")

        let pid = try first.dispoProcess()
        Foundation.kill(pid, SIGHUP)
        try await Self.poll("dispo \(pid) to exit and stty -a to run again: \((try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? "gone")", tmux: first) {
            FileManager.default.fileExists(atPath: after)
        }
        let sttyBefore = try String(contentsOfFile: before, encoding: .utf8)
        let sttyAfter = try String(contentsOfFile: after, encoding: .utf8)
        #expect(!sttyBefore.isEmpty && sttyBefore == sttyAfter, "terminal modes restored:\nbefore:\n\(sttyBefore)\nafter:\n\(sttyAfter)")
        first.kill()

        let second = try TmuxSession(cols: Self.size.cols, rows: Self.size.rows, arguments: args, environment: env)
        defer { second.kill() }
        try await second.idle()
        // The draft waits on the status line; the rep's first key works the list, `d` resumes it.
        try await Self.poll("the draft offered back on the status line", tmux: second) {
            second.capture().contains("is waiting: d resumes it.")
        }
        #expect(Self.formRows(second.capture()).isEmpty, "the form is not open at start:\n\(second.capture())")
        try await second.press("2")
        try await Self.poll("the first key to switch to Calls", tmux: second) { second.capture().contains("[2 Calls") }
        try await second.press("d")
        try await Self.poll("the draft back field for field", tmux: second) { Self.formRows(second.capture()) == typed }
        #expect(await Self.postedBodies(server).isEmpty, "a draft is never sent by itself")
    }

    /// The log form's rows (title to the "* required" line), without the focus marker columns.
    static func formRows(_ screen: String) -> [String] {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = rows.firstIndex(where: { $0.contains("Log a call to") || $0.contains("Log a call (") }),
              let end = rows[start...].firstIndex(where: { $0.contains("* required") }) else { return [] }
        return rows[start...end].map { String($0.dropFirst(2)) }
    }
}

extension TmuxSession {
    /// The pid of the dispo process running in the pane (a child of the pane's shell, named `dispo`).
    func dispoProcess() throws -> pid_t {
        let r = try run("/usr/bin/env", ["tmux", "-L", name, "display-message", "-p", "-t", name, "#{pane_pid}"])
        guard let shell = Int32(r.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw HarnessError("no pane pid: \(r.output)")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
            let comm = stat[stat.index(after: open)..<close]
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            // rest: state, ppid, …
            if rest.count > 1, Int32(rest[1]) == shell, comm == "dispo" { return pid }
        }
        throw HarnessError("no dispo process under the pane's shell \(shell)")
    }
}
