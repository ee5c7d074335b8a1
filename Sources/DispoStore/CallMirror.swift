import AmplemarketModels
import Foundation
import GRDB

/// A call to keep in the mirror, with text the search must also find that the call does not carry: its
/// numbers in E.164, notes kept only locally, the disposition's name; and the digit forms of its numbers
/// (E.164 digits, national significant number, national format digits: see `PhoneDigits`), indexed so
/// that any run of their digits is found.
public struct MirroredCall: Sendable {
    public var call: Call
    public var extraSearchText: String
    public var numberForms: [String]
    public init(call: Call, extraSearchText: String = "", numberForms: [String] = []) {
        self.call = call; self.extraSearchText = extraSearchText; self.numberForms = numberForms
    }
}

/// What one `mirror` call did: calls new to the mirror, calls whose copy changed, calls already held as
/// they are (not written).
public struct MirrorWrite: Sendable, Equatable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
}

/// How many calls the mirror holds for one rep and the span of their start dates.
public struct MirrorSummary: Sendable, Equatable {
    public var count: Int
    public var oldestStart: Date?
    public var newestStart: Date?
}

/// Rows of the mirror's answer to a query: `calls` are rows `offset ..< offset + calls.count` of `total`
/// (newest first; nil when not counted); `anchorRow` is the row of the anchor call asked for, when it is
/// in the answer.
public struct MirrorWindow: Sendable, Equatable {
    public var calls: [Call]
    public var offset: Int
    public var total: Int?
    public var anchorRow: Int?
}

extension DispoStore {
    // MARK: - The mirror of a rep's calls (per Amplemarket API: GET /calls?user_id=…, newest first)
    //
    // `call_mirror.sort_key` is the row id and the FTS rowid: the start time in milliseconds shifted left
    // by `sortKeyShift` bits plus a counter for calls starting in the same millisecond, so "newest first"
    // is the descending row id order, which FTS5 reads in that order and stops early.

    static let sortKeyShift: Int64 = 10

