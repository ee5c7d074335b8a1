import Foundation
import GRDB

extension DispoStore {
    // MARK: - Recovery (only the process holding the sender lock calls these)

    /// Every entry (all workspaces) left `sending` by a process that is gone goes back to `pending`,
    /// `uncertain` (its POST may have reached the server), and is not looked up before
    /// `lastAttemptAt + inFlightLimit`: the POST is uncertain from when it started, not from now, and a
    /// server may still be working on it until then. Returns how many entries were recovered.
    ///
    /// Call it only while holding the `SenderLock`: an entry `sending` in another live process is that
    /// process's business. `inFlightLimit` (seconds) is how long a POST can stay unanswered (the
    /// client's request timeout) plus how long a server may still take to save it (the settle time).
    /// An entry without `lastAttemptAt` (written before it existed) counts from its last change.
    /// - Throws: `StoreError`.
    @discardableResult
    public func recoverInterrupted(inFlightLimit: TimeInterval) throws -> Int {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'pending', uncertain = 1,
                        next_attempt_at = COALESCE(last_attempt_at, updated_at) + ?,
                        last_error = COALESCE(last_error, 'interrupted while sending; looked for on the server before any re-send'),
                        updated_at = ?
                    WHERE state = 'sending'
                    """,
                arguments: [inFlightLimit, Date().timeIntervalSince1970])
            return db.changesCount
        }
    }

    /// Marks every unfinished entry (`pending`, `sending`, `needsAttention`) uncertain: after part of the
    /// store was lost (damaged write-ahead log frames, damaged pages), an entry's state may be older
    /// than what happened (a `sent` that was lost reads `pending`), so each is looked for on the server
    /// before any re-send. Returns how many changed. Throws `StoreError`.
    @discardableResult
    func markUnfinishedUncertain() throws -> Int {
        try write { db in
            try db.execute(sql: """
                UPDATE outbox SET uncertain = 1
                WHERE state IN ('pending', 'sending', 'needs_attention') AND uncertain = 0
                """)
            return db.changesCount
        }
    }

    /// Puts back into the outbox every log the request log holds that the store lacks (neither sent nor
    /// discarded there): `pending`, `uncertain` (it may have been sent before the store lost it), with a
    /// last error saying so. Oldest first. A draft saved before the newest restored log was submitted is
    /// removed (it is that log's). Returns the restored records. Throws `StoreError`.
    func restoreMissing(from entries: [OutboxRequestLog.Entry]) throws -> [OutboxRecord] {
        let restoredNote = "The store had lost this log; it was restored from dispo's request log and is "
            + "looked for on the server before it is sent again."
        return try write { db in
            var restored: [OutboxRecord] = []
            for entry in entries.sorted(by: { $0.createdAt < $1.createdAt }) {
                if try Self.fetchRecord(db, localID: entry.localID) != nil { continue }
                let now = Date().timeIntervalSince1970
                try db.execute(
                    sql: """
                        INSERT INTO outbox (local_id, workspace_key, request_json, summary, state, uncertain,
                            last_error, created_at, updated_at)
                        VALUES (?, ?, ?, ?, 'pending', 1, ?, ?, ?)
                        """,
                    arguments: [entry.localID, entry.workspaceKey, entry.requestJSON, entry.summary, restoredNote,
                                entry.createdAt.timeIntervalSince1970, now])
                restored.append(try Self.requireRecord(db, localID: entry.localID))
            }
            // A draft last saved before a restored log was submitted is that log's own draft, which its
            // lost enqueue had cleared: offered back, it would be sent a second time.
            if let newest = restored.map(\.createdAt).max() {
                try db.execute(sql: "DELETE FROM draft WHERE updated_at <= ?", arguments: [newest.timeIntervalSince1970])
            }
            return restored
        }
    }

    /// The local ids of finished entries (`sent`, `discarded`): what the request log need not keep.
    func finishedLocalIDs() throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT local_id FROM outbox WHERE state IN ('sent', 'discarded')"))
        }
    }

    /// Appends to the request log, when there is one. A failure is counted, not thrown: the store's own
    /// commit has already made the change durable; the request log is the second record.
    func appendToRequestLog(_ event: OutboxRequestLog.Event) {
        guard let requestLog else { return }
        do { try requestLog.append(event) } catch { requestLogFailures.add() }
    }
}
