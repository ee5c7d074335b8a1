import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The environment variable marking a dispo that already re-executed itself for `SWIFT_BACKTRACE`.
let backtraceMarker = "DISPO_BACKTRACE_REEXEC"

/// Keeps the Swift runtime's backtracer from holding the rep's terminal after a crash: it asks "Press
/// space to interact…" on a terminal and waits, and even when not asking it takes seconds (7–9 s
/// measured on a debug build) to symbolicate before the process ends.
///
/// - `SWIFT_BACKTRACE` unset or empty: `enable=no`. The terminal front end's crash handler then restores
///   the terminal, prints dispo's own one-line report and lets the signal end the process (128 + n).
/// - Set without an `interactive=` setting (a developer asking for backtraces): `,interactive=no` added.
/// - Set with `interactive=`: kept as it is.
///
/// The runtime reads `SWIFT_BACKTRACE` once, as the process starts, so a change means running the same
/// binary again (the file `/proc/self/exe` names, with the same arguments and environment) with
/// `DISPO_BACKTRACE_REEXEC=1` set, which stops a second re-exec. Call it first, before any thread or
/// file is opened. Returns when no re-exec was needed, or when `execv` failed (the environment is then
/// put back as found). Costs one exec at start: 46 → 73 ms for `dispo --version` (debug build, a busy
/// machine, 20 runs each).
func takeCrashesOffTheBacktracer() {
    let current = getenv("SWIFT_BACKTRACE").map { String(cString: $0) } ?? ""
    guard !current.contains("interactive="), getenv(backtraceMarker) == nil else { return }
    // The binary's own path, not /proc/self/exe: the process is named after the file it runs (`dispo`
    // in ps, pgrep and /proc/PID/stat), which "exe" would not be.
    var path = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let length = readlink("/proc/self/exe", &path, path.count - 1)
    guard length > 0 else { return }
    path[length] = 0
    setenv("SWIFT_BACKTRACE", current.isEmpty ? "enable=no" : current + ",interactive=no", 1)
    setenv(backtraceMarker, "1", 1)
    _ = execv(path, CommandLine.unsafeArgv)
    if current.isEmpty { unsetenv("SWIFT_BACKTRACE") } else { setenv("SWIFT_BACKTRACE", current, 1) }
    unsetenv(backtraceMarker)
}