    /// Keeps `calls` as `userID`'s in workspace `workspaceKey`: new calls are inserted, held ones replaced
    /// when their copy or search text changed (a re-read brings a transcription), the rest left alone. A
    /// call is held once per workspace and rep, whatever the overlaps between pages. One transaction;
    /// durable when it returns. Throws `StoreError`.
    @discardableResult
    public func mirror(_ calls: [MirroredCall], workspaceKey: String, userID: String) throws -> MirrorWrite {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let rows = try calls.map { m in (m, try encoder.encode(m.call), Self.searchText(m)) }
        return try write { db in
            var result = MirrorWrite()
            for (m, json, text) in rows {
                let c = m.call
                let start = c.startDate?.timeIntervalSince1970
                let held = try Row.fetchOne(db, sql: """
                    SELECT sort_key, start_at, json, search_text FROM call_mirror
                    WHERE workspace_key = ? AND user_id = ? AND call_id = ?
                    """, arguments: [workspaceKey, userID, c.id])
                if let held {
                    let heldJSON: Data = held["json"], heldText: String = held["search_text"]
                    if heldJSON == json && heldText == text { result.unchanged += 1; continue }
                    let heldStart: Double? = held["start_at"]
                    if heldStart == start {
                        try db.execute(sql: """
                            UPDATE call_mirror SET answered = ?, human = ?, duration = ?, disposition_id = ?,
                                disposition_name = ?, json = ?, search_text = ? WHERE sort_key = ?
                            """, arguments: [c.answered, c.human, c.duration, c.dispositionID, c.dispositionName, json, text,
                                             held["sort_key"] as Int64])
                        result.updated += 1
                        continue
                    }
                    // The start moved: the call takes the row id of its new place.
                    try db.execute(sql: "DELETE FROM call_mirror WHERE sort_key = ?", arguments: [held["sort_key"] as Int64])
                    result.updated += 1
                } else {
                    result.inserted += 1
                }
                let key = try Self.freeSortKey(db, start: c.startDate)
                try db.execute(sql: """
                    INSERT INTO call_mirror (sort_key, workspace_key, user_id, call_id, start_at, answered, human, duration,
                        disposition_id, disposition_name, json, search_text)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [key, workspaceKey, userID, c.id, start, c.answered, c.human, c.duration,
                                     c.dispositionID, c.dispositionName, json, text])
            }
            return result
        }
    }

    /// The ids among `ids` the mirror holds for `userID` in `workspaceKey`. Throws `StoreError`.
    public func knownCallIDs(_ ids: [String], workspaceKey: String, userID: String) throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try read { db in
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            var args: [DatabaseValueConvertible] = [workspaceKey, userID]
            args += ids
            return Set(try String.fetchAll(db, sql: """
                SELECT call_id FROM call_mirror WHERE workspace_key = ? AND user_id = ? AND call_id IN (\(marks))
                """, arguments: StatementArguments(args)))
        }
    }

    /// How many calls the mirror holds for `userID` and their oldest and newest start. Throws `StoreError`.
    public func mirrorSummary(workspaceKey: String, userID: String) throws -> MirrorSummary {
        try read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT count(*) AS n, min(start_at) AS oldest, max(start_at) AS newest FROM call_mirror
                WHERE workspace_key = ? AND user_id = ?
                """, arguments: [workspaceKey, userID])
            let oldest: Double? = row?["oldest"], newest: Double? = row?["newest"]
            return MirrorSummary(count: row?["n"] ?? 0, oldestStart: oldest.map(Date.init(timeIntervalSince1970:)),
                                 newestStart: newest.map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// The activity of `userID`'s calls that started at or after `since` (and before `until`), oldest
    /// first, read from the columns only. Throws `StoreError`.
    public func mirroredTallies(workspaceKey: String, userID: String, since: Date, until: Date? = nil) throws -> [CallTally] {
        try read { db in
            var sql = """
                SELECT start_at, answered, human, duration, disposition_id, disposition_name FROM call_mirror
                WHERE workspace_key = ? AND user_id = ? AND sort_key >= ?
                """
            var args: [DatabaseValueConvertible] = [workspaceKey, userID, Self.sortKeyFloor(since)]
            if let until { sql += " AND sort_key < ?"; args.append(Self.sortKeyFloor(until)) }
            sql += " ORDER BY sort_key"
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
            var out: [CallTally] = []
            while let r = try cursor.next() {
                let start: Double? = r[0]
                out.append(CallTally(startDate: start.map(Date.init(timeIntervalSince1970:)), answered: r[1], human: r[2],
                                     duration: r[3], dispositionID: r[4], dispositionName: r[5]))
            }
            return out
        }
    }

    /// Deletes the mirrored calls (and their index entries) of `workspaceKey`, or of every workspace with
    /// nil; nothing else. Returns how many calls were deleted. Throws `StoreError`.
    @discardableResult
    public func forgetMirror(workspaceKey: String?) throws -> Int {
        try write { db in
            if let workspaceKey {
                try db.execute(sql: "DELETE FROM call_mirror WHERE workspace_key = ?", arguments: [workspaceKey])
            } else {
                try db.execute(sql: "DELETE FROM call_mirror")
            }
            return db.changesCount
        }
    }

    // MARK: Keys and text

    /// The lowest sort key of calls starting at `date`.
    static func sortKeyFloor(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) << sortKeyShift
    }

    /// A sort key no row has, for a call starting at `start` (calls with no start sort oldest).
    static func freeSortKey(_ db: Database, start: Date?) throws -> Int64 {
        let base = start.map(sortKeyFloor) ?? 0
        let top = start == nil ? Int64(1) << (sortKeyShift + 20) : base + (1 << sortKeyShift)
        let used = try Int64.fetchOne(db, sql: "SELECT max(sort_key) FROM call_mirror WHERE sort_key >= ? AND sort_key < ?",
                                      arguments: [base, top])
        let key = used.map { $0 + 1 } ?? base
        guard key < top else { throw StoreError.database("too many calls starting in the same millisecond") }
        return key
    }

    /// What a call is found by: contact name and e-mail, numbers as stored, notes, transcription and
    /// transcript, disposition name, the caller's extra text, and a line of number words: every run of
    /// digits ending a digit form of its numbers (as stored and the caller's `numberForms`), so that a
    /// number query (`PhoneDigits`) is a word-start match.
    static func searchText(_ m: MirroredCall) -> String {
        let c = m.call
        var parts: [String?] = [c.contact?.name, c.contact?.email, c.to, c.from, c.notes, c.transcription, c.dispositionName]
        parts += (c.transcript ?? []).map(\.text)
        parts.append(m.extraSearchText)
        parts.append(numberWords([c.to, c.from].compactMap { $0 }.map(PhoneDigits.digits(of:)) + m.numberForms))
        let text = parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
        // Words with letters the tokenizer keeps (Ø, Ł, ß…) are also indexed as typed on an ASCII keyboard.
        let folded = foldLetters(text)
        return folded == text ? text : text + "\n" + folded
    }

    /// Letters that have no decomposition (so `remove_diacritics` keeps them) written as they are typed
    /// without them: ø → o, ł → l, đ → d, ß → ss, æ → ae, œ → oe, ı → i, þ → th (either case).
    static func foldLetters(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { foldedLetters[$0] != nil }) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if let f = foldedLetters[u] { out.append(contentsOf: f.unicodeScalars) } else { out.append(u) }
        }
        return String(out)
    }

    private static let foldedLetters: [Unicode.Scalar: String] = [
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE",
        "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "TH",
    ]

    /// The line of number words for digit forms `forms` (see `PhoneDigits.indexWords`).
    static func numberWords(_ forms: [String]) -> String { PhoneDigits.indexWords(forms).joined(separator: " ") }
}
