import AmplemarketModels
import Foundation
import GRDB

extension DispoStore {
    /// Rows `offset ..< offset + limit` of the mirror's answer to `query` (newest first: start date, then
    /// the order calls were kept in), the answer's true total, and with `anchorID` the anchor's row — the
    /// window is then centred on it (`offset` says where it starts). One read transaction.
    ///
    /// `query.text`: every word typed must begin a word of the call's search text (FTS5, `unicode61` with
    /// diacritics removed: case and accents ignored). The typed text is cut into words at anything that is
    /// not a letter or a digit, so quotes, `AND`, `NEAR(`, `*`, `-` or `:` are searched as text, never read
    /// as query syntax. A number query (`PhoneDigits.searchDigits`: only digits and phone punctuation,
    /// 3 digits or more) finds the calls whose numbers hold its digits anywhere in one of their digit
    /// forms. Rows whose copy no longer decodes are skipped. Throws `StoreError`.
    ///
    /// With `counting` false the answer is not counted (counting every match of a common word is most of
    /// the work): `total` is then `nil`, and `mirrorCount` gives it.
    public func mirrorWindow(_ query: CallHistoryQuery, workspaceKey: String, offset: Int, limit: Int,
                             anchorID: String?, counting: Bool = true) throws -> MirrorWindow {
        let (from, order, filters, args) = Self.answerSQL(query, workspaceKey: workspaceKey)
        let limit = max(0, limit)
        return try read { db in
            let total = counting ? try Int.fetchOne(db, sql: "SELECT count(*) FROM " + from + filters, arguments: StatementArguments(args)) ?? 0 : nil
            var start = max(0, offset)
            var anchorRow: Int?
            if let anchorID, !anchorID.isEmpty,
               let key = try Int64.fetchOne(db, sql: "SELECT sort_key FROM call_mirror WHERE workspace_key = ? AND user_id = ? AND call_id = ?",
                                             arguments: [workspaceKey, query.userID, anchorID]),
               try Int.fetchOne(db, sql: "SELECT count(*) FROM " + from + filters + " AND m.sort_key = ?",
                                arguments: StatementArguments(args + [key])) == 1 {
                let row = try Int.fetchOne(db, sql: "SELECT count(*) FROM " + from + filters + " AND m.sort_key > ?",
                                           arguments: StatementArguments(args + [key])) ?? 0
                anchorRow = row
                start = max(0, row - limit / 2)
            }
            let rows = try Data.fetchAll(db, sql: "SELECT m.json FROM " + from + filters + order + " LIMIT ? OFFSET ?",
                                         arguments: StatementArguments(args + [limit, start]))
            let decoder = JSONDecoder()
            let calls = rows.compactMap { try? decoder.decode(Call.self, from: $0) }
            return MirrorWindow(calls: calls, offset: start, total: total, anchorRow: anchorRow)
        }
    }

    /// How many calls answer `query` (see `mirrorWindow`). Throws `StoreError`.
    public func mirrorCount(_ query: CallHistoryQuery, workspaceKey: String) throws -> Int {
        let (from, _, filters, args) = Self.answerSQL(query, workspaceKey: workspaceKey)
        return try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM " + from + filters, arguments: StatementArguments(args)) ?? 0 }
    }

    /// The FROM clause, the ORDER BY, the WHERE conditions after FROM, and their arguments, of `query`.
    static func answerSQL(_ query: CallHistoryQuery, workspaceKey: String) -> (String, String, String, [DatabaseValueConvertible]) {
        let match = Self.ftsMatch(query.text)
        var filters = "m.workspace_key = ? AND m.user_id = ?"
        var args: [DatabaseValueConvertible] = [workspaceKey, query.userID]
        if let answered = query.answered { filters += " AND m.answered = ?"; args.append(answered) }
        if let human = query.human { filters += " AND m.answered = 1 AND m.human = ?"; args.append(human) }
        switch query.disposition {
        case .any: break
        case .none: filters += " AND (m.disposition_id IS NULL OR m.disposition_id = '')"
        case .id(let id): filters += " AND m.disposition_id = ?"; args.append(id)
        }
        if let since = query.since { filters += " AND m.sort_key >= ?"; args.append(Self.sortKeyFloor(since)) }
        if let until = query.until { filters += " AND m.sort_key < ?"; args.append(Self.sortKeyFloor(until)) }
        // The index keeps only words: an emoji or another symbol typed is looked for as it is.
        for symbols in Self.symbolRuns(query.text) { filters += " AND instr(m.search_text, ?) > 0"; args.append(symbols) }
        // With words, the full-text index drives (CROSS JOIN keeps it the outer loop, read in descending
        // row id order, so a window stops early); SQLite would otherwise scan the rep's rows and run the
        // match once per row.
        let from: String
        let order: String
        if let match {
            from = "call_mirror_fts f CROSS JOIN call_mirror m ON m.sort_key = f.rowid WHERE call_mirror_fts MATCH ? AND "
            order = " ORDER BY f.rowid DESC"
            args.insert(match, at: 0)
        } else {
            from = "call_mirror m WHERE "
            order = " ORDER BY m.sort_key DESC"
        }
        return (from, order, filters, args)
    }

    /// The runs of typed characters that are neither letters, digits nor spaces and hold something
    /// besides ASCII (an emoji, `★`, `→`): the full-text index has no words for them, so each must occur in
    /// the call's search text as typed. ASCII punctuation is left to `ftsMatch`, which skips it.
    static func symbolRuns(_ text: String) -> [String] {
        var runs: [String] = []
        var run = ""
        func close() {
            if run.unicodeScalars.contains(where: { !$0.isASCII }) { runs.append(run) }
            run = ""
        }
        for ch in text {
            if ch.isLetter || ch.isNumber || ch.isWhitespace { close() } else { run.append(ch) }
        }
        close()
        return runs
    }

    /// The FTS5 query for typed text: each word (a run of letters and digits) as a quoted prefix, all of
    /// them required; nil when the text has no word.
    /// A number query (`PhoneDigits.searchDigits`) is its digits as one prefix: the index holds every
    /// run of digits that ends a number's digit form as a word, so this finds the digits anywhere in it.
    static func ftsMatch(_ text: String) -> String? {
        if let digits = PhoneDigits.searchDigits(text) { return "\"" + digits + "\"*" }
        var words: [String] = []
        var word = ""
        for ch in foldLetters(text.precomposedStringWithCanonicalMapping) {
            if ch.isLetter || ch.isNumber { word.append(ch) } else if !word.isEmpty { words.append(word); word = "" }
        }
        if !word.isEmpty { words.append(word) }
        guard !words.isEmpty else { return nil }
        return words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*" }.joined(separator: " ")
    }
}
