import DispoSandbox
import Foundation
import Testing

// Terminals as reps have them, through the real binary in tmux: no UTF-8 locale (an SSH login with
// LANG=C or none), TERM=dumb, terminals without an alternate screen, and crashes, real or sent from
// outside, with the runtime's backtracer left at its default.

private typealias R = ReliabilityTests

/// The label of the log form's focused field, marked `▸`, or `>` while drawing in ASCII.
private func focusedLabel(_ screen: String) -> String? {
    for row in screen.split(separator: "\n") where row.hasPrefix("▸") || row.hasPrefix(">") {
        return row.dropFirst(2).prefix(15).replacingOccurrences(of: "*", with: "").trimmingCharacters(in: .whitespaces)
    }
    return nil
}

/// The pane's text once it shows the app's last reported frame, waiting up to `timeout` seconds. On a
/// loaded machine tmux can take longer than the harness's catch-up limit to show a frame the app has
/// written; a test that reads the screen to decide its next key waits for it here.
private func settledScreen(_ tmux: TmuxSession, timeout: Double = 10) async -> String {
    let deadline = Date().addingTimeInterval(timeout)
    while !tmux.paneShows(tmux.lastIdle), Date() < deadline {
        try? await Task.sleep(for: .milliseconds(20))
    }
    return tmux.capture()
}

/// The first row of `screen` containing `label`.
private func row(_ screen: String, labelled label: String) -> String {
    screen.split(separator: "\n").first { $0.contains(label) }.map(String.init) ?? ""
}

/// The pane command that keeps dispo's stderr and exit status in files.
private func stderrAndStatus(_ dispoCommand: String) -> String {
    "echo BEFORE-DISPO; \(dispoCommand) 2> stderr.txt; echo $? > exit-status.tmp; mv exit-status.tmp exit-status.txt; echo EXITED; sleep 30"
}

@Suite("End to end: terminals as they come (no UTF-8 locale, TERM=dumb, no alternate screen, crashes)", .serialized)
struct TerminalsAsTheyComeTests {
    /// With `LANG=C` or no locale at all, "Zoë" typed into the notes is shown as typed and logged as
    /// typed (not "Zo"); the status line said once that the locale is not UTF-8.
    @Test("typed non-ASCII text is kept without a UTF-8 locale",
          arguments: [["LANG": "C", "LC_ALL": ""], ["LANG": ""]])
    func typedTextKeptWithoutUTF8Locale(locale: [String: String]) async throws {
        R.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let env = R.environment(server, stateDir: try R.newStateDir()).merging(locale) { $1 }
        let tmux = try TmuxSession(cols: 100, rows: 30, arguments: ["--user", server.workspace.primaryUserEmail],
                                   environment: env)
        defer { tmux.kill() }
        // From the first frame on, for a while: looked for before the first idle report, which a busy
        // machine may give only after the note faded.
        try await tmux.poll("the status line to say the locale is not UTF-8") {
            tmux.capture().contains("The locale is not UTF-8")
        }
        try await tmux.idle()
        try await R.waitForTasks(tmux, server: server)

        try await tmux.press("Enter")  // log form of the first task
        // Each Tab is decided on the frame the app reported, not a pane tmux has not caught up with (a
        // stale pane made the loop press Tab past Notes on a loaded machine).
        for _ in 0..<12 where focusedLabel(await settledScreen(tmux)) != "Notes" { try await tmux.press("Tab") }
        let focused = await settledScreen(tmux)
        #expect(focusedLabel(focused) == "Notes", "focus on Notes:\n\(focused)")
        try await tmux.typeText("Zoë")
        let notesRow = (await settledScreen(tmux)).split(separator: "\n").first { $0.contains("Notes") } ?? ""
        #expect(notesRow.contains("Zoë"), "shown as typed: \(notesRow)\n\(tmux.capture())")

        try await R.fillDurationAndVoicemail(tmux, duration: "0:42")
        try await tmux.press("C-s")
        var notes: [String] = []
        try await R.poll("the log to arrive", tmux: tmux) {
            notes = await R.postedBodies(server).compactMap { $0["notes"] as? String }
            return !notes.isEmpty
        }
        #expect(notes == ["Zoë"], "logged as typed: \(notes)")
    }

