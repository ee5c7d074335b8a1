import CNcursesw
import DispoViewModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The UI thread's inbox and its wake pipe: any thread may `post` a `Msg`, which also writes a 0 byte
/// to the pipe so the UI thread's `poll` returns. The signal handlers write the signal's number to the
/// same pipe (`wakeWrite`), so one `poll` hears both.
final class Inbox: @unchecked Sendable {
    /// The pipe's read end, which the UI thread polls (non-blocking).
    let wakeRead: Int32
    /// The pipe's write end (non-blocking), also handed to the signal handlers.
    let wakeWrite: Int32
    private let lock = NSLock()
    private var msgs: [Msg] = []

    /// - Throws: `TerminalError.pipeFailed` when the pipe cannot be made.
    init() throws {
        var fds: [Int32] = [-1, -1]
        guard dispo_pipe_nonblocking(&fds) == 0 else { throw TerminalError.pipeFailed(errno: errno) }
        wakeRead = fds[0]; wakeWrite = fds[1]
    }

    /// Queues `msg` and wakes the UI thread. Thread-safe; never blocks.
    func post(_ msg: Msg) {
        lock.lock()
        msgs.append(msg)
        lock.unlock()
        var zero: UInt8 = 0
        _ = write(wakeWrite, &zero, 1)  // a full pipe already means "wake up": EAGAIN is fine
    }

    /// Everything queued so far, oldest first; the inbox is empty afterwards.
    func take() -> [Msg] {
        lock.lock(); defer { lock.unlock() }
        let taken = msgs
        msgs.removeAll(keepingCapacity: true)
        return taken
    }

    /// True when nothing is queued.
    var isEmpty: Bool {
        lock.lock(); defer { lock.unlock() }
        return msgs.isEmpty
    }

    /// Empties the wake pipe; returns the signals it carried, each once, in the order first seen (the
    /// 0 bytes of `post` are only wake-ups).
    func drainSignals() -> [Int32] {
        var signals: [Int32] = []
        var buf = [UInt8](repeating: 0, count: 256)
        while true {
            let n = read(wakeRead, &buf, buf.count)
            if n <= 0 { break }
            for b in buf[0..<n] where b != 0 && !signals.contains(Int32(b)) { signals.append(Int32(b)) }
        }
        return signals
    }
}
