import Foundation
import Testing

/// The exit statuses `dispo --help` and the README promise: 2 when the terminal cannot be used, 64 for a
/// usage error.
@Suite("dispo exit statuses")
struct ExitStatusTests {
    static func environment() -> [String: String] {
        let state = NSTemporaryDirectory() + "dispo-exit-\(UUID().uuidString)"
        return ["XDG_STATE_HOME": state, "HOME": state, "XDG_CONFIG_HOME": state + "/config"]
    }

    @Test func helpListsTheExitStatuses() async throws {
        let help = try await LogCommandTests.dispo(["--help"], environment: Self.environment())
        #expect(help.status == 0)
        let flat = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for promise in ["0 done", "1 refused or failed", "2 the configuration or the terminal cannot be used",
                        "3 a log is queued", "64 a usage error"] {
            #expect(flat.contains(promise), "\(promise) missing from:\n\(help.output)")
        }
    }

    @Test func theTUIWithoutATerminalExits2SayingWhy() async throws {
        // In a session of its own, so no controlling terminal (/dev/tty) is there to fall back on.
        let args = Self.environment().sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [TmuxSession.binary]
        let result = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do { continuation.resume(returning: try run("/usr/bin/setsid", ["--wait", "/usr/bin/env"] + args)) }
                catch { continuation.resume(throwing: error) }
            }
        }
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("dispo needs a terminal"), "\(result.output)")
    }

    @Test func anUnknownOptionIsAUsageError() async throws {
        let result = try await LogCommandTests.dispo(["calls", "list", "--colour"], environment: Self.environment())
        #expect(result.status == 64, "\(result.output)")
    }
}
