import Foundation
import Testing
@testable import DispoStore
#if canImport(Glibc)
import Glibc
#endif

/// The sender lock between processes: held by another process (`flock(1)` from util-linux, as a child),
/// waited for without polling, released when the holder dies, and never inherited by a child.
@Suite(.serialized) struct SenderLockTests {
    /// Starts `arguments` (a program and its arguments) as a child; returns its pid.
    static func spawn(_ arguments: [String]) throws -> pid_t {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let rc = posix_spawnp(&pid, arguments[0], nil, nil, argv, environ)
        guard rc == 0 else { throw StoreError.database("cannot start \(arguments[0]): \(rc)") }
        return pid
    }

    /// Waits for the child `pid`; its exit status.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Polls `condition` every 10 ms for up to `timeout` seconds.
    static func eventually(_ timeout: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline { if condition() { return true }; usleep(10_000) }
        return condition()
    }

    /// A `flock(1)` child holding `dir`'s lock, having written its own pid into it; the pid of its
    /// `sleep` child (which does not hold the lock: `-o`) goes to `dir/sleeper`.
    static func holder(_ dir: String) throws -> (flock: pid_t, sleeper: () -> pid_t?) {
        let lock = SenderLock.path(stateDirectory: dir)
        let pid = try spawn(["flock", "-o", lock, "sh", "-c", "echo $$ > \(dir)/sleeper; echo $PPID > \(lock); exec sleep 60"])
        #expect(eventually { SenderLock.holderPID(stateDirectory: dir) == pid }, "the child holds the lock")
        let sleeper = { () -> pid_t? in
            (try? String(contentsOfFile: dir + "/sleeper", encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return (pid, sleeper)
    }

    @Test func anotherProcessHoldingTheLockIsNamedAndItsDeathFreesIt() throws {
        try withTemporaryDirectory { dir in
            let (child, sleeper) = try Self.holder(dir)
            defer { if let s = sleeper() { kill(s, SIGKILL); _ = Self.wait(s) } }
            guard case .heldByAnother(let pid) = try SenderLock.tryAcquire(stateDirectory: dir) else {
                Issue.record("acquired a lock another process holds"); return
            }
            #expect(pid == child)
            kill(child, SIGKILL)  // no chance to unlock: the kernel drops the lock with the process
            _ = Self.wait(child)
            guard case .acquired(let lock) = try SenderLock.tryAcquire(stateDirectory: dir) else {
                Issue.record("the dead holder's lock was not freed"); return
            }
            #expect(SenderLock.holderPID(stateDirectory: dir) == getpid())
            lock.release()
        }
    }

    @Test func aWaitingProcessTakesOverWhenTheHolderExits() throws {
        try withTemporaryDirectory { dir in
            let (child, sleeper) = try Self.holder(dir)
            defer { if let s = sleeper() { kill(s, SIGKILL); _ = Self.wait(s) } }
            let taken = Box()
            let wait = try SenderLock.acquireWhenFree(stateDirectory: dir) { lock in taken.set(lock) }
            defer { wait.cancel() }
            #expect(taken.lock == nil, "waits while the child holds it")
            kill(child, SIGKILL)
            _ = Self.wait(child)
            #expect(Self.eventually { taken.lock != nil }, "took over once the holder exited")
            #expect(SenderLock.holderPID(stateDirectory: dir) == getpid())
            taken.lock?.release()
        }
    }

    @Test func theLockIsSeenByOtherProcessesAndNotInheritedByChildren() throws {
        try withTemporaryDirectory { dir in
            let lockPath = SenderLock.path(stateDirectory: dir)
            guard case .acquired(let lock) = try SenderLock.tryAcquire(stateDirectory: dir) else {
                Issue.record("not acquired"); return
            }
            #expect(Self.wait(try Self.spawn(["flock", "-n", lockPath, "true"])) == 1, "another process cannot take it")
            let child = try Self.spawn(["sleep", "60"])  // started while the lock is held
            defer { kill(child, SIGKILL); _ = Self.wait(child) }
            lock.abandon()  // as if this process died: no unlock, only its descriptor closed
            // Polled: a child another test forks at that moment holds the descriptor until it execs.
            #expect(Self.eventually(5) { (try? Self.wait(Self.spawn(["flock", "-n", lockPath, "true"]))) == 0 },
                    "free once its holder is gone, although a child started while it was held still runs")
        }
    }

    @Test func aSecondLockInTheSameProcessIsRefusedToo() throws {
        try withTemporaryDirectory { dir in
            guard case .acquired(let first) = try SenderLock.tryAcquire(stateDirectory: dir) else {
                Issue.record("not acquired"); return
            }
            guard case .heldByAnother(let pid) = try SenderLock.tryAcquire(stateDirectory: dir) else {
                Issue.record("two holders"); return
            }
            #expect(pid == getpid())
            first.release()
            guard case .acquired(let second) = try SenderLock.tryAcquire(stateDirectory: dir) else {
                Issue.record("not free after release"); return
            }
            second.release()
        }
    }

    final class Box: @unchecked Sendable {
        private let guardLock = NSLock()
        private var held: SenderLock?
        func set(_ l: SenderLock) { guardLock.withLock { held = l } }
        var lock: SenderLock? { guardLock.withLock { held } }
    }
}
