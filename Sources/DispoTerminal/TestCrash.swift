import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberate crash for end-to-end tests of the terminal restore (a forced crash must leave `stty -a`
/// as it was). Read from the environment variable `DISPO_TEST_CRASH_AFTER_START`: `1` or `trap` (a
/// Swift runtime trap, `fatalError`), `abort` (SIGABRT) or `segv` (a real SIGSEGV from a write to an
/// unmapped address). The UI crashes the first time it is idle with a frame drawn (after writing the
/// idle report, when `TerminalOptions.idleFile` is set). Anything else, or unset: no crash.
enum TestCrash: String, Sendable {
    case trap, abort, segv

    /// The crash the environment asks for, or nil.
    init?(environment: [String: String]) {
        guard let value = environment["DISPO_TEST_CRASH_AFTER_START"]?.lowercased(), !value.isEmpty else { return nil }
        self.init(rawValue: value == "1" ? "trap" : value)
    }

    /// Crashes the process the chosen way (never returns).
    func crash() -> Never {
        switch self {
        case .trap:
            fatalError("crashing on purpose (DISPO_TEST_CRASH_AFTER_START=trap)")
        case .abort:
            Glibc.abort()
        case .segv:
            UnsafeMutablePointer<Int>(bitPattern: 8)!.pointee = 1
            fatalError("unreachable: the write above faults")
        }
    }
}
