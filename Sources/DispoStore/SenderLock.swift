import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One sender per state directory: an exclusive `flock` on `<state dir>/dispo.lock`, held by the one
/// dispo process that recovers interrupted sends and sends the outbox. The kernel drops it when that
/// process exits or dies (the descriptor is `O_CLOEXEC`, so no child keeps it), so a crashed holder
/// never blocks the next one. The holder writes its pid into the file, for others to name it.
///
/// Any other process (a second TUI, `dispo log`) still writes its logs to the shared store, durably,
/// and leaves sending to the holder; it may wait for the lock (`acquireWhenFree`) to take over.
///
/// Scripting use: `switch try SenderLock.tryAcquire(stateDirectory: dir) { case .acquired(let lock):
/// … send …; lock.release() case .heldByAnother(let pid): print("queued: another dispo (pid \(pid)) is
/// sending it") }`.
public final class SenderLock: @unchecked Sendable {
    /// The lock file's name in the state directory.
    public static let fileName = "dispo.lock"

    /// The outcome of `tryAcquire`.
    public enum Attempt: Sendable {
        /// This process is the sender until `release()` (or exit).
        case acquired(SenderLock)
        /// Another live process holds the lock; its pid when it wrote one and is alive.
        case heldByAnother(pid: Int32?)
    }

    /// The lock file's path.
    public let path: String
    private let lock = NSLock()
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
        _ = ftruncate(fd, 0)
        let text = Array("\(getpid())\n".utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit { release() }

    /// The lock file for `stateDirectory`.
    public static func path(stateDirectory: String) -> String {
        (stateDirectory as NSString).appendingPathComponent(fileName)
    }

    /// Becomes the sender for `stateDirectory` if no other process is; never waits.
    /// - Throws: `StoreError.notWritable` when the lock file cannot be opened or created.
    public static func tryAcquire(stateDirectory: String) throws -> Attempt {
        let path = path(stateDirectory: stateDirectory)
        let fd = try openFile(path)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            _ = close(fd)
            return .heldByAnother(pid: holderPID(stateDirectory: stateDirectory))
        }
        return .acquired(SenderLock(path: path, fd: fd))
    }

    /// Waits for the lock on a background thread blocked in `flock` (no polling: the kernel wakes it
    /// when the holder releases or dies), then calls `acquired` on that thread. `cancel()` on the
    /// returned wait stops it: a lock taken after that is released at once and `acquired` not called.
    /// - Throws: `StoreError.notWritable` when the lock file cannot be opened or created.
    public static func acquireWhenFree(stateDirectory: String,
                                       acquired: @escaping @Sendable (SenderLock) -> Void) throws -> SenderLockWait {
        let path = path(stateDirectory: stateDirectory)
        let fd = try openFile(path)
        let wait = SenderLockWait()
        let thread = Thread {
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR { _ = close(fd); return }
            }
            if wait.isCancelled { _ = close(fd); return }
            acquired(SenderLock(path: path, fd: fd))
        }
        thread.name = "dispo.sender-lock"
        thread.start()
        return wait
    }

    /// The pid written by the process holding the lock of `stateDirectory`, when one holds it and that
    /// process is alive; nil otherwise.
    public static func holderPID(stateDirectory: String) -> Int32? {
        guard let bytes = try? FileIO.readAll(path: path(stateDirectory: stateDirectory)),
              let pid = Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return nil }
        return pid
    }

    /// Gives the lock up (the next waiting process takes it). Idempotent.
    public func release() {
        lock.withLock {
            guard fd >= 0 else { return }
            _ = flock(fd, LOCK_UN)
            _ = close(fd)
            fd = -1
        }
    }

    /// Closes the descriptor without unlocking, as the kernel does when the process dies (tests: the
    /// lock must then be free, however many children this process started).
    func abandon() {
        lock.withLock {
            guard fd >= 0 else { return }
            _ = close(fd)
            fd = -1
        }
    }

    private static func openFile(_ path: String) throws -> Int32 {
        let fd = FileIO.open(path, O_RDWR | O_CREAT)
        if fd < 0 { throw StoreError.notWritable(path: path, reason: FileIO.errnoText()) }
        return fd
    }
}

/// A wait for the sender lock (see `SenderLock.acquireWhenFree`).
public final class SenderLockWait: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    /// Stops waiting: if the lock is taken later, it is released at once.
    public func cancel() { lock.withLock { cancelled = true } }

    var isCancelled: Bool { lock.withLock { cancelled } }
}
