import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import Foundation
import Testing

/// Working the queue through the real binary in tmux against the sandbox: a quick no-answer is two keys
/// and lands on the next task; complete and skip reach the server once each; a call back set by
/// `dispo log --call-back` is listed under Callbacks, also after a restart.
@Suite("End to end: the task queue", .serialized)
struct QueueEndToEndTests {
    typealias R = ReliabilityTests

    /// The Tasks tab's queue as dispo orders it: the rep's scheduled phone tasks by due time.
    static func queue(_ server: SandboxServer) async -> [SandboxTask] {
        let ws = server.workspace
        let open = await ws.tasks(userID: ws.primaryUserID).filter { $0.type == "phone_call" && $0.status == "scheduled" }
        return open.enumerated().sorted { a, b in
            a.element.dueOn != b.element.dueOn ? a.element.dueOn < b.element.dueOn : a.offset < b.offset
        }.map(\.element)
    }

    /// Moves the cursor to the first manual task with a contact that has a task after it; returns its index.
    static func selectFirstManual(_ tmux: TmuxSession, _ queue: [SandboxTask]) async throws -> Int {
        let i = try #require(queue.indices.dropLast().first { !queue[$0].automatic && queue[$0].contact != nil })
        for _ in 0..<i { try await tmux.press("j") }
        return i
    }

    /// The line of the list the cursor is on.
    static func selectedLine(_ tmux: TmuxSession) -> String {
        tmux.capture().split(separator: "\n").first { $0.hasPrefix("▸") }.map(String.init) ?? ""
    }

    /// dispo in tmux against `server`, with its tasks listed and the cursor on the first manual task with
    /// a contact: the session, the queue and that task's index in it.
    static func startOnFirstManualTask(_ server: SandboxServer) async throws -> (TmuxSession, [SandboxTask], Int) {
        R.preconditions()
        let tmux = try TmuxSession(cols: R.size.cols, rows: R.size.rows, arguments: ["--user", server.workspace.primaryUserEmail],
                                   environment: R.environment(server, stateDir: try R.newStateDir()))
        try await tmux.idle()
        try await R.waitForTasks(tmux, server: server)
        let queue = await queue(server)
        return (tmux, queue, try await selectFirstManual(tmux, queue))
    }

    static func name(_ t: SandboxTask) -> String { String((t.contact?.name ?? t.contact?.email ?? "(no contact)").prefix(6)) }

