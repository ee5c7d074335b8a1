import DispoStore
import DispoViewModel
import Foundation

/// One sender per state directory, for `AppRuntime`: becoming the sender, following other processes'
/// commits, salvaging a store damaged while running.
extension AppRuntime {
    /// This process sends from now on: interrupted sends of a process that is gone are recovered
    /// (uncertain from their POST's start), then the outbox is sent.
    func becomeSender(_ lock: SenderLock?) {
        if let lock, !role.hold(lock) { lock.release(); return }
        do {
            let recovered = try store.recoverInterrupted(inFlightLimit: outbox.interruptedSendLimit)
            if recovered > 0 { logger.notice("recovered \(recovered) interrupted send(s)") }
        } catch { post(.statusMessage("Outbox could not be read: \(error)", isError: true)) }
        outbox.isSender = true
        role.otherPID = nil
        post(.outboxSender(.thisProcess))
        outbox.publish()
        outbox.kick()
    }

    /// Another process committed to the store: show the outbox as it is now; the sender sends what was
    /// queued there, the others report what the sender did with their logs.
    func storeChanged() {
        outbox.publish()
        publishCallBacks()
        if outbox.isSender { outbox.kick() } else { outbox.reportOutcomes() }
    }

    /// SQLite reported the store damaged while running: salvage it when no other process has it open.
    /// Returns true when the store was salvaged (the rep is told what was saved).
    func salvage(after error: StoreError) -> Bool {
        guard case .damaged(_, let reason) = error else { return false }
        do {
            let repair = try store.salvageAfterDamage(reason: reason)
            logger.error("store salvaged while running: \(repair.sentence)")
            post(.statusMessage(repair.sentence, isError: true))
            if let kept = repair.keptDamage { post(.damagedStoreKept(DamagedStoreNote(path: kept.path, unread: kept.unread))) }
            outbox.publish()
            return true
        } catch {
            logger.error("store damaged, not salvaged: \(error)")
            return false
        }
    }
}

/// The sender lock held (or waited for) and the store watcher, for `AppRuntime`.
final class SenderRole: @unchecked Sendable {
    private let lock = NSLock()
    private var held: SenderLock?
    private var stopped = false
    private var waiting: SenderLockWait?
    private var watching: StoreWatcher?
    private var pid: Int32?

    var wait: SenderLockWait? {
        get { lock.withLock { waiting } }
        set { lock.withLock { waiting = newValue } }
    }
    var watcher: StoreWatcher? {
        get { lock.withLock { watching } }
        set { lock.withLock { watching = newValue } }
    }
    var otherPID: Int32? {
        get { lock.withLock { pid } }
        set { lock.withLock { pid = newValue } }
    }

    /// Keeps `senderLock`; false once stopped (the caller releases it).
    func hold(_ senderLock: SenderLock) -> Bool {
        lock.withLock {
            guard !stopped else { return false }
            held = senderLock
            return true
        }
    }

    func stop() {
        let (senderLock, wait, watcher) = lock.withLock { () -> (SenderLock?, SenderLockWait?, StoreWatcher?) in
            stopped = true
            defer { held = nil; waiting = nil; watching = nil }
            return (held, waiting, watching)
        }
        wait?.cancel()
        watcher?.stop()
        senderLock?.release()
    }
}
