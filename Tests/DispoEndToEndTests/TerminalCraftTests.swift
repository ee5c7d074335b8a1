import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import Foundation
import Testing

// Issue 4 ("Terminal craft") end to end: the real binary in tmux, on its built-in sandbox (no API key),
// or on a `dispo sandbox` process where two sessions must show the same data.
// Resize storms, exit signals and crashes leave the terminal as found, LANG=C and an unknown TERM work,
// and `$EDITOR` fills the notes field. Synchronisation is by the app's idle file; where the app is gone
// (after a signal or crash) by bounded polls on files the pane's shell writes.

// MARK: - Helpers for these tests (built on the harness's public API)
//
// The waits are the harness's async ones (`idle`, `press`, `poll`: Task.sleep between checks), never its
// blocking `waitForIdle`/`send`, which hold one of the 2 concurrency threads of this machine.

extension TmuxSession {
    /// Runs `tmux -L <socket> <arguments>` and returns its output (trailing newline removed).
    @discardableResult
    func tmux(_ arguments: String...) throws -> String {
        let r = try run("/usr/bin/env", ["tmux", "-L", name] + arguments)
        guard r.status == 0 else { throw HarnessError("tmux \(arguments.joined(separator: " ")) failed: \(r.output)") }
        return r.output.hasSuffix("\n") ? String(r.output.dropLast()) : r.output
    }

    /// A tmux format (e.g. `#{alternate_on}`) evaluated for the pane.
    func paneFormat(_ format: String) throws -> String { try tmux("display-message", "-p", "-t", name, format) }

    /// The pid of dispo: the child of the pane's shell.
    func dispoPID() throws -> pid_t {
        let shell = try paneFormat("#{pane_pid}")
        let children = try run("/usr/bin/env", ["pgrep", "-P", shell]).output
            .split(separator: "\n").compactMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
        guard children.count == 1, let pid = children.first else {
            throw HarnessError("expected one child of the pane's shell \(shell), found \(children)")
        }
        return pid
    }

    /// Resizes the (detached) window to `cols`×`rows`; tmux switches it to `window-size manual`.
    func resize(cols: Int, rows: Int) throws {
        try tmux("resize-window", "-t", name, "-x", "\(cols)", "-y", "\(rows)")
    }

    /// Resizes the window through `sizes` one after the other, 20 ms apart, on a thread of its own (so
    /// the storm keeps its pace even when other suites hold the concurrency threads). Returns how long
    /// the storm took (seconds) and the resizes tmux refused.
    func resizeStorm(_ sizes: [(Int, Int)]) async -> (seconds: Double, failures: [String]) {
        let socket = name
        return await withCheckedContinuation { continuation in
            Thread {
                let started = Date()
                var failures: [String] = []
                for (cols, rows) in sizes {
                    let r = try? run("/usr/bin/env", ["tmux", "-L", socket, "resize-window", "-t", socket,
                                                      "-x", "\(cols)", "-y", "\(rows)"])
                    if r?.status != 0 { failures.append("\(cols)x\(rows): \(r?.output ?? "tmux did not start")") }
                    usleep(20_000)  // the storm's pace, on this private thread
                }
                continuation.resume(returning: (Date().timeIntervalSince(started), failures))
            }.start()
        }
    }

    /// The whole pane including its scrollback, as text.
    func captureAll() -> String {
        (try? tmux("capture-pane", "-p", "-J", "-S", "-", "-t", name)) ?? ""
    }

    /// The pane's terminal settings as `stty -a` prints them, read from outside through the pane's tty.
    func sttyFromOutside() throws -> String {
        let tty = try paneFormat("#{pane_tty}")
        return try run("/bin/sh", ["-c", "stty -a < \(shellQuote(tty))"]).output
    }

    /// Waits until the file `name` in the work directory exists, and returns its text.
    func file(_ name: String, timeout: Double = 30) async throws -> String {
        let path = workDir + "/" + name
        var text: String?
        try await poll(name, timeout: timeout) {
            text = try? String(contentsOfFile: path, encoding: .utf8)
            return text != nil
        }
        return text!
    }
}