    @Test("n then Ctrl-S sends exactly one no-answer and lands on the next task")
    func quickNoAnswer() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let (tmux, queue, i) = try await Self.startOnFirstManualTask(server)
        defer { tmux.kill() }
        #expect(Self.selectedLine(tmux).contains(Self.name(queue[i])), "\(tmux.capture())")
        try await tmux.press("n")
        // The number comes from the contact's earlier calls (looked up if the loaded pages hold none).
        try await R.poll("the number filled in", tmux: tmux) {
            tmux.capture().split(separator: "\n").contains { $0.contains("To *") && $0.contains("+") }
        }
        #expect(tmux.capture().contains("No answer"))
        // Not `press`: its idle signal can come only once the POST is answered, and on a loaded machine
        // after the 5 s the status line's "Logged:" stays.
        try tmux.send("C-s", wait: false)
        try await R.poll("the POST", tmux: tmux) { await R.postedBodies(server).count == 1 }
        let body = try #require(await R.postedBodies(server).first)
        let noAnswer = await server.workspace.dispositions().first { $0.slug == "no_answer" }
        #expect(body["disposition_id"] as? String == noAnswer?.id && body["answered"] as? Bool == false
                && body["duration"] as? Int == 0 && body["task_id"] as? String == queue[i].id, "\(body)")
        try await R.poll("logged", tmux: tmux) { tmux.capture().contains("Logged:") }
        try await R.poll("on the next task", tmux: tmux) { Self.selectedLine(tmux).contains(Self.name(queue[i + 1])) }
        #expect(await R.postedBodies(server).count == 1, "exactly one")
    }

    @Test("c + y completes and s + y skips, each reaching the server once")
    func completeAndSkip() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let (tmux, queue, i) = try await Self.startOnFirstManualTask(server)
        defer { tmux.kill() }
        let first = queue[i]
        try await tmux.press("c")
        #expect(tmux.capture().contains("Complete the task for"), "\(tmux.capture())")
        // `y` is sent without waiting for the idle signal, which can come after the status line's
        // "is completed" has gone again (5 s) on a loaded machine; the same for the skip below.
        try tmux.send("y", wait: false)
        func posts(_ suffix: String) async -> [RecordedRequest] {
            await server.recordedRequests().filter { $0.method == "POST" && $0.path.hasPrefix("/tasks/") && $0.path.hasSuffix(suffix) }
        }
        try await R.poll("the complete", tmux: tmux) { tmux.capture().contains("is completed") }
        #expect(await posts("/complete").map(\.path) == ["/tasks/\(first.id)/complete"])
        #expect(await server.workspace.task(id: first.id)?.status == "completed")
        // The cursor is on the task after it; skip that one if the API allows it.
        let next = queue[i + 1]
        try await R.poll("on the task after it", tmux: tmux) { Self.selectedLine(tmux).contains(Self.name(next)) }
        _ = try await tmux.idle()
        try await tmux.press("s")
        if next.automatic {
            #expect(tmux.capture().contains("automatic"), "an automatic task is not skipped")
            #expect(await posts("/skip").isEmpty)
            return
        }
        try tmux.send("y", wait: false)
        try await R.poll("the skip", tmux: tmux) { tmux.capture().contains("is skipped") }
        #expect(await posts("/skip").map(\.path) == ["/tasks/\(next.id)/skip"])
        #expect(await server.workspace.task(id: next.id)?.status == "skipped")
        #expect(await posts("/complete").count == 1, "each change once")
    }

    @Test("a call back set with dispo log --call-back is under Callbacks, also after a restart")
    func callBackAfterRestart() async throws {
        R.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let ws = server.workspace
        let task = try #require(await Self.queue(server).first { !$0.automatic && $0.contact?.name != nil })
        let state = try R.newStateDir()
        let env = R.environment(server, stateDir: state).merging(["XDG_CONFIG_HOME": state + "/config", "HOME": state]) { $1 }
        let logged = try await LogCommandTests.dispo(["log", "--user", ws.primaryUserEmail, "--task", task.id, "--to", "+14155550142",
                                                      "--from", "+16505550199", "--duration", "0", "--disposition", "No answer",
                                                      "--notes", "call after lunch", "--call-back", "+2h"], environment: env)
        #expect(logged.status == 0 && logged.output.contains("call back"), "\(logged.output)")
        let listed = try await LogCommandTests.dispo(["callbacks"], environment: env)
        #expect(listed.status == 0 && listed.output.contains(task.id) && listed.output.contains("call after lunch"), "\(listed.output)")
        #expect(try await LogCommandTests.dispo(["log", "--user", ws.primaryUserEmail, "--task", task.id, "--to", "+14155550142",
                                                 "--from", "+16505550199", "--duration", "0", "--disposition", "No answer",
                                                 "--call-back", "someday"], environment: env).status == 1)
        for run in 1...2 {
            let tmux = try TmuxSession(cols: R.size.cols, rows: R.size.rows, arguments: ["--user", ws.primaryUserEmail], environment: env)
            try await tmux.idle()
            try await R.waitForTasks(tmux, server: server)
            try await R.poll("the call back (run \(run))", tmux: tmux) {
                let text = tmux.capture()
                return text.contains("Callbacks · 1") && text.contains("call after lunch") && text.contains(Self.name(task))
            }
            tmux.kill()
        }
        #expect(await R.postedBodies(server).count == 1, "a call back is never sent")
    }
}
