import DispoSandbox
import Foundation
import Testing

/// Frames made ahead for a repeated key: the binary, in tmux, against one sandbox in this process. With
/// them on (the default) every screen is the one dispo shows with them off (`DISPO_SPECULATE=0`), key for
/// key, while the idle report counts the keys answered from a frame made ahead; a draft's keystrokes made
/// ahead are still kept.
@Suite("End to end: frames made ahead for a repeated key", .serialized)
struct FramesMadeAheadTests {
    /// The idle report's count of frames shown from one made ahead.
    static func ahead(_ tmux: TmuxSession) -> Int? {
        tmux.lastIdle.split(separator: "\n").first { $0.hasPrefix("ahead ") }.flatMap { Int($0.dropFirst("ahead ".count)) }
    }

    @Test("the same screens key for key with frames made ahead and without; repeated keys answered ahead")
    func sameScreensAsWithout() async throws {
        ReliabilityTests.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        // One download folder for both, as the detail pane names it.
        let args = ["--user", server.workspace.primaryUserEmail, "--download-dir", NSTemporaryDirectory()]
        let made = try TmuxSession(cols: 100, rows: 30, arguments: args,
                                   environment: ReliabilityTests.environment(server, stateDir: try ReliabilityTests.newStateDir()))
        defer { made.kill() }
        let plain = try TmuxSession(cols: 100, rows: 30, arguments: args,
                                    environment: ReliabilityTests.environment(server, stateDir: try ReliabilityTests.newStateDir())
                                        .merging(["DISPO_SPECULATE": "0"]) { $1 })
        defer { plain.kill() }
        for tmux in [made, plain] {
            // Two start-ups with their history syncs at once, on a machine running the whole suite: the
            // first idle report can take well over the usual 30 s.
            try await tmux.idle(timeout: 120)
            try await ReliabilityTests.waitForTasks(tmux, server: server)
            try await ReliabilityTests.waitForTheWholeQueue(tmux)
            try await tmux.press("2")
            try await ReliabilityTests.poll("the Calls list", tmux: tmux) { tmux.capture().contains("[2 Calls") }
        }
        let keys = ["j", "j", "j", "j", "j", "k", "k", "PageDown", "PageDown", "j", "k", "j"]
        let startAhead = Self.ahead(made) ?? -1
        for (i, key) in keys.enumerated() {
            try await made.press(key)
            try await plain.press(key)
            // The rows above the status line: the status line may name how long a load took.
            let shown = made.capture().split(separator: "\n").dropLast(2)
            let expected = plain.capture().split(separator: "\n").dropLast(2)
            #expect(shown == expected, "key \(i + 1) (\(key)): with frames made ahead\n\(shown.joined(separator: "\n"))\nwithout\n\(expected.joined(separator: "\n"))")
        }
        let answeredAhead = (Self.ahead(made) ?? 0) - startAhead
        // j j j j (3 after the first), k (a recent key), PgDn (the second), j k j: at least 8 of the 12,
        // fewer only if a load's answer came between two keys.
        #expect(answeredAhead >= 6, "keys answered from a frame made ahead: \(answeredAhead)\n\(made.lastIdle)")
        #expect(Self.ahead(plain) == 0, "none without: \(plain.lastIdle)")
    }

    @Test("letters typed again into the notes are kept in the draft (SIGHUP, restart, resume)")
    func repeatedLettersKeptInTheDraft() async throws {
        ReliabilityTests.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let stateDir = try ReliabilityTests.newStateDir()
        let env = ReliabilityTests.environment(server, stateDir: stateDir)
        let args = ["--user", server.workspace.primaryUserEmail]
        let first = try TmuxSession(cols: 120, rows: 30, arguments: args, environment: env)
        defer { first.kill() }
        try await first.idle()
        try await ReliabilityTests.waitForTasks(first, server: server)
        try await first.press("1")
        try await first.press("Enter")
        try await ReliabilityTests.focus(first, "Notes")
        let before = Self.ahead(first) ?? -1
        try await first.typeText("zzzzzz")
        #expect((Self.ahead(first) ?? 0) - before >= 4, "repeated letters answered ahead:\n\(first.lastIdle)")
        let typed = ReliabilityTests.formRows(first.capture())
        #expect(typed.contains { $0.hasPrefix("Notes") && $0.contains("zzzzzz") }, "typed:\n\(first.capture())")

        let pid = try first.dispoProcess()
        Foundation.kill(pid, SIGHUP)
        try await ReliabilityTests.poll("dispo \(pid) to exit", tmux: first) { first.capture().contains("EXITED:") }
        first.kill()

        let second = try TmuxSession(cols: 120, rows: 30, arguments: args, environment: env)
        defer { second.kill() }
        try await second.idle()
        try await ReliabilityTests.poll("the draft offered back", tmux: second) {
            second.capture().contains("is waiting: d resumes it.")
        }
        try await second.press("d")
        // The Notes row as typed (the form reopens with the focus on Duration, so only that row is compared).
        let notes = typed.first { $0.hasPrefix("Notes") }
        try await ReliabilityTests.poll("the draft back with every letter", tmux: second) {
            ReliabilityTests.formRows(second.capture()).first { $0.hasPrefix("Notes") } == notes
        }
    }
}
