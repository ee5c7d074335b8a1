import Foundation
import GRDB

extension DispoStore {
    // MARK: - Outbox (durable before any network I/O, exactly once, in order)

    /// Writes a new `pending` entry and returns it; durable on disk when this returns (WAL,
    /// synchronous = FULL), so call it BEFORE any network I/O. When `entry.clearsDraftKey` is set, that
    /// draft is deleted in the same transaction. Once committed, the entry is also appended to the
    /// outbox request log beside the store (`OutboxRequestLog`), its second durable record.
    /// - Throws: `StoreError.duplicateLocalID` if `entry.localID` exists; `.diskFull` etc.
    @discardableResult
    public func enqueue(_ entry: NewOutboxEntry) throws -> OutboxRecord {
        let record = try write { db in
            if try Self.fetchRecord(db, localID: entry.localID) != nil {
                throw StoreError.duplicateLocalID(entry.localID)
            }
            let created = entry.createdAt.timeIntervalSince1970
            try db.execute(
                sql: """
                    INSERT INTO outbox (local_id, workspace_key, request_json, summary, state, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 'pending', ?, ?)
                    """,
                arguments: [entry.localID, entry.workspaceKey, entry.requestJSON, entry.summary, created, created])
            if let draftKey = entry.clearsDraftKey {
                try db.execute(sql: "DELETE FROM draft WHERE key = ?", arguments: [draftKey])
            }
            return try Self.requireRecord(db, localID: entry.localID)
        }
        // After the commit: a log the store refused must never come back from the request log.
        appendToRequestLog(.queued(record))
        return record
    }

