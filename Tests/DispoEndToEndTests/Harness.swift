import Foundation

/// Drives the real `dispo` binary inside a detached tmux session (design.md §6.4).
///
/// Synchronisation is by the app's idle signal: with `DISPO_IDLE_FILE` set, dispo rewrites that file
/// (frame count and a screen digest) whenever it is idle — input drained, frame drawn, no work in
/// flight. The harness waits for the file to change instead of sleeping.
final class TmuxSession {
    let name: String
    let idleFile: String
    let workDir: String
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
    init(cols: Int, rows: Int, arguments: [String], environment: [String: String]) throws {
        name = "dispo-e2e-\(UUID().uuidString.prefix(8))"
        workDir = NSTemporaryDirectory() + name
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        idleFile = workDir + "/idle"
        var env: [String: String] = [
            "HOME": workDir, "XDG_STATE_HOME": workDir + "/state", "XDG_CONFIG_HOME": workDir + "/config",
            "LANG": "C.UTF-8", "TERM": "xterm-256color", "DISPO_IDLE_FILE": idleFile,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        env.merge(environment) { $1 }
        let exports = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(shellQuote($0.value))" }.joined(separator: " ")
        let command = "cd \(shellQuote(workDir)) && env -i \(exports) \(shellQuote(Self.binary)) \(arguments.map(shellQuote).joined(separator: " ")); echo EXITED:$? ; sleep 30"
        let r = try run("/usr/bin/env", ["tmux", "-L", name, "new-session", "-d", "-s", name, "-x", "\(cols)", "-y", "\(rows)", command])
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
                return s
            }
            usleep(20_000)
        }
        throw HarnessError("no idle signal within \(timeout) s; screen:\n\(capture())")
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

    /// The visible screen as text, one line per row.
    func capture() -> String {
        (try? run("/usr/bin/env", ["tmux", "-L", name, "capture-pane", "-p", "-t", name]).output) ?? ""
    }

    func kill() { _ = try? run("/usr/bin/env", ["tmux", "-L", name, "kill-server"]) }
    deinit { kill() }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

@discardableResult
func run(_ exe: String, _ args: [String]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