/// Starts dispo in tmux at `cols`×`rows`, on its built-in sandbox (no API key), signed in as the
/// sandbox's rep, and waits for the first idle frame. The built-in sandbox runs inside dispo, so these
/// tests need no server in the test process.
func startDispo(cols: Int, rows: Int, environment: [String: String] = [:],
                pane: ((String) -> String)? = nil) async throws -> TmuxSession {
    #expect(TmuxSession.tmuxAvailable, "tmux is needed for the end-to-end tests (apt-get install tmux)")
    #expect(FileManager.default.isExecutableFile(atPath: TmuxSession.binary), "dispo binary missing at \(TmuxSession.binary)")
    let tmux = try TmuxSession(cols: cols, rows: rows, arguments: ["--user", SandboxWorkspace.primaryUserEmail],
                               environment: environment, pane: pane)
    try await tmux.idle()
    return tmux
}

/// The environment pointing dispo at a sandbox at `baseURL` instead of its built-in one.
func sandboxEnvironment(_ baseURL: String) -> [String: String] {
    ["AMPLEMARKET_API_KEY": "sandbox-key", "AMPLEMARKET_BASE_URL": baseURL]
}

/// Runs `dispo sandbox --port 0` in its own tmux session (a separate process: its server never waits for
/// a thread of this test process) and returns the session and the sandbox's base URL.
func startSandboxProcess() async throws -> (TmuxSession, String) {
    let sandbox = try TmuxSession(cols: 200, rows: 5, arguments: ["sandbox", "--port", "0"], environment: [:]) {
        "\($0) > sandbox.txt 2>&1; sleep 30"
    }
    var url: String?
    try await sandbox.poll("the sandbox to listen") {
        let text = (try? String(contentsOfFile: sandbox.workDir + "/sandbox.txt", encoding: .utf8)) ?? ""
        url = text.range(of: #"http://[0-9.:]+"#, options: .regularExpression).map { String(text[$0]) }
        if url == nil, text.contains("Fatal error") || text.contains("crashed") || text.contains("rror:") {
            throw HarnessError("`dispo sandbox --port 0` failed:\n\(text.prefix(600))")
        }
        return url != nil
    }
    return (sandbox, url!)
}

/// Stops the sandbox process (SIGKILL: it may have inherited a blocked SIGTERM) and its tmux server.
func stopSandboxProcess(_ sandbox: TmuxSession) {
    if let pid = try? sandbox.dispoPID() { kill(pid, SIGKILL) }
    sandbox.kill()
}

/// The screen's rows, with the clock in the header (`refreshed 16:02`) masked, so two screens drawn a
/// minute apart compare equal.
func maskedRows(_ screen: String) -> [String] {
    var rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let first = rows.first {
        rows[0] = first.replacingOccurrences(of: #"\d\d:\d\d"#, with: "hh:mm", options: .regularExpression)
    }
    // A contact's local time moves with the clock (the minute may turn between two screens).
    rows = rows.map { $0.replacingOccurrences(of: #"\d\d:\d\d local"#, with: "hh:mm local", options: .regularExpression) }
    // Each session has its own work directory (the recording download directory shows it).
    rows = rows.map { $0.replacingOccurrences(of: #"dispo-e2e-[0-9A-F]{8}"#, with: "dispo-e2e-…", options: .regularExpression) }
    while rows.last == "" { rows.removeLast() }
    return rows
}

/// Columns `text` takes in a UTF-8 terminal, by the East Asian Width classes the seeded names and the
/// control pictures use: combining marks and zero-width characters 0, wide (CJK, Hangul, kana,
/// full-width forms, emoji) 2, everything else 1. Close enough to wcwidth for these screens.
func approximateDisplayWidth(_ text: Substring) -> Int {
    text.unicodeScalars.reduce(0) { total, scalar in
        let v = scalar.value
        switch v {
        case 0x0300...0x036F, 0x0610...0x061A, 0x064B...0x065F, 0x1AB0...0x1AFF, 0x200B...0x200F, 0x20D0...0x20FF,
             0xFE00...0xFE0F:
            return total
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD:
            return total + 2
        default:
            return total + 1
        }
    }
}

/// Every SGR parameter in a `capture-pane -e` dump (`ESC [ p1 ; p2 … m`).
func sgrParameters(_ dump: String) -> [Int] {
    var result: [Int] = []
    var rest = Substring(dump)
    while let start = rest.range(of: "\u{1B}[") {
        rest = rest[start.upperBound...]
        guard let end = rest.firstIndex(where: { !("0"..."9").contains($0) && $0 != ";" && $0 != ":" }) else { break }
        if rest[end] == "m" {
            result += rest[..<end].split(whereSeparator: { $0 == ";" || $0 == ":" }).compactMap { Int($0) }
        }
        rest = rest[end...]
    }
    return result
}

/// The SGR parameters of a dump that set a colour (foreground, background, 256-colour, bright); default
/// colour resets (39, 49) excluded.
func colourParameters(_ dump: String) -> [Int] {
    sgrParameters(dump).filter { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) }
}

/// Carries the dispo command line out of the harness's `pane` closure.
final class CommandBox: @unchecked Sendable { var text = "" }

/// The pane command for the exit-path tests: `stty -a` before and after dispo, the exit status in a file.
/// Each file is written under another name and renamed into place, so a reader polling for it never
/// sees it created but still empty.
func sttyAroundDispo(_ dispoCommand: String) -> String {
    "stty -a > stty-before.tmp; mv stty-before.tmp stty-before.txt; \(dispoCommand); " +
        "echo $? > exit-status.tmp; mv exit-status.tmp exit-status.txt; echo EXITED; " +
        "stty -a > stty-after.tmp; mv stty-after.tmp stty-after.txt; echo done > finished.txt; sleep 30"
}

// MARK: - Tests

@Suite("End to end: terminal craft (resizes, signals, terminal modes, LANG=C, unknown TERM, $EDITOR)", .serialized)
struct TerminalCraftTests {
    /// 20 resizes as fast as tmux makes them (through 1×1 and sizes below the minimum), then the screen at
    /// the final size has its header, tabs and key hints where they belong, and is exactly what a full repaint
    /// (Ctrl-L) draws: the incremental updates during the storm left nothing stale on the terminal.
    @Test("resize storm of 20 resizes, then a correct screen at the final size")
    func resizeStorm() async throws {
        let tmux = try await startDispo(cols: 80, rows: 24)
        defer { tmux.kill() }
        try await tmux.press("2")  // Calls tab
        #expect(tmux.capture().contains("[2 Calls"), "Calls tab selected:\n\(tmux.capture())")

        let storm = [(120, 40), (1, 1), (40, 12), (200, 60), (20, 5), (81, 25), (30, 8), (160, 48), (2, 2),
                     (100, 30), (79, 23), (10, 3), (132, 43), (60, 20), (1, 40), (200, 1), (90, 28), (45, 15),
                     (150, 50), (100, 31)]
        #expect(storm.count == 20)
        // How long the storm took depends on the machine's load, so it is not asserted.
        let (_, failures) = await tmux.resizeStorm(storm)
        #expect(failures.isEmpty, "tmux refused resizes: \(failures)")
        try await tmux.idle(cols: 100, rows: 31)
        let afterStorm = tmux.capture()
        let rows = afterStorm.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows.count >= 31 && rows.prefix(31).allSatisfy { $0.count <= 100 })
        #expect(rows.first?.contains("SANDBOX") == true, "header at the top:\n\(afterStorm)")
        #expect(rows.dropFirst().first?.contains("[2 Calls") == true, "tabs on the second row:\n\(afterStorm)")
        #expect(rows[30].contains("q quit"), "status line on the last row:\n\(afterStorm)")

        // What is on the terminal is what the app meant to draw: a full repaint (Ctrl-L) changes nothing.
        try await tmux.press("C-l")
        let repainted = tmux.capture()
        #expect(repainted == afterStorm, "after the storm:\n\(afterStorm)\nafter Ctrl-L:\n\(repainted)")
    }

    /// After a storm, the screen is the one a fresh dispo started at the final size shows (both against
    /// one sandbox process, so the data are the same).
    @Test("resize storm, then the screen a fresh start at the final size shows")
    func resizeStormMatchesFreshStart() async throws {
        let (sandbox, baseURL) = try await startSandboxProcess()
        defer { stopSandboxProcess(sandbox) }
        let tmux = try await startDispo(cols: 80, rows: 24, environment: sandboxEnvironment(baseURL))
        defer { tmux.kill() }
        try await ReliabilityTests.waitForTheWholeQueue(tmux)
        try await tmux.press("2")
        let storm = (0..<19).map { i in ([7, 150, 61, 99, 33][i % 5], [3, 44, 17, 30, 12][i % 5]) } + [(100, 31)]
        let (_, failures) = await tmux.resizeStorm(storm)
        #expect(failures.isEmpty, "tmux refused resizes: \(failures)")
        try await tmux.idle(cols: 100, rows: 31)
        let afterStorm = tmux.capture()

        let fresh = try await startDispo(cols: 100, rows: 31, environment: sandboxEnvironment(baseURL))
        defer { fresh.kill() }
        try await ReliabilityTests.waitForTheWholeQueue(fresh)
        try await fresh.press("2")
        let freshScreen = fresh.capture()
        #expect(maskedRows(afterStorm) == maskedRows(freshScreen), "after the storm:\n\(afterStorm)\nfresh start:\n\(freshScreen)")
    }

    /// A storm while the disposition picker is open over the log form: the modal survives, drawn at the
    /// final size, and keys still reach it.
    @Test("resize storm with the disposition picker open")
    func resizeStormWithPickerOpen() async throws {
        let tmux = try await startDispo(cols: 80, rows: 24)
        defer { tmux.kill() }
        try await tmux.press("1", "Enter", "Tab", "Enter")  // Tasks → log form → Disposition → picker
        #expect(tmux.capture().contains("keeps task open"), "picker open:\n\(tmux.capture())")
        let storm = (0..<19).map { i in ([1, 15, 200, 33, 64][i % 5], [1, 4, 60, 11, 19][i % 5]) } + [(90, 26)]
        let (_, failures) = await tmux.resizeStorm(storm)
        #expect(failures.isEmpty, "tmux refused resizes: \(failures)")
        try await tmux.idle(cols: 90, rows: 26)
        let screen = tmux.capture()
        #expect(screen.contains("Left voicemail") && screen.contains("keeps task open"), "picker still open:\n\(screen)")
        #expect(screen.contains("SANDBOX"), "header drawn:\n\(screen)")
        try await tmux.press("2")  // picks "Left voicemail": the picker closes and the form shows it
        let form = tmux.capture()
        #expect(form.contains("Left voicemail") && !form.contains("Filter:"), "picked, picker closed:\n\(form)")
    }

    /// Below the minimum size the app says so instead of drawing garbage.
    @Test("a tiny terminal shows \"terminal too small\"")
    func tooSmall() async throws {
        let tmux = try await startDispo(cols: 80, rows: 24)
        defer { tmux.kill() }
        try tmux.resize(cols: 30, rows: 6)
        try await tmux.idle(cols: 30, rows: 6)
        let screen = tmux.capture()
        #expect(screen.contains("too small") && screen.contains("60×16"), "tiny screen:\n\(screen)")
        try tmux.resize(cols: 80, rows: 24)
        try await tmux.idle(cols: 80, rows: 24)
        #expect(tmux.capture().contains("SANDBOX"))
    }

    /// SIGTERM, SIGHUP, SIGINT and SIGQUIT sent to dispo: it exits with 128 + signal, and `stty -a` in the
    /// pane afterwards is exactly what it was before dispo started; the alternate screen is left and the
    /// cursor shown.
    @Test("an exit signal leaves stty -a as it was", arguments: [SIGTERM, SIGHUP, SIGINT, SIGQUIT])
    func exitSignalRestoresTerminal(signal: Int32) async throws {
        let tmux = try await startDispo(cols: 80, rows: 24, pane: sttyAroundDispo)
        defer { tmux.kill() }
        let before = try await tmux.file("stty-before.txt")
        let during = try tmux.sttyFromOutside()
        #expect(during.contains("-icanon") && during != before, "dispo runs the terminal raw:\n\(during)")
        #expect(try tmux.paneFormat("#{alternate_on}") == "1", "dispo draws on the alternate screen")

        let pid = try tmux.dispoPID()
        #expect(kill(pid, signal) == 0)
        _ = try await tmux.file("finished.txt")
        let status = try await tmux.file("exit-status.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        let after = try await tmux.file("stty-after.txt")
        #expect(status == "\(128 + signal)", "exit status for signal \(signal)")
        #expect(after == before, "stty -a before:\n\(before)\nafter:\n\(after)")
        #expect(try tmux.paneFormat("#{alternate_on}") == "0", "alternate screen left")
        #expect(try tmux.paneFormat("#{cursor_flag}") == "1", "cursor shown")
        #expect(tmux.capture().contains("EXITED"), "the shell's output is visible:\n\(tmux.capture())")
    }

    /// The terminal itself going away (what an SSH drop does: the pty's other end closes) ends dispo
    /// promptly instead of leaving it behind.
    @Test("a hung-up terminal ends dispo")
    func terminalHangUpEndsDispo() async throws {
        let tmux = try await startDispo(cols: 80, rows: 24)
        defer { tmux.kill() }
        try await tmux.press("1", "Enter")  // a log form open, as a rep mid-call would have
        let pid = try tmux.dispoPID()
        try tmux.tmux("kill-session", "-t", tmux.name)  // closes the pane's pty
        var gone = false
        try await tmux.poll("dispo (pid \(pid)) to exit after the hang-up", timeout: 15) {
            // Exited: no such process, or a zombie waiting for its (orphaned) parent to reap it.
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            let state = stat.lastIndex(of: ")").map { stat[stat.index($0, offsetBy: 2)...].prefix(1) } ?? ""
            gone = (kill(pid, 0) != 0 && errno == ESRCH) || state == "Z"
            return gone
        }
        #expect(gone)
    }

    /// A crash on purpose (`DISPO_TEST_CRASH_AFTER_START`, read by the terminal front end) once the first
    /// screen is up, with a developer's `SWIFT_BACKTRACE` (the runtime's backtracer on): the terminal is
    /// restored (stty, alternate screen, cursor) and the runtime's crash report is then printed on it.
    @Test("a crash leaves stty -a as it was and the crash report readable", arguments: ["trap", "abort", "segv"])
    func crashRestoresTerminal(kind: String) async throws {
        let tmux = try await startDispo(cols: 80, rows: 24, environment: [
            "DISPO_TEST_CRASH_AFTER_START": kind, "SWIFT_BACKTRACE": "interactive=no",
        ], pane: sttyAroundDispo)
        defer { tmux.kill() }
        #expect(tmux.lastIdle.contains("frames "), "dispo drew its first screen before crashing")
        let before = try await tmux.file("stty-before.txt")
        _ = try await tmux.file("finished.txt")
        let status = Int(try await tmux.file("exit-status.txt").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let after = try await tmux.file("stty-after.txt")
        let all = tmux.captureAll()
        #expect(status > 128, "died of a signal (status \(status)):\n\(all)")
        #expect(after == before, "stty -a before:\n\(before)\nafter:\n\(after)\npane:\n\(all)")
        #expect(try tmux.paneFormat("#{alternate_on}") == "0", "alternate screen left")
        #expect(try tmux.paneFormat("#{cursor_flag}") == "1", "cursor shown")
        #expect(all.contains("Program crashed") || all.contains("Crash"), "the runtime's crash report is shown:\n\(all)")
        if kind == "trap" {
            #expect(all.contains("crashing on purpose"), "the fatal error message is replayed:\n\(all)")
        }
    }

    /// Ctrl-Z from an interactive shell: dispo gives the terminal back (normal screen, cursor shown) and
    /// stops like any job; the window is resized while it is stopped; `fg` brings it back, redrawn in full
    /// at the new size with its state (the Calls tab) kept.
    @Test("Ctrl-Z suspends to the shell and fg redraws at the current size")
    func suspendAndResume() async throws {
        let command = CommandBox()
        let tmux = try TmuxSession(cols: 80, rows: 24, arguments: ["--user", SandboxWorkspace.primaryUserEmail],
                                   environment: [:]) { dispoCommand in
            command.text = dispoCommand
            return "PS1='$ ' exec bash --norc --noprofile -i"
        }
        defer { tmux.kill() }
        try (command.text + "\n").write(toFile: tmux.workDir + "/run-dispo.sh", atomically: true, encoding: .utf8)
        try await tmux.poll("the shell prompt") { tmux.capture().contains("$") }
        try tmux.send("source run-dispo.sh", literal: true, wait: false)
        try tmux.send("Enter", wait: false)
        try await tmux.idle()
        try await tmux.press("2")
        #expect(tmux.capture().contains("[2 Calls"))

        try tmux.send("C-z", wait: false)
        try await tmux.poll("the shell to report the stopped job") { tmux.capture().contains("Stopped") }
        #expect(try tmux.paneFormat("#{alternate_on}") == "0", "the normal screen is back while stopped")
        #expect(try tmux.paneFormat("#{cursor_flag}") == "1", "cursor shown while stopped")
        try tmux.resize(cols: 100, rows: 30)

        try tmux.send("fg", literal: true, wait: false)
        try tmux.send("Enter", wait: false)
        try await tmux.idle(cols: 100, rows: 30)
        let resumed = tmux.capture()
        let rows = resumed.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows.first?.contains("SANDBOX") == true && rows.count >= 30, "header redrawn:\n\(resumed)")
        #expect(rows.dropFirst().first?.contains("[2 Calls") == true, "still on the Calls tab:\n\(resumed)")
        #expect(try tmux.paneFormat("#{alternate_on}") == "1", "back on the alternate screen")
        try await tmux.press("C-l")
        #expect(tmux.capture() == resumed, "a full repaint changes nothing:\n\(resumed)\n---\n\(tmux.capture())")
        try tmux.send("q", wait: false)
        try await tmux.poll("dispo to quit") { (try? tmux.paneFormat("#{alternate_on}")) == "0" }
    }

    /// `NO_COLOR=1`: no colour anywhere on screen, the selection still marked (reverse video and `▸`);
    /// the same screen without it does have colour, so the check can tell.
    @Test("NO_COLOR: bold, reverse and underline only")
    func noColor() async throws {
        let plain = try await startDispo(cols: 80, rows: 24, environment: ["NO_COLOR": "1"])
        defer { plain.kill() }
        try await plain.press("2")
        let mono = try plain.tmux("capture-pane", "-p", "-e", "-t", plain.name)
        #expect(colourParameters(mono).isEmpty, "colour SGR with NO_COLOR: \(colourParameters(mono))\n\(mono)")
        #expect(sgrParameters(mono).contains(7), "the selection is shown in reverse video")
        #expect(plain.capture().contains("▸"), "the selection is also marked by a glyph")

        let coloured = try await startDispo(cols: 80, rows: 24)
        defer { coloured.kill() }
        try await coloured.press("2")
        let colour = try coloured.tmux("capture-pane", "-p", "-e", "-t", coloured.name)
        #expect(!colourParameters(colour).isEmpty, "the default theme uses colour:\n\(colour)")
    }

    /// A call logged through the API with hostile notes and transcription (OSC 52 clipboard write, OSC 2
    /// title change, clear-screen and cursor-move CSI, C1 CSI, bidi override, DEL, tab, 10 000 more
    /// characters): dispo shows it with the controls visible and inert. Nothing reaches tmux's clipboard
    /// or the pane title, the screen is not cleared, no right-to-left override leaves dispo, and the
    /// detail pane's border stays in one column.
    @Test("hostile strings from the server are shown inert and aligned")
    func hostileStrings() async throws {
        let (sandbox, baseURL) = try await startSandboxProcess()
        defer { stopSandboxProcess(sandbox) }
        let hostile = "PWN\u{1B}]52;c;SGFja2Vk\u{07}ED \u{1B}]2;PWNED-TITLE\u{07} \u{1B}[2J\u{1B}[1;1HCLEARED " +
            "\u{202E}desrever\u{202C} tab\there \u{7F}del \u{9B}31mC1"
        let client = try AmplemarketClient(configuration: ClientConfiguration(baseURL: baseURL, apiKey: "sandbox-key"))
        do {
            let user = try #require(try await client.listUsers(UserListQuery(email: SandboxWorkspace.primaryUserEmail)).items.first)
            let task = try #require(try await client.listTasks(TaskListQuery(userID: user.id, type: "phone_call", status: "scheduled")).items.first)
            _ = try await client.logCall(LogCallRequest(
                from: "+351213400100", to: "+14155550142", duration: 61, answered: true, human: true, taskID: task.id,
                userID: user.id, transcription: hostile, recordingURL: nil, dispositionID: nil,
                notes: hostile + " " + String(repeating: "long notes ", count: 910)))
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()

        let tmux = try await startDispo(cols: 120, rows: 40, environment: sandboxEnvironment(baseURL))
        defer { tmux.kill() }
        let output = tmux.workDir + "/output-hostile"
        try tmux.startOutputCopy(to: output)
        try await tmux.press("2")  // Calls: the new call heads the list, its detail beside it
        let screen = tmux.capture()
        _ = try await tmux.stopOutputCopy(at: output)
        let bytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: output)), as: UTF8.self)

        #expect(screen.contains("PWN") && screen.contains("CLEARED"), "the hostile text is shown:\n\(screen)")
        #expect(screen.contains("␛"), "ESC shown as a visible picture:\n\(screen)")
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows.first?.contains("TEST 127.0.0.1:") == true, "the header is still on the first row (no clear, no cursor move):\n\(screen)")
        #expect(!bytes.contains("\u{1B}]52;"), "no OSC 52 left dispo")
        #expect(!bytes.contains("PWNED-TITLE\u{07}") && !bytes.contains("\u{1B}]2;"), "no OSC 2 left dispo")
        #expect(!bytes.contains("\u{202E}") && !bytes.contains("\u{9B}"), "no bidi override or C1 CSI left dispo")
        #expect(!(try tmux.paneFormat("#{pane_title}")).contains("PWNED"), "the pane title is unchanged")
        #expect(try tmux.tmux("list-buffers").isEmpty, "nothing reached tmux's clipboard")
        // The detail pane's left border sits in one display column on every row, whatever the names in
        // the list (CJK, Hangul, Arabic, Hebrew, accented Latin) and the control pictures in the notes.
        let borderColumns = Set(rows.compactMap { row in
            row.firstIndex(of: "│").map { approximateDisplayWidth(row[..<$0]) }
        })
        #expect(rows.filter { $0.contains("│") }.count >= 30, "the detail pane is drawn:\n\(screen)")
        #expect(borderColumns.count == 1, "detail border columns \(borderColumns):\n\(screen)")
    }

    /// `LANG=C` (no UTF-8): ASCII only on screen, ASCII box borders, keys work.
    @Test("LANG=C starts and works with ASCII borders")
    func asciiLocale() async throws {
        let tmux = try await startDispo(cols: 80, rows: 24, environment: ["LANG": "C"])
        defer { tmux.kill() }
        let start = tmux.capture()
        #expect(start.contains("SANDBOX") && start.contains("[1 Tasks"), "header and tabs:\n\(start)")
        try await tmux.press("?")
        let help = tmux.capture()
        #expect(help.contains("+- Keys -") && help.contains("| j/") && help.contains("-+"), "help box with ASCII borders:\n\(help)")
        #expect(help.unicodeScalars.allSatisfy { $0.isASCII }, "nothing but ASCII on screen:\n\(help)")
        try await tmux.press("Escape")
        try await tmux.press("2")
        let calls = tmux.capture()
        #expect(calls.contains("[2 Calls") && calls.contains("Contact"), "keys work:\n\(calls)")
        #expect(calls.unicodeScalars.allSatisfy { $0.isASCII }, "nothing but ASCII on screen:\n\(calls)")
        // A name with accents reads as its letters ("Søren" as "Soren", not "S?ren").
        try await tmux.press("/")
        try await tmux.typeText("soren")
        let found = tmux.capture()
        #expect(found.contains("Soren") && !found.contains("S?ren"), "accented names folded to ASCII:\n\(found)")
    }

    /// `TERM=unknown-term`: dispo falls back to a known type, says so, and works.
    @Test("TERM=unknown-term starts with a note and works")
    func unknownTerm() async throws {
        let tmux = try await startDispo(cols: 80, rows: 24, environment: ["TERM": "unknown-term"])
        defer { tmux.kill() }
        let start = tmux.capture()
        #expect(start.contains("SANDBOX") && start.contains("[1 Tasks"), "header and tabs:\n\(start)")
        #expect(start.contains("TERM=unknown-term is unknown"), "the fallback is noted:\n\(start)")
        try await tmux.press("2")
        let calls = tmux.capture()
        #expect(calls.contains("[2 Calls") && calls.contains("Contact"), "keys work:\n\(calls)")
        try tmux.send("q", wait: false)  // quits: no further idle report
        var exited = false
        try await tmux.poll("dispo to exit") { exited = tmux.capture().contains("EXITED:0"); return exited }
        #expect(exited, "q quits cleanly:\n\(tmux.capture())")
    }

    /// `$EDITOR` round trip: the log form from Tasks, Notes, Ctrl-E; the editor (a script) sees the typed
    /// text, appends a line and resizes the window while it runs; back in dispo the notes field shows both
    /// lines, drawn at the new size.
    @Test("$EDITOR fills the notes field")
    func editorRoundTrip() async throws {
        let workDir = NSTemporaryDirectory() + "dispo-editor-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let editor = workDir + "/editor.sh"
        let socketFile = workDir + "/socket"
        // The editor records what it was given, appends a line, and resizes the window under dispo.
        try """
        #!/bin/sh
        cp "$1" \(shellQuote(workDir))/seen.txt
        printf 'Gatekeeper says call back Tuesday\\n' >> "$1"
        tmux -L "$(cat \(shellQuote(socketFile)))" resize-window -x 100 -y 30
        """.write(toFile: editor, atomically: true, encoding: .utf8)
        chmod(editor, 0o755)

        let tmux = try await startDispo(cols: 80, rows: 24, environment: ["EDITOR": editor, "VISUAL": ""])
        defer { tmux.kill() }
        try tmux.name.write(toFile: socketFile, atomically: true, encoding: .utf8)
        try await tmux.press("1", "Enter")  // Tasks → log form (focus on Duration)
        try await tmux.press("Tab", "Tab", "Tab", "Tab")  // Disposition, Answered, Human, Notes
        let notesRow = tmux.capture().split(separator: "\n").first { $0.contains("Notes") } ?? ""
        #expect(notesRow.contains("▸"), "focus on Notes: \(notesRow)\n\(tmux.capture())")
        try await tmux.typeText("Spoke to reception")
        try await tmux.press("C-e")
        try await tmux.idle(cols: 100, rows: 30)
        let seen = try String(contentsOfFile: workDir + "/seen.txt", encoding: .utf8)
        #expect(seen == "Spoke to reception", "the editor got the field's text: \(seen.debugDescription)")
        let screen = tmux.capture()
        #expect(screen.contains("Spoke to reception"), "typed text kept:\n\(screen)")
        #expect(screen.contains("Gatekeeper says call back Tuesday"), "the editor's line is in the notes:\n\(screen)")
        #expect(screen.split(separator: "\n").first?.contains("SANDBOX") == true, "redrawn after the editor:\n\(screen)")
    }
}
