import DispoStore
import DispoViewModel
import Foundation

/// The UI's writes to the store, in the order asked: the log form's draft (so an SSH drop or a crash loses
/// nothing typed) and each log sent to the outbox.
///
/// Writes run one at a time in the order they were asked for (`save`, `clear`, `write`), so the latest
/// draft wins and an older one never overwrites a newer one, and logs reach the outbox in the order they
/// were sent (each clears the draft in the same transaction). Exit awaits `flush`.
///
/// A class rather than an actor: the order is fixed when the UI thread asks, synchronously; tasks sent
/// to an actor from there could run in any order.
final class StoreWriter: @unchecked Sendable {
    /// The store key of this workspace's draft.
    let key: String
    private let store: DispoStore
    private let post: @Sendable (Msg) -> Void
    private let lock = NSLock()
    private var last: Task<Void, Never>?

    /// - Parameters:
    ///   - key: the draft's store key (one draft per workspace).
    ///   - post: tells the rep when a draft could not be saved (`Msg.statusMessage`, an error).
    init(store: DispoStore, key: String, post: @escaping @Sendable (Msg) -> Void) {
        self.store = store; self.key = key; self.post = post
    }

    /// The draft an earlier run left, if one is stored and readable.
    func saved() -> LogDraft? {
        guard let data = try? store.draft(key: key) else { return nil }
        return try? JSONDecoder().decode(LogDraft.self, from: data)
    }

    /// Queues a write of `draft` (JSON) after those already queued.
    func save(_ draft: LogDraft) {
        enqueue { [store, key, post] in
            if let data = try? JSONEncoder().encode(draft) {
                do { try store.saveDraft(key: key, json: data, updatedAt: Date()) }
                catch { post(.statusMessage("Draft could not be saved: \(error)", isError: true)) }
            }
        }
    }

    /// Queues the draft's removal after the writes already queued.
    func clear() {
        enqueue { [store, key] in try? store.clearDraft(key: key) }
    }

    /// Queues `write` (a log written to the outbox) after the writes already queued and before those
    /// queued later; the returned task ends when it is done.
    @discardableResult
    func write(_ write: @escaping @Sendable () -> Void) -> Task<Void, Never> { enqueue(write) }

    /// Waits until every write queued so far is done.
    func flush() async { await lock.withLock { last }?.value }

    @discardableResult
    private func enqueue(_ write: @escaping @Sendable () -> Void) -> Task<Void, Never> {
        lock.withLock {
            let previous = last
            let task = Task {
                await previous?.value
                write()
            }
            last = task
            return task
        }
    }
}
