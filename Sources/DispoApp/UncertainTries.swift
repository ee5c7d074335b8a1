import DispoStore
import Foundation

/// What the outbox knows, in this process, about each entry's earlier tries: whether one may still have
/// created the call, and how many tries in a row nothing has ruled out.
///
/// - A try whose POST may have reached the server (no answer, 500/502/504, an unreadable 2xx) is
///   uncertain: before anything is sent again the outbox must look for its call.
/// - A look-up that searched the whole window and found nothing rules out every try before it: they
///   stop counting, and a refusal after it (503, 429, not sent) needs no new look-up. So does the rep
///   sending an entry again after being asked to check the Calls list.
/// - A look-up that could not be made counts as one more unresolved try: the outbox asks the rep once
///   `uncertainAttemptLimit` of them come in a row.
///
/// Kept in memory: a new process knows only the store's `uncertain` flag, so it looks up first.
final class UncertainTries: @unchecked Sendable {
    private struct Entry {
        var unresolved: Int
        var lookUpNeeded: Bool
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// True when `record` must be looked up before it is sent: the store says a try may have reached the
    /// server, and no look-up in this process has ruled that out since.
    func needsLookUp(_ record: OutboxRecord) -> Bool {
        guard record.uncertain else { return false }
        return lock.withLock { entries[record.localID]?.lookUpNeeded ?? true }
    }

    /// A look-up searched the whole window of `localID`'s call and found nothing (or the rep, asked to
    /// check, sent it again).
    func ruledOut(_ localID: String) {
        lock.withLock { entries[localID] = Entry(unresolved: 0, lookUpNeeded: false) }
    }

    /// A try of `localID` may have created the call; returns the unresolved tries in a row, this one
    /// included.
    func uncertain(_ localID: String) -> Int { count(localID) }

    /// A look-up of `localID` could not be made (the server did not answer it); returns the unresolved
    /// tries in a row, this one included.
    func lookUpFailed(_ localID: String) -> Int { count(localID) }

    /// Forgets `localID` (sent, found, or handed to the rep).
    func forget(_ localID: String) { lock.withLock { entries[localID] = nil } }

    private func count(_ localID: String) -> Int {
        lock.withLock {
            var e = entries[localID] ?? Entry(unresolved: 0, lookUpNeeded: true)
            e.unresolved += 1
            e.lookUpNeeded = true
            entries[localID] = e
            return e.unresolved
        }
    }
}
