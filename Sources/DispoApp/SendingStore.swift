import AmplemarketAPI
import DispoStore
import DispoViewModel
import Foundation
import Logging

/// The outbox sender's way to the store: when the store cannot take one of the sender's writes (disk
/// full, read-only, an I/O error, a damaged file), the write is kept in memory — what the sender
/// learnt, e.g. the server's call id after a successful POST — and made again once the store takes
/// writes. Meanwhile `Msg.storeHealth(.cannotSave)` tells the rep, nothing else is sent (the head
/// entry stays `sending` in the store, so nothing overtakes it), and a probe tries again after 1, 2, 4,
/// 8, 16, then every 30 s. When the store is healthy nothing polls. The first write that goes through
/// posts `.storeHealth(.writable)`.
///
/// A write kept in memory is lost if the process dies before it is made; the entry is then found
/// `sending` on the next start and looked for on the server before any re-send, so nothing is sent
/// twice.
final class SendingStore: @unchecked Sendable {
    let store: DispoStore
    private let post: @Sendable (Msg) -> Void
    private let logger = Logger(label: "dispo.outbox.store")
    private let lock = NSLock()
    private var held: [(what: String, write: () throws -> Void)] = []
    private var broken: String?
    private var probe: Task<Void, Never>?
    /// Called once the store takes writes again (the sender resumes).
    var onHealthy: (@Sendable () -> Void)?
    /// Called when the store reported damage while running; returns true when it was salvaged.
    var onDamage: (@Sendable (StoreError) -> Bool)?
    /// Probe delays in seconds; the last repeats.
    let probeDelays: [Double]

    init(store: DispoStore, probeDelays: [Double] = [1, 2, 4, 8, 16, 30], post: @escaping @Sendable (Msg) -> Void) {
        self.store = store; self.probeDelays = probeDelays; self.post = post
    }

    /// True while writes are kept in memory (the sender must not start another send).
    var isHolding: Bool { lock.withLock { !held.isEmpty } }

    // MARK: Reads and writes that are not kept (they throw as the store does)

    func outbox(workspaceKey: String, includeFinished: Bool) throws -> [OutboxRecord] {
        try store.outbox(workspaceKey: workspaceKey, includeFinished: includeFinished)
    }

    /// The entry to send now; nil while writes are kept in memory.
    func nextSendable(workspaceKey: String, now: Date) throws -> OutboxRecord? {
        if isHolding { return nil }
        return try store.nextSendable(workspaceKey: workspaceKey, now: now)
    }

    func enqueue(_ entry: NewOutboxEntry) throws -> OutboxRecord { try attempt { try store.enqueue(entry) } }

    func updateRequest(localID: String, requestJSON: Data, summary: String) throws {
        try attempt { try store.updateRequest(localID: localID, requestJSON: requestJSON, summary: summary) }
    }

    /// A send starts. When the store cannot save, throws (nothing may be sent that it has not recorded)
    /// and the probe starts; nothing is kept.
    func markSending(localID: String, at: Date) throws { try attempt { try store.markSending(localID: localID, at: at) } }

    /// A POST of the sending entry starts. Throws like `markSending`.
    func markPostStarted(localID: String, at: Date) throws {
        try attempt { try store.markPostStarted(localID: localID, at: at) }
    }

    // MARK: Writes kept in memory when the store cannot take them

    /// Records the call the server has; `then` runs once it is recorded (now, or when written later).
    func markSent(localID: String, callID: String, callJSON: Data, notesStored: Bool, at: Date,
                  then: @escaping () -> Void) throws {
        try keep("sent \(localID)") { [store] in
            try store.markSent(localID: localID, callID: callID, callJSON: callJSON, notesStored: notesStored, at: at)
            then()
        }
    }

    func markRetry(localID: String, error: String, nextAttemptAt: Date, uncertain: Bool) throws {
        try keep("retry \(localID)") { [store] in
            try store.markRetry(localID: localID, error: error, nextAttemptAt: nextAttemptAt, uncertain: uncertain)
        }
    }

    func markNeedsAttention(localID: String, error: String, fieldErrors: [String: String]) throws {
        try keep("needs attention \(localID)") { [store] in
            try store.markNeedsAttention(localID: localID, error: error, fieldErrors: fieldErrors)
        }
    }

    // MARK: Health

    /// Runs `write`; a failure to save is reported (and the probe started) before it is rethrown.
    private func attempt<T>(_ write: () throws -> T) throws -> T {
        do {
            let result = try write()
            wrote()
            return result
        } catch let error as StoreError where error.cannotSaveReason != nil {
            failed(error)
            throw error
        }
    }

    /// Makes `write` now, after the writes already kept; when the store cannot save, keeps it (and
    /// returns normally). Other errors are thrown.
    private func keep(_ what: String, _ write: @escaping () throws -> Void) throws {
        let first = lock.withLock { () -> Bool in
            if held.isEmpty { return true }
            held.append((what, write))
            return false
        }
        guard first else { return }
        do {
            try write()
            wrote()
        } catch let error as StoreError where error.cannotSaveReason != nil {
            lock.withLock { held.insert((what, write), at: 0) }
            logger.warning("keeping '\(what)' in memory: \(error)")
            failed(error)
        }
    }

    private func wrote() {
        let recovered = lock.withLock { () -> Bool in
            guard broken != nil, held.isEmpty else { return false }
            broken = nil
            probe?.cancel()
            probe = nil
            return true
        }
        if recovered {
            logger.notice("the store takes writes again")
            post(.storeHealth(.writable))
            onHealthy?()
        }
    }

    private func failed(_ error: StoreError) {
        if error.isDamage, onDamage?(error) == true {
            // Salvaged into a fresh store: make the kept writes now.
            flushHeld()
            return
        }
        let why = error.cannotSaveReason ?? "\(error)"
        let changed = lock.withLock { () -> Bool in
            let changed = broken != why
            broken = why
            if probe == nil { probe = Task { [weak self] in await self?.runProbe() } }
            return changed
        }
        if changed { post(.storeHealth(.cannotSave(why))) }
    }

    /// Tries the kept writes (or, with none, a small write) after each delay until one goes through.
    private func runProbe() async {
        var index = 0
        while !Task.isCancelled {
            let delay = probeDelays[min(index, probeDelays.count - 1)]
            index += 1
            try? await sleepOnEventLoop(seconds: delay)
            if Task.isCancelled { return }
            let pending = lock.withLock { held.count }
            if pending > 0 {
                if flushHeld() { return }
            } else if (try? store.probeWrite()) != nil {
                wrote()
                return
            }
        }
    }

    /// Makes the kept writes in order; true when all went through. A write the store now refuses for
    /// another reason (the entry moved on, e.g. after a salvage) is dropped.
    @discardableResult
    private func flushHeld() -> Bool {
        while let next = lock.withLock({ held.first }) {
            do {
                try next.write()
            } catch let error as StoreError where error.cannotSaveReason != nil {
                return false
            } catch {
                logger.warning("dropping kept write '\(next.what)': \(error)")
            }
            lock.withLock { _ = held.removeFirst() }
        }
        wrote()
        return true
    }
}
