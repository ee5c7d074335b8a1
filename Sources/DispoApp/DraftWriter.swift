import DispoStore
import DispoViewModel
import Foundation

/// Keeps the log form's draft in the store, so an SSH drop or a crash loses nothing typed.
///
/// Writes run one at a time in the order they were asked for (`save`, `clear`), so the latest draft
/// wins and an older one never overwrites a newer one. Work that must come after the writes asked for
/// so far (sending the log, which clears the draft; exit) awaits `queued`.
///
/// A class rather than an actor: the order is fixed when the UI thread asks, synchronously; tasks sent
/// to an actor from there could run in any order.
final class DraftWriter: @unchecked Sendable {
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

    /// The writes queued so far, as one task (nil when none was ever queued): await its value before work
    /// that must follow them.
    var queued: Task<Void, Never>? { lock.withLock { last } }

    /// Waits until every write queued so far is done.
    func flush() async { await queued?.value }

    private func enqueue(_ write: @escaping @Sendable () -> Void) {
        lock.withLock {
            let previous = last
            last = Task {
                await previous?.value
                write()
            }
        }
    }
}
