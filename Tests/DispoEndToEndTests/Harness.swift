import DispoTerminal
import Foundation

/// Drives the real `dispo` binary inside a detached tmux session.
///
/// Synchronisation is by the app's idle signal: with `DISPO_IDLE_FILE` set, dispo rewrites that file
/// (frame count and a screen digest) whenever it is idle — input drained, frame drawn, no work in
/// flight. The harness waits for the file to change instead of sleeping.
final class TmuxSession {
    let name: String
    let idleFile: String
    let workDir: String
    /// The app's log file (`$XDG_STATE_HOME/dispo/dispo.log` of the environment it was started with).
    let logFile: String
    private(set) var lastIdle: String = ""

    /// The package root, found from this file's path.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The `dispo` binary built by `swift build`/`swift test` (override with `DISPO_BINARY`).
    static var binary: String {
        if let b = ProcessInfo.processInfo.environment["DISPO_BINARY"] { return b }
        return packageRoot.appendingPathComponent(".build/debug/dispo").path
    }

    static var tmuxAvailable: Bool { (try? run("/usr/bin/env", ["tmux", "-V"]).status) == 0 }

    /// Starts `dispo <arguments>` at `cols`×`rows` with `environment` added to a clean, minimal one.
    /// `pane`, when given, builds the pane's shell command around the one that runs dispo (e.g. to run
    /// `stty -a` before and after it); the command runs in `workDir` either way.
    init(cols: Int, rows: Int, arguments: [String], environment: [String: String],
         pane: ((_ dispoCommand: String) -> String)? = nil) throws {
        name = "dispo-e2e-\(UUID().uuidString.prefix(8))"
        workDir = NSTemporaryDirectory() + name
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        idleFile = workDir + "/idle"
        var env: [String: String] = [
            "HOME": workDir, "XDG_STATE_HOME": workDir + "/state", "XDG_CONFIG_HOME": workDir + "/config",
            "LANG": "C.UTF-8", "TERM": "xterm-256color", "DISPO_IDLE_FILE": idleFile, "DISPO_LOG_LEVEL": "debug",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        env.merge(environment) { $1 }
        logFile = (env["XDG_STATE_HOME"] ?? workDir + "/state") + "/dispo/dispo.log"
        let exports = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(shellQuote($0.value))" }.joined(separator: " ")
        let dispoCommand = "env -i \(exports) \(shellQuote(Self.binary)) \(arguments.map(shellQuote).joined(separator: " "))"
        let command = "cd \(shellQuote(workDir)) && " + (pane?(dispoCommand) ?? "\(dispoCommand); echo EXITED:$? ; sleep 30")
        // The tmux server outlives this call and inherits its output: don't capture, or EOF never comes.
        let r = try run("/usr/bin/env", ["tmux", "-L", name, "new-session", "-d", "-s", name, "-x", "\(cols)", "-y", "\(rows)", command], capture: false)
        guard r.status == 0 else { throw HarnessError("tmux new-session failed: \(r.output)") }
    }

    /// Waits until the app reports idle with a frame different from the last one seen. Polls the file
    /// (the app's explicit signal); fails after `timeout` seconds with the screen in the message.
    @discardableResult
    func waitForIdle(timeout: Double = 30) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let s = try? String(contentsOfFile: idleFile, encoding: .utf8), !s.isEmpty, s != lastIdle {
                lastIdle = s
                let shownBy = Date().addingTimeInterval(Self.catchUpLimit)
                while !paneShows(s), Date() < shownBy { usleep(5_000) }
                return s
            }
            usleep(20_000)
        }
        throw HarnessError("no idle signal within \(timeout) s; screen:\n\(capture())")
    }

    /// Non-blocking check of the idle signal: the app's new idle report when it differs from the last one
    /// seen (which it then becomes), else nil. For async waits that must not block a concurrency thread.
    func pollIdle() -> String? {
        guard let s = try? String(contentsOfFile: idleFile, encoding: .utf8), !s.isEmpty, s != lastIdle else { return nil }
        lastIdle = s
        return s
    }

    /// Sends tmux key names or literal text (`literal: true`), then waits for the next idle frame.
    func send(_ keys: String..., literal: Bool = false, wait: Bool = true) throws {
        for key in keys {
            var args = ["tmux", "-L", name, "send-keys", "-t", name]
            if literal { args.append("-l") }
            args.append(key)
            _ = try run("/usr/bin/env", args)
            if wait { try waitForIdle() }
        }
    }

    /// Types text one character at a time, waiting for each frame.
    func type(_ text: String) throws {
        for ch in text { try send(String(ch), literal: true) }
    }

    /// The last `lines` lines of the app's log, headed, for failure messages (empty when there is none).
    func logTail(_ lines: Int = 25) -> String {
        guard let text = try? String(contentsOfFile: logFile, encoding: .utf8), !text.isEmpty else { return "" }
        return "dispo.log (last \(lines) lines):\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// The visible screen as text, one line per row.
    func capture() -> String {
        (try? run("/usr/bin/env", ["tmux", "-L", name, "capture-pane", "-p", "-t", name]).output) ?? ""
    }

    func kill() { _ = try? run("/usr/bin/env", ["tmux", "-L", name, "kill-server"]) }
    deinit { kill() }
}

