import Foundation
import GRDB

/// Reads what can still be read from a damaged store file, row by row, into a fresh store.
///
/// The system SQLite (Debian 12: 3.40.1) does not export the recovery extension (`sqlite3_recover_*`),
/// so each table is read in rowid order without its indexes (`NOT INDEXED`); when a read fails, the
/// reader skips ahead (rowid + 1, + 2, + 4 …) until a seek lands on a readable page again. What
/// lies on unreadable pages is counted where it can be: outbox rows are never deleted and numbered by
/// `seq`, so each missing `seq` up to the highest known is an outbox entry that could not be read.
enum Salvage {
    /// The tables salvaged, in order, and whether their rows are numbered without gaps.
    static let tables = ["outbox", "draft", "journal", "call_back", "setting", "page_cache"]

    /// What was read of one table.
    struct TableResult: Sendable, Hashable {
        var saved = 0
        /// Rows known to be unreadable (outbox: missing `seq`s); nil when some could not be read but
        /// their number is unknown; 0 when every row was read.
        var unreadable: Int? = 0
    }

    /// Copies every readable row of `source` (a damaged store file, with its `-wal` beside it if any)
    /// into `destination` (a fresh, migrated store). Rows that fail the fresh table's constraints
    /// (garbage read from a damaged page) are counted unreadable. Never throws: a file SQLite cannot open
    /// at all yields nothing saved and an unknown number unreadable.
    static func copyRows(from source: String, into destination: any DatabaseWriter) -> [String: TableResult] {
        var config = Configuration()
        config.label = "dispo.salvage"
        var results: [String: TableResult] = [:]
        guard let damaged = try? DatabaseQueue(path: source, configuration: config) else {
            for t in tables { results[t] = TableResult(saved: 0, unreadable: nil) }
            return results
        }
        defer { try? damaged.close() }
        for table in tables {
            var result = TableResult()
            let (rows, failed) = readRows(damaged, table: table)
            for row in rows {
                if (try? insert(row, table: table, into: destination)) == true { result.saved += 1 }
                else { result.unreadable = result.unreadable.map { $0 + 1 } }
            }
            if table == "outbox" {
                let known = highestOutboxSeq(damaged, rows: rows)
                let readSeqs = Set(rows.compactMap { $0["rowid_"] as Int64? })
                let missing = known > 0 ? (1...known).filter { !readSeqs.contains($0) }.count : 0
                result.unreadable = (result.unreadable ?? 0) + missing
                if failed, known == 0 { result.unreadable = nil }
            } else if failed {
                result.unreadable = nil
            }
            results[table] = result
        }
        return results
    }

    /// The rows of `table` that can be read (each with its rowid as `rowid_`), and whether any read
    /// failed.
    static func readRows(_ db: DatabaseQueue, table: String) -> (rows: [Row], failed: Bool) {
        var rows: [Row] = []
        var failed = false
        var after = Int64.min
        var probes = 0
        scanning: while probes < 20_000 {
            do {
                let done: Bool = try db.read { db in
                    let cursor = try Row.fetchCursor(
                        db, sql: "SELECT rowid AS rowid_, * FROM \(table) NOT INDEXED WHERE rowid > ? ORDER BY rowid",
                        arguments: [after])
                    while let row = try cursor.next() {
                        rows.append(row.copy())
                        after = row["rowid_"]
                    }
                    return true
                }
                if done { break scanning }
            } catch {
                failed = true
                if isMissingTable(error) { break scanning }
            }
            // A read failed after `after`: find the next rowid a seek can reach.
            var step: Int64 = 1
            while step < 1 << 40 {
                probes += 1
                let from = after == Int64.min ? step - 1 : after &+ step
                do {
                    let next = try db.read { db in
                        try Int64.fetchOne(db, sql: "SELECT rowid FROM \(table) NOT INDEXED WHERE rowid > ? ORDER BY rowid LIMIT 1",
                                           arguments: [from])
                    }
                    guard let next else { break scanning }
                    after = next - 1
                    continue scanning
                } catch {
                    if isMissingTable(error) { break scanning }
                    step *= 2
                }
            }
            break
        }
        return (rows, failed)
    }

    /// The highest outbox `seq` known: from `sqlite_sequence` when readable, else the highest read.
    static func highestOutboxSeq(_ db: DatabaseQueue, rows: [Row]) -> Int64 {
        let fromSequence = try? db.read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")
        }
        let read = rows.compactMap { $0["rowid_"] as Int64? }.max() ?? 0
        return max(read, (fromSequence ?? nil) ?? 0)
    }

    /// Inserts a salvaged row into the fresh store's `table`, by column name (columns the fresh table
    /// lacks are dropped). Returns true when the row went in.
    static func insert(_ row: Row, table: String, into destination: any DatabaseWriter) throws -> Bool {
        try destination.write { db in
            let columns = Set(try db.columns(in: table).map(\.name))
            var names: [String] = []
            var values: [DatabaseValue] = []
            for (name, value) in row where name != "rowid_" && columns.contains(name) {
                names.append(name); values.append(value)
            }
            if table == "outbox", !names.contains("seq"), let seq = row["rowid_"] as Int64? {
                names.append("seq"); values.append(seq.databaseValue)
            }
            guard !names.isEmpty else { return false }
            let list = names.map { "\"\($0)\"" }.joined(separator: ", ")
            let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
            try db.execute(sql: "INSERT OR IGNORE INTO \(table) (\(list)) VALUES (\(marks))",
                           arguments: StatementArguments(values))
            return db.changesCount == 1
        }
    }

    private static func isMissingTable(_ error: any Error) -> Bool {
        guard let e = error as? DatabaseError else { return false }
        return e.resultCode == .SQLITE_ERROR && (e.message ?? "").contains("no such table")
    }
}
