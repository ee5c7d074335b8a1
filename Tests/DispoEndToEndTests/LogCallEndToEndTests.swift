import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import Foundation
import PhoneNumbers
import Testing

/// The whole main job through the real binary in tmux, against a sandbox in this process:
/// open Tasks, pick a task, log a 1:35 call as "Left voicemail", then find it heading the Calls list.
@Suite("End to end: log a call from a task", .serialized)
struct LogCallEndToEndTests {
    @Test("log a call at 80×24 and 160×48", arguments: [(80, 24), (160, 48)])
    func logCallFromTask(size: (Int, Int)) async throws {
        #expect(TmuxSession.tmuxAvailable, "tmux is needed for the end-to-end tests (apt-get install tmux)")
        #expect(FileManager.default.isExecutableFile(atPath: TmuxSession.binary), "dispo binary missing at \(TmuxSession.binary)")
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let workspace = server.workspace
        let userEmail = workspace.primaryUserEmail
        let userID = workspace.primaryUserID

        // What the app will show first: the first scheduled phone task of the rep, as the API lists them.
        let client = try AmplemarketClient(configuration: ClientConfiguration(baseURL: server.baseURL, apiKey: SandboxConfiguration.defaultAPIKey))
        let firstTasks = try await client.listTasks(TaskListQuery(userID: userID, type: "phone_call", status: "scheduled"))
        let voicemail = try #require(try await client.dispositions().first { $0.slug == "no_answer_voicemail" })
        await client.shutdown()
        let task = try #require(firstTasks.items.first)
        let contact = try #require(task.contact, "the first seeded task has a contact")

        // Pre-fill expectations: the last number used for this contact, and the rep's own last `from`.
        let calls = await workspace.calls(userID: userID).sorted { $0.startDate > $1.startDate }
        let expectedTo = try #require(calls.first { $0.contact?.id == contact.id }?.to)
        let expectedFrom = try #require(calls.first { !$0.from.isEmpty }?.from)
        // On the wire every number is E.164, read in the region of the rep's own number.
        let region = try #require(try? PhoneNumbers.parse(expectedFrom, defaultRegion: nil).get().regionCode)
        func wire(_ n: String) -> String { (try? PhoneNumbers.parse(n, defaultRegion: region).get().wire) ?? n }
        // The form shows numbers in international format.
        func shown(_ n: String) -> String {
            guard let p = try? PhoneNumbers.parse(n, defaultRegion: region).get(), p.isValid else { return n }
            return p.international
        }

        let tmux = try TmuxSession(cols: size.0, rows: size.1, arguments: ["--user", userEmail], environment: [
            "AMPLEMARKET_API_KEY": SandboxConfiguration.defaultAPIKey, "AMPLEMARKET_BASE_URL": server.baseURL,
        ])
        defer { tmux.kill() }
        try await tmux.idle()
        // The first idle frame can come while the tasks are still loading (a busy machine): wait for them.
        let name = String((contact.name ?? "").prefix(6))
        try await ReliabilityTests.poll("the task's contact listed", tmux: tmux) { tmux.capture().contains(name) }
        let start = tmux.capture()
        // Not the built-in sandbox: the header names the server the logs go to.
        let hostPort = try #require(URL(string: server.baseURL)).host.map { $0 + ":" } ?? ""
        #expect(start.contains("TEST \(hostPort)") && !start.contains("SANDBOX"), "the server named in the header:\n\(start)")
        #expect(start.contains(name), "the task's contact is listed:\n\(start)")

        // The keystrokes of the flow, besides the typed duration (the number is pre-filled).
        var keystrokes = 0
        func key(_ k: String) async throws { keystrokes += 1; try await tmux.press(k) }
        try await key("1")          // Tasks tab
        try await key("Enter")      // log a call for the selected (first) task
        let form = tmux.capture()
        #expect(form.contains(shown(expectedTo)), "To is pre-filled with the last number used for the contact:\n\(form)")
        #expect(form.contains(shown(expectedFrom)), "From is pre-filled with the rep's number:\n\(form)")
        try await tmux.typeText("1:35")
        try await key("Tab")        // → Disposition
        try await key("Enter")      // open the picker
        let picker = tmux.capture()
        #expect(picker.contains("Left voicemail") && picker.contains("keeps task open"), "picker shows actions in words:\n\(picker)")
        try await key("2")          // Left voicemail
        try await key("C-s")        // send
        #expect(keystrokes <= 8)

        // (a) exactly one POST /calls with exactly the expected JSON.
        let posts = await server.recordedRequests().filter { $0.method == "POST" && $0.path == "/calls" }
        #expect(posts.count == 1, "exactly one POST /calls, got \(posts.count)\n\(tmux.capture())")
        let body = try #require(posts.first?.body)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? NSDictionary)
        let expected: NSDictionary = [
            "answered": true, "human": false, "duration": 95, "disposition_id": voicemail.id,
            "task_id": task.id, "user_id": userID, "to": wire(expectedTo), "from": wire(expectedFrom),
        ]
        #expect(sent == expected, "POST /calls body: \(body)")

        // (b) the call heads the Calls list, with its disposition.
        try await key("2")
        var screen = tmux.capture()
        let deadline = Date().addingTimeInterval(10)
        while !screen.contains("Length") && Date() < deadline {  // the Calls list header, once drawn
            _ = try? await tmux.idle(timeout: 1)
            screen = tmux.capture()
        }
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let headerRow = try #require(rows.firstIndex { $0.contains("Contact") }, "calls list header:\n\(screen)")
        let firstRow = rows[headerRow + 1]
        #expect(firstRow.contains("1:35"), "first row: \(firstRow)\n\(screen)")
        #expect(firstRow.contains("Left voic"), "first row shows the disposition: \(firstRow)")
        #expect(firstRow.contains(String((contact.name ?? "").prefix(4))), "first row names the contact: \(firstRow)")
        let created = await workspace.calls(userID: userID).filter { $0.taskID == task.id && $0.duration == 95 && $0.external }
        #expect(created.count == 1)
    }
}
