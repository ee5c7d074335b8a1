import AmplemarketModels
import Foundation
import GRDB

extension DispoStore {
    /// The mirrored calls of workspace `workspaceKey` (every rep) with disposition `dispositionID` whose
    /// search text does not hold `name`: indexed before the name was known, or under one the disposition
    /// has since lost. Each with its rep's user id, newest first; rows that no longer decode are skipped.
    /// Throws `StoreError`.
    public func mirroredCalls(withDisposition dispositionID: String, notFoundBy name: String,
                              workspaceKey: String) throws -> [(userID: String, call: Call)] {
        guard !name.isEmpty else { return [] }
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT user_id, json FROM call_mirror
                WHERE workspace_key = ? AND disposition_id = ? AND instr(search_text, ?) = 0
                ORDER BY sort_key DESC
                """, arguments: [workspaceKey, dispositionID, name])
        }
        let decoder = JSONDecoder()
        return rows.compactMap { row in
            let json: Data = row["json"]
            guard let call = try? decoder.decode(Call.self, from: json) else { return nil }
            return (row["user_id"], call)
        }
    }
}

extension DispoStore {
    /// The setting that marks a mirror whose calls were kept before their search text held number words:
    /// its value is the sort key below which calls still owe them (the work goes newest first). A
    /// benchmark sets it to `String(Int64.max)` to time the whole work.
    public static let numberWordsOwedKey = "mirror.number-words-owed"

    /// True when mirrored calls were kept before their search text held number words, and
    /// `indexMirrorNumbers` has not finished putting them in. Throws `StoreError`.
    public func mirrorOwesNumberWords() throws -> Bool { try value(forKey: Self.numberWordsOwedKey) != nil }

    /// Puts the number words (see `searchText`) of every mirrored call kept before the search text held
    /// them into its search text, newest first, `batch` calls per transaction so that other writers
    /// wait at most one batch. `numberForms` gives the digit forms of a call's To and From numbers (the
    /// caller reads numbers; the store cannot); the numbers are read from the call's copy by SQLite, not
    /// decoded. The rest of each call's text is kept as it is (local notes and disposition names are not
    /// in the call's copy); a call whose text already ends with its number words (kept again meanwhile),
    /// or whose copy is not JSON, is left alone. Where the work stands is saved with each batch, so an
    /// interrupted run goes on where it stopped; once done the mark is removed. Returns how many calls
    /// were indexed again (0 when none owed it). Throws `StoreError`.
    @discardableResult
    public func indexMirrorNumbers(batch: Int = 500, numberForms: (_ to: String?, _ from: String?) -> [String]) throws -> Int {
        var written = 0
        let batch = max(1, batch)
        while true {
            let (done, n): (Bool, Int) = try write { db in
                guard let mark = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?",
                                                     arguments: [Self.numberWordsOwedKey]) else { return (true, 0) }
                var n = 0
                let below = Int64(mark) ?? Int64.max
                let rows = try Row.fetchAll(db, sql: """
                    SELECT sort_key, search_text,
                        CASE WHEN json_valid(CAST(json AS TEXT)) THEN json_extract(CAST(json AS TEXT), '$.to') END AS to_number,
                        CASE WHEN json_valid(CAST(json AS TEXT)) THEN json_extract(CAST(json AS TEXT), '$.from') END AS from_number
                    FROM call_mirror WHERE sort_key < ? ORDER BY sort_key DESC LIMIT ?
                    """, arguments: [below, batch])
                for row in rows {
                    let text: String = row["search_text"]
                    let to: String? = row["to_number"], from: String? = row["from_number"]
                    guard to != nil || from != nil else { continue }
                    let words = Self.numberWords([to, from].compactMap { $0 }.map(PhoneDigits.digits(of:)) + numberForms(to, from))
                    guard !words.isEmpty, !text.hasSuffix("\n" + words) else { continue }
                    try db.execute(sql: "UPDATE call_mirror SET search_text = ? WHERE sort_key = ?",
                                   arguments: [text + "\n" + words, row["sort_key"] as Int64])
                    n += 1
                }
                if rows.count < batch {
                    try db.execute(sql: "DELETE FROM setting WHERE key = ?", arguments: [Self.numberWordsOwedKey])
                    return (true, n)
                }
                try db.execute(sql: "UPDATE setting SET value = ? WHERE key = ?",
                               arguments: [String(rows.last!["sort_key"] as Int64), Self.numberWordsOwedKey])
                return (false, n)
            }
            written += n
            if done { return written }
        }
    }
}