// MARK: - Async waits
//
// `waitForIdle`, `send` and `type` block the calling thread (usleep). Called from a test's task they hold
// one of the concurrency pool's threads (as many as cores: 2 here); two suites waiting at once then starve
// every sandbox served in this process, whose requests need those threads, and the app never gets idle.
// These do the same waits with `Task.sleep`, leaving the thread to others.

extension TmuxSession {
    /// Polls `condition` every 20 ms until it holds; throws after `timeout` seconds, naming `what` and
    /// showing the screen.
    func poll(_ what: String, timeout: Double = 30, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else {
                throw HarnessError("timed out (\(timeout) s) waiting for \(what); screen:\n\(capture())\n\(logTail())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// `waitForIdle` without blocking: the app's next idle report (one different from the last seen).
    @discardableResult
    func idle(timeout: Double = 30) async throws -> String {
        var report: String?
        try await poll("the idle signal", timeout: timeout) { report = pollIdle(); return report != nil }
        await caughtUp(with: report!)
        return report!
    }

    /// How long tmux may take to show a frame the app has reported drawn, in seconds: past it the test
    /// goes on (the emulator may show some cells differently, e.g. line drawing without UTF-8). Generous:
    /// with the whole suite running on two cores tmux has taken over 1.5 s to show a frame.
    static let catchUpLimit = 5.0

    /// True when the pane shows the screen `report` describes (its digest of the screen text). The app
    /// reports idle once the frame is written to the pty; tmux may not have read all of it yet, so a
    /// capture taken at once can hold half a frame.
    func paneShows(_ report: String) -> Bool {
        guard let line = report.split(separator: "\n").first(where: { $0.hasPrefix("digest ") }),
              let want = UInt64(line.dropFirst("digest ".count), radix: 16) else { return true }
        var lines = capture().split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return IdleReport.digest(lines: lines) == want
    }

    /// Waits (without blocking a thread) until the pane shows `report`'s screen, at most `catchUpLimit`.
    func caughtUp(with report: String) async {
        let shownBy = Date().addingTimeInterval(Self.catchUpLimit)
        while !paneShows(report), Date() < shownBy {
            try? await Task.sleep(for: .milliseconds(5))
        }
        if !paneShows(report) {
            FileHandle.standardError.write(Data("note: \(name): the pane still differs from the reported frame after \(Self.catchUpLimit) s\n".utf8))
        }
    }

    /// Waits for idle reports until one says the app is at `cols`×`rows` (e.g. after resizes).
    @discardableResult
    func idle(cols: Int, rows: Int, timeout: Double = 30) async throws -> String {
        try await poll("an idle report at \(cols)x\(rows)", timeout: timeout) {
            _ = pollIdle()
            return lastIdle.contains("size \(cols)x\(rows)\n")
        }
        await caughtUp(with: lastIdle)
        return lastIdle
    }

    /// `send` without blocking: tmux key names (or literal text), waiting for the idle report after each.
    func press(_ keys: String..., literal: Bool = false) async throws {
        for key in keys {
            try send(key, literal: literal, wait: false)
            try await idle()
        }
    }

    /// `type` without blocking: one character at a time, waiting for each frame.
    func typeText(_ text: String) async throws {
        for ch in text { try await press(String(ch), literal: true) }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Runs a program and waits for it: posix_spawn + waitpid (Foundation's Process can hang in
/// waitUntilExit on Linux when called from a test's concurrency thread). With `capture`, standard output
/// and error go to a temporary file that is read back; without, to /dev/null (for tmux's server, which
/// outlives the client and would hold a pipe open).
@discardableResult
func run(_ exe: String, _ args: [String], capture: Bool = true) throws -> (status: Int32, output: String) {
    let outPath = NSTemporaryDirectory() + "dispo-e2e-out-\(UUID().uuidString)"
    defer { unlink(outPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, capture ? outPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // Only 0–2 are handed on. Other descriptors of this process include the in-process sandboxes'
    // accepted connections (NIO does not mark them close-on-exec): a child holding one keeps it open
    // after the sandbox closes it (a "down" or "drop" fault), and the app on the other end waits for
    // its timeout instead of seeing the close.
    try addCloseFrom(&actions, 3)
    let argv: [UnsafeMutablePointer<CChar>?] = ([exe] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    // The child starts with no signal blocked and the usual signals at their defaults: a test's thread
    // may block or ignore some, and a tmux server that inherited a blocked SIGTERM ignores `kill-server`
    // (it signals itself), so it and the dispo it runs would outlive the test.
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attr, &noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for sig in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGCHLD, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT] {
        sigaddset(&defaults, sig)
    }
    posix_spawnattr_setsigdefault(&attr, &defaults)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, exe, &actions, &attr, argv, environ)
    guard rc == 0 else { throw HarnessError("cannot start \(exe): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let output = capture ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
    let exited = (status & 0x7f) == 0
    return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time: Swift's Glibc
/// module does not declare it. Throws when the C library lacks it.
private func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) throws {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
        throw HarnessError("this C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later needed)")
    }
    let rc = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, lowest)
    guard rc == 0 else { throw HarnessError("posix_spawn_file_actions_addclosefrom_np: \(String(cString: strerror(rc)))") }
}

func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
