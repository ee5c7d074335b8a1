import CNcursesw
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The only Swift file that calls the shim's signal functions: their state lives in `static` C storage,
/// of which each object file gets its own copy, so all calls must come from one file.
enum SignalBridge {
    /// Saves the termios of `inFd`, routes INT/TERM/HUP/QUIT/TSTP/WINCH/CONT to `wakeFd` (one byte: the
    /// signal number) and arms the crash handlers (SEGV/ABRT/BUS/ILL/TRAP/FPE).
    ///
    /// Also unblocks those signals on the calling thread (the UI thread): a parent may start dispo with
    /// them blocked (a signal mask is inherited through fork and exec; a test runner's thread, say), and a
    /// blocked SIGTERM, SIGHUP or SIGWINCH would never reach the handlers — no exit, no resize. Threads
    /// started earlier keep their masks, so process-directed signals are delivered to this thread.
    static func install(inFd: Int32, outFd: Int32, wakeFd: Int32) {
        _ = dispo_signal_install(inFd, outFd, wakeFd)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGWINCH, SIGCONT,
                    SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGTRAP, SIGFPE] {
            dispo_signal_unblock(sig)
        }
    }

    /// Sets what the crash handler writes to leave the screen sane.
    static func setRestoreBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { p in
                dispo_signal_set_restore(p, buf.count)
            }
        }
    }

    /// Sets the text printed after dispo's own crash report (the one written when no runtime backtracer
    /// follows): at most 511 bytes.
    static func setCrashNote(_ note: String) { dispo_signal_set_crash_note(note) }

    static func disarm() { dispo_signal_disarm() }
    static func rearm(inFd: Int32, outFd: Int32, wakeFd: Int32) { dispo_signal_rearm(inFd, outFd, wakeFd) }
    static func setDefault(_ sig: Int32) { dispo_signal_set_default(sig) }
    static func setOrderly(_ sig: Int32) { dispo_signal_set_orderly(sig) }
    static func ignore(_ sig: Int32) { _ = signal(sig, SIG_IGN) }
    static func unblock(_ sig: Int32) { dispo_signal_unblock(sig) }
    static func exitHandled() { dispo_signal_exit_handled() }
    /// Writes the restore bytes and puts the startup termios back (what a crash does), from Swift.
    static func restoreNow() { dispo_signal_restore_now() }

    /// While the UI owns the terminal, stderr (and stdout, when it is a tty) go to an unlinked temp file
    /// (stray writes would garble the screen); `replayStderr` puts it back and prints what was written (at most the last 64 KiB). The
    /// crash handler replays too, so the runtime's "Fatal error" line is seen after the crash.
    static func captureStderr() {
        guard isatty(2) == 1 else { return }
        let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(dir)/dispo-stderr-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        fflush(nil)
        if dispo_stderr_capture_begin(fd, isatty(1) == 1 ? 1 : 0) != 0 { close(fd) }
    }

    static func replayStderr() {
        fflush(nil)
        dispo_stderr_replay()
    }

    /// Runs `/bin/sh -c command sh arg` with default signal dispositions in the child; returns the wait
    /// status or -1.
    static func spawnShell(_ command: String, arg: String) -> Int32 {
        dispo_spawn_shell_and_wait(command, arg)
    }
}