    /// `TERM=dumb` (no cursor addressing): a clear message on stderr and exit status 2, nothing drawn.
    @Test("TERM=dumb says why it cannot run and exits 2")
    func dumbTerminal() async throws {
        R.preconditions()
        let tmux = try TmuxSession(cols: 80, rows: 24, arguments: [], environment: ["TERM": "dumb"],
                                   pane: stderrAndStatus)
        defer { tmux.kill() }
        let status = try await tmux.file("exit-status.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        let stderr = try await tmux.file("stderr.txt")
        #expect(status == "2", "exit status \(status); stderr: \(stderr)")
        #expect(stderr.contains("TERM=dumb cannot move the cursor") && stderr.contains("xterm-256color"),
                "the reason and what to do: \(stderr)")
        #expect(!tmux.capture().contains("SANDBOX"), "nothing drawn:\n\(tmux.capture())")
    }

    /// `vt100` and `linux` have no alternate screen: on quitting, dispo's last frame is cleared away
    /// rather than left under the shell's prompt.
    @Test("no alternate screen: quitting leaves a clean screen", arguments: ["vt100", "linux"])
    func noAlternateScreenLeavesCleanScreen(term: String) async throws {
        let tmux = try await startDispo(cols: 80, rows: 24, environment: ["TERM": term]) {
            "\($0); echo EXITED:$?; sleep 30"
        }
        defer { tmux.kill() }
        #expect(tmux.capture().contains("SANDBOX"), "dispo drew:\n\(tmux.capture())")
        #expect(try tmux.paneFormat("#{alternate_on}") == "0", "\(term) draws on the normal screen")
        try tmux.send("q", wait: false)
        try await tmux.poll("dispo to quit") { tmux.capture().contains("EXITED:0") }
        let rows = tmux.capture().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        #expect(rows == ["EXITED:0"], "only the shell's line is left:\n\(tmux.capture())")
        #expect(try tmux.paneFormat("#{cursor_flag}") == "1", "cursor shown")
    }