    /// The entries of `workspaceKey`, oldest first (creation order). With `includeFinished` false, only
    /// `pending`, `sending` and `needsAttention` ones (what the header counts as queued).
    /// Throws `StoreError`.
    public func outbox(workspaceKey: String, includeFinished: Bool) throws -> [OutboxRecord] {
        try read { db in
            let filter = includeFinished ? "" : "AND state IN ('pending', 'sending', 'needs_attention')"
            return try Row.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE workspace_key = ? \(filter) ORDER BY seq",
                arguments: [workspaceKey]
            ).map(Self.record(from:))
        }
    }

    /// The one entry of `workspaceKey` to send now, or nil.
    ///
    /// Strict creation order: it looks at the OLDEST entry that is `pending` or `sending`. If that one is
    /// `sending` (a send in flight) or `pending` with `nextAttemptAt > now` (backing off), it returns nil —
    /// a later log never overtakes an earlier one. `needsAttention` entries wait for the rep and do not
    /// block the queue (once edited they are `pending` again and, being older, go first).
    /// Throws `StoreError`.
    public func nextSendable(workspaceKey: String, now: Date) throws -> OutboxRecord? {
        try read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM outbox WHERE workspace_key = ? AND state IN ('pending', 'sending')
                    ORDER BY seq LIMIT 1
                    """,
                arguments: [workspaceKey])
            else { return nil }
            let record = try Self.record(from: row)
            guard record.state == .pending else { return nil }
            if let next = record.nextAttemptAt, next > now { return nil }
            return record
        }
    }

    /// `pending → sending`: a send (look-up and/or `POST /calls`) starts at `at`; `attempts += 1` and
    /// `lastAttemptAt = at`. The check and the update are one IMMEDIATE transaction, so two connections
    /// on the same file cannot both start sending the same entry: the second gets `invalidTransition`
    /// (and the sender lock keeps a second process from trying at all).
    /// - Throws: `StoreError.outboxEntryNotFound`, `.invalidTransition` (not `pending`), a write failure.
    public func markSending(localID: String, at: Date) throws {
        try write { db in
            _ = try Self.check(db, localID: localID, from: [.pending], to: .sending)
            try db.execute(
                sql: "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?, last_attempt_at = ? WHERE local_id = ?",
                arguments: [at.timeIntervalSince1970, at.timeIntervalSince1970, localID])
        }
    }

    /// A `POST /calls` of the `sending` entry starts at `at` (after its look-up, or the re-send without
    /// notes): `lastAttemptAt = at`, so that after a crash the entry is uncertain from the POST itself.
    /// - Throws: `.outboxEntryNotFound`, `.invalidTransition` (not `sending`), a write failure.
    public func markPostStarted(localID: String, at: Date) throws {
        try write { db in
            _ = try Self.check(db, localID: localID, from: [.sending], to: .sending)
            try db.execute(sql: "UPDATE outbox SET last_attempt_at = ?, updated_at = ? WHERE local_id = ?",
                           arguments: [at.timeIntervalSince1970, at.timeIntervalSince1970, localID])
        }
    }

    /// `sending | pending → sent`: the server has the call `callID` (echoed by the POST, or found by the
    /// look-up — then from `pending` too). In the same transaction, adds the journal entry: the current
    /// request JSON, its `notes` field (what the rep typed), `callJSON` (the server's call) and
    /// `notesStored` (false when the server dropped or rejected the notes, amplemarket-api.md §3).
    /// Keep the notes in the request JSON even if the POST had to be resent without them: the journal
    /// takes them from there.
    /// A journal row this entry already has (kept by a salvage that lost the entry's state) stays.
    /// - Throws: `.outboxEntryNotFound`, `.invalidTransition`, `.callAlreadyJournaled` (that call id
    ///   already belongs to another entry: matching it again would hide a lost log).
    public func markSent(localID: String, callID: String, callJSON: Data, notesStored: Bool, at: Date) throws {
        try write { db in
            let record = try Self.check(db, localID: localID, from: [.sending, .pending], to: .sent)
            let owner = try String.fetchOne(db, sql: "SELECT local_id FROM journal WHERE call_id = ?", arguments: [callID])
            if let owner, owner != localID {
                throw StoreError.callAlreadyJournaled(callID: callID, otherLocalID: owner)
            }
            let time = at.timeIntervalSince1970
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'sent', call_id = ?, uncertain = 0, last_error = NULL,
                        field_errors = '{}', next_attempt_at = NULL, updated_at = ?
                    WHERE local_id = ?
                    """,
                arguments: [callID, time, localID])
            guard owner == nil else { return }
            try db.execute(
                sql: """
                    INSERT INTO journal (call_id, local_id, workspace_key, request_json, call_json, notes,
                        notes_stored_by_server, submitted_at, logged_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [callID, localID, record.workspaceKey, record.requestJSON, callJSON,
                            Self.notes(in: record.requestJSON), notesStored,
                            record.createdAt.timeIntervalSince1970, time])
        }
        appendToRequestLog(.finished(localID: localID))
    }

    /// `sending → pending` after a failed attempt: `error` in plain words, no attempt before
    /// `nextAttemptAt`. `uncertain` = this POST may have reached the server (timeout after sending,
    /// connection reset, 5xx); it is OR-ed into the entry's flag, which stays set until the entry is
    /// sent — a look-up that itself failed must not make the store forget an earlier possible arrival.
    /// - Throws: `.outboxEntryNotFound`, `.invalidTransition` (not `sending`).
    public func markRetry(localID: String, error: String, nextAttemptAt: Date, uncertain: Bool) throws {
        try write { db in
            _ = try Self.check(db, localID: localID, from: [.sending], to: .pending)
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'pending', last_error = ?, next_attempt_at = ?,
                        uncertain = (uncertain OR ?), updated_at = ?
                    WHERE local_id = ?
                    """,
                arguments: [error, nextAttemptAt.timeIntervalSince1970, uncertain,
                            Date().timeIntervalSince1970, localID])
        }
    }

    /// `sending | pending → needsAttention`: the server refused the log (4xx); `fieldErrors` maps a
    /// field (or JSON pointer) to its message, for the form to mark. The entry waits for the rep.
    /// - Throws: `.outboxEntryNotFound`, `.invalidTransition`.
    public func markNeedsAttention(localID: String, error: String, fieldErrors: [String: String]) throws {
        try write { db in
            _ = try Self.check(db, localID: localID, from: [.sending, .pending], to: .needsAttention)
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'needs_attention', last_error = ?, field_errors = ?,
                        next_attempt_at = NULL, updated_at = ?
                    WHERE local_id = ?
                    """,
                arguments: [error, try Self.encode(fieldErrors), Date().timeIntervalSince1970, localID])
        }
    }

    /// `needsAttention → pending` with the rep's edited request and a new summary; clears the last error
    /// and field errors; sendable at once. Only refused logs are editable: a `pending` one may already be
    /// on the server (uncertain), and an edit would defeat the look-up that prevents a duplicate.
    /// - Throws: `.outboxEntryNotFound`, `.invalidTransition` (any state but `needsAttention`).
    public func updateRequest(localID: String, requestJSON: Data, summary: String) throws {
        try write { db in
            _ = try Self.check(db, localID: localID, from: [.needsAttention], to: .pending)
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'pending', request_json = ?, summary = ?, last_error = NULL,
                        field_errors = '{}', next_attempt_at = NULL, updated_at = ?
                    WHERE local_id = ?
                    """,
                arguments: [requestJSON, summary, Date().timeIntervalSince1970, localID])
        }
        appendToRequestLog(.edited(localID: localID, requestJSON: requestJSON, summary: summary))
    }

    /// `pending | needsAttention → discarded`, after the rep confirmed. The entry is kept (finished),
    /// never sent. Note: a `pending` entry with `uncertain` set may already be on the server.
    /// - Throws: `.outboxEntryNotFound`, `.invalidTransition` (`sending`, `sent`, `discarded`).
    public func discard(localID: String) throws {
        try write { db in
            _ = try Self.check(db, localID: localID, from: [.pending, .needsAttention], to: .discarded)
            try db.execute(
                sql: "UPDATE outbox SET state = 'discarded', next_attempt_at = NULL, updated_at = ? WHERE local_id = ?",
                arguments: [Date().timeIntervalSince1970, localID])
        }
        appendToRequestLog(.finished(localID: localID))
    }

    /// The entry `localID`, or nil. Throws `StoreError`.
    public func outboxEntry(localID: String) throws -> OutboxRecord? {
        try read { db in try Self.fetchRecord(db, localID: localID) }
    }

    // MARK: - Journal: every logged call, with what the rep typed

    /// The journal entry of the server's call `callID`, or nil. Throws `StoreError`.
    public func journalEntry(callID: String) throws -> JournalEntry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM journal WHERE call_id = ?", arguments: [callID])
                .map(Self.journalEntry(from:))
        }
    }

    /// The `limit` most recent journal entries of `workspaceKey`, newest first. Throws `StoreError`.
    public func journal(workspaceKey: String, limit: Int) throws -> [JournalEntry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM journal WHERE workspace_key = ? ORDER BY logged_at DESC, rowid DESC LIMIT ?",
                arguments: [workspaceKey, max(0, limit)]
            ).map(Self.journalEntry(from:))
        }
    }

    // MARK: - Row mapping

    static func fetchRecord(_ db: Database, localID: String) throws -> OutboxRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE local_id = ?", arguments: [localID])
            .map(record(from:))
    }

    static func requireRecord(_ db: Database, localID: String) throws -> OutboxRecord {
        guard let record = try fetchRecord(db, localID: localID) else {
            throw StoreError.outboxEntryNotFound(localID: localID)
        }
        return record
    }

    /// Loads the entry and checks that its state is one of `from`; the attempted state `to` is for the error.
    static func check(_ db: Database, localID: String, from: Set<OutboxState>, to: OutboxState) throws
        -> OutboxRecord {
        let record = try requireRecord(db, localID: localID)
        guard from.contains(record.state) else {
            throw StoreError.invalidTransition(localID: localID, from: record.state, to: to)
        }
        return record
    }

    static func record(from row: Row) throws -> OutboxRecord {
        let stateText: String = row["state"]
        guard let state = OutboxState(rawValue: stateText) else {
            throw StoreError.database("unknown outbox state '\(stateText)'")
        }
        let fieldErrorsText: String = row["field_errors"]
        let fieldErrors = (try? JSONDecoder().decode([String: String].self, from: Data(fieldErrorsText.utf8))) ?? [:]
        let nextAttempt: Double? = row["next_attempt_at"]
        let lastAttempt: Double? = row["last_attempt_at"]
        return OutboxRecord(
            localID: row["local_id"], workspaceKey: row["workspace_key"], requestJSON: row["request_json"],
            summary: row["summary"], state: state, attempts: row["attempts"], lastError: row["last_error"],
            fieldErrors: fieldErrors, uncertain: row["uncertain"], callID: row["call_id"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]),
            nextAttemptAt: nextAttempt.map(Date.init(timeIntervalSince1970:)),
            lastAttemptAt: lastAttempt.map(Date.init(timeIntervalSince1970:)))
    }

    static func journalEntry(from row: Row) -> JournalEntry {
        JournalEntry(
            callID: row["call_id"], localID: row["local_id"], workspaceKey: row["workspace_key"],
            requestJSON: row["request_json"], callJSON: row["call_json"], notes: row["notes"],
            notesStoredByServer: row["notes_stored_by_server"],
            submittedAt: Date(timeIntervalSince1970: row["submitted_at"]),
            loggedAt: Date(timeIntervalSince1970: row["logged_at"]))
    }

    static func encode(_ fieldErrors: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(fieldErrors), as: UTF8.self)
    }

    /// The `notes` string of a `LogCallRequest` JSON body; nil when absent, null, empty or not JSON.
    static func notes(in requestJSON: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: requestJSON) as? [String: Any],
              let notes = object["notes"] as? String, !notes.isEmpty
        else { return nil }
        return notes
    }
}