    /// SIGSEGV or SIGABRT sent from outside, a Swift runtime trap or a real SIGSEGV (a write to an
    /// unmapped address), with `SWIFT_BACKTRACE` not set
    /// (as a rep has it): dispo is gone within a second or two (the runtime's backtracer never holds
    /// the terminal), with 128 + n, `stty -a` as before, keypad and cursor modes reset, and its report
    /// on the screen.
    @Test("a crash ends at once with the terminal restored", arguments: ["kill-SEGV", "kill-ABRT", "trap", "segv"])
    func crashEndsAtOnce(kind: String) async throws {
        let fromInside = !kind.hasPrefix("kill-")
        let environment = fromInside ? ["DISPO_TEST_CRASH_AFTER_START": kind] : [:]
        let tmux = try await startDispo(cols: 80, rows: 24, environment: environment, pane: sttyAroundDispo)
        defer { tmux.kill() }
        let before = try await tmux.file("stty-before.txt")
        var started = Date()
        var expected: Int32 = 128 + (kind == "trap" ? SIGILL : SIGSEGV)
        if !fromInside {
            let during = try tmux.sttyFromOutside()
            #expect(during.contains("-icanon"), "dispo runs the terminal raw:\n\(during)")
            #expect(try tmux.paneFormat("#{keypad_flag}") == "1", "dispo turned the keypad's application mode on")
            let signal = kind == "kill-SEGV" ? SIGSEGV : SIGABRT
            expected = 128 + signal
            let pid = try tmux.dispoPID()
            started = Date()
            #expect(kill(pid, signal) == 0)
        }
        let status = try await tmux.file("exit-status.txt", timeout: 10).trimmingCharacters(in: .whitespacesAndNewlines)
        let seconds = Date().timeIntervalSince(started)
        if !fromInside {
            let shown = String(format: "%.3f", seconds)
            FileHandle.standardError.write(Data("note: \(kind): exit seen \(shown) s after the signal\n".utf8))
            #expect(seconds < 2, "gone \(seconds) s after the signal")
        }
        let after = try await tmux.file("stty-after.txt")
        let all = tmux.captureAll()
        #expect(status == "\(expected)", "exit status:\n\(all)")
        #expect(after == before, "stty -a before:\n\(before)\nafter:\n\(after)")
        #expect(try tmux.paneFormat("#{alternate_on}") == "0", "alternate screen left")
        #expect(try tmux.paneFormat("#{cursor_flag}") == "1", "cursor shown")
        #expect(try tmux.paneFormat("#{keypad_flag}") == "0", "keypad back in numeric mode")
        #expect(try tmux.paneFormat("#{keypad_cursor_flag}") == "0", "cursor keys back in normal mode")
        #expect(all.contains("dispo crashed: SIG"), "dispo's crash report is shown:\n\(all)")
        #expect(!all.contains("Press space"), "no interactive backtracer:\n\(all)")
        if kind == "trap" { #expect(all.contains("crashing on purpose"), "the fatal error is replayed:\n\(all)") }
    }

    /// Inside GNU screen (in tmux with `set-clipboard on`, standing in for the rep's terminal), `y` on a
    /// call sends the number in screen's passthrough: it reaches tmux's clipboard, and the status line
    /// says what was sent, not that the clipboard changed.
    @Test("inside GNU screen a copy goes through screen's passthrough")
    func copyInsideScreen() async throws {
        let screenPath = ["/usr/bin/screen", "/bin/screen"].first { FileManager.default.isExecutableFile(atPath: $0) }
        #expect(screenPath != nil, "GNU screen is needed for this test (apt-get install screen)")
        guard let screenPath else { return }
        let tmux = try await startDispo(cols: 100, rows: 30) { dispo in
            // dispo's environment is made from nothing (env -i): hand it the STY screen sets.
            let inScreen = dispo.replacingOccurrences(of: "env -i ", with: "env -i STY=\"$STY\" ")
            // autodetach off: screen ends with the pane (by default it detaches and outlives the test).
            return "printf 'startup_message off\\nautodetach off\\n' > screenrc; " +
                "env -u TMUX \(screenPath) -c screenrc sh -c \(shellQuote(inScreen)); sleep 30"
        }
        defer { tmux.kill() }
        try tmux.tmux("set-option", "-g", "set-clipboard", "on")
        try await tmux.press("2")  // Calls
        try await tmux.press("y")  // copy the number
        let status = tmux.capture().split(separator: "\n").first { $0.hasPrefix("Sent ") }.map(String.init) ?? ""
        #expect(status.hasSuffix("as OSC 52 through GNU screen"), "status line: \(status)\n\(tmux.capture())")
        let number = status.split(separator: "\"").dropFirst().first.map(String.init) ?? ""
        #expect(!number.isEmpty, "the number is named: \(status)")
        var buffer = ""
        try await tmux.poll("the copy to reach tmux's clipboard", timeout: 10) {
            buffer = (try? tmux.tmux("show-buffer")) ?? ""
            return !buffer.isEmpty
        }
        #expect(buffer == number, "tmux's clipboard holds \(buffer.debugDescription)")
    }

    /// The keypad in application mode (what dispo's `keypad` switches on; tmux then sends `ESC O q` …,
    /// some of which terminfo names and ncurses decodes, some not): its digits type into the duration,
    /// its Enter moves on, its + types +.
    @Test("the keypad types digits and Enter")
    func keypadTypesDigits() async throws {
        let tmux = try await startDispo(cols: 100, rows: 30)
        defer { tmux.kill() }
        #expect(try tmux.paneFormat("#{keypad_flag}") == "1", "the keypad is in application mode")
        try await tmux.press("Enter")  // log form of the first task, focus on Duration
        #expect(focusedLabel(await settledScreen(tmux)) == "Duration", "focus on Duration:\n\(tmux.capture())")
        try await tmux.press("KP4", "KP2", "KP0", "KP1", "KP3", "KP5", "KP6", "KP7", "KP8")
        let duration = row(await settledScreen(tmux), labelled: "Duration")
        #expect(duration.contains("[420135678"), "keypad digits typed: \(duration)")
        try await tmux.press("KPEnter")
        #expect(focusedLabel(await settledScreen(tmux)) == "Disposition", "keypad Enter moved on:\n\(tmux.capture())")
        var tabs = 0
        while tabs < 12, focusedLabel(await settledScreen(tmux)) != "Notes" {
            try await tmux.press("Tab")
            tabs += 1
        }
        try await tmux.press("KP9", "KP+", "KP-", "KP*", "KP/", "KP.")
        let notes = row(await settledScreen(tmux), labelled: "Notes")
        #expect(notes.contains("[9+-*/."), "keypad signs typed: \(notes)")
    }
}
