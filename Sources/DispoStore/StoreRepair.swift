import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// What a salvage of a damaged store file could read, table by table.
public struct SalvageOutcome: Sendable, Hashable {
    /// Where the damaged file was kept (renamed `<store>.corrupt-<UTC time>`).
    public var keptAt: String
    /// What SQLite said of the file.
    public var reason: String
    var tables: [String: Salvage.TableResult]

    /// Rows of `table` copied into the fresh store.
    public func saved(_ table: String) -> Int { tables[table]?.saved ?? 0 }

    /// Rows of `table` that could not be read: a number, or nil when some could not be read but how many
    /// is unknown (only the outbox numbers its rows without gaps).
    public func unreadable(_ table: String) -> Int? { tables[table]?.unreadable ?? nil }
}

/// What opening the store (or a salvage while running) had to repair, and the rep's account of it.
public struct StoreRepair: Sendable, Hashable {
    /// The damaged file's salvage, if the file was damaged.
    public var salvage: SalvageOutcome?
    var wal: WALCheck?
    /// Where the damaged write-ahead log was kept, if its frames lost commits.
    public var walKeptAt: String?
    /// Summaries of the logs put back from the request log (missing from the store).
    public var restored: [String] = []
    /// Damaged records the request log skipped.
    public var requestLogDamaged = 0

    /// Acknowledged commits SQLite dropped from a damaged write-ahead log (0 when none).
    public var lostCommits: Int { wal.map { $0.headerDamaged ? max(1, $0.lostCommits) : $0.lostCommits } ?? 0 }

    var isEmpty: Bool { salvage == nil && wal == nil && restored.isEmpty && requestLogDamaged == 0 }

    /// Outbox entries that could not be read and were not put back (nil: an unknown number).
    public var outboxEntriesNotRecovered: Int? {
        guard let salvage else { return 0 }
        return salvage.unreadable("outbox").map { max(0, $0 - restored.count) }
    }

    /// The damaged file kept aside that may still hold rows the store lacks, and those rows in words;
    /// nil when nothing unread is left there.
    public var keptDamage: KeptDamage? {
        if let salvage {
            let unread = Salvage.tables.compactMap { t -> String? in
                let n = t == "outbox" ? outboxEntriesNotRecovered : salvage.unreadable(t)
                if n == 0 { return nil }
                return n.map { count(t, $0) } ?? "some \(plural(t))"
            }
            if !unread.isEmpty { return KeptDamage(path: salvage.keptAt, unread: unread.joined(separator: ", ")) }
        }
        if lostCommits > 0, let walKeptAt {
            return KeptDamage(path: walKeptAt, unread: "the last \(lostCommits == 1 ? "change" : "\(lostCommits) changes") saved to the store")
        }
        return nil
    }

    /// A few words for the Outbox tab: "damaged store salvaged; 2 logs put back".
    public var summary: String {
        var parts: [String] = []
        if salvage != nil { parts.append("damaged store salvaged") }
        if lostCommits > 0 {
            parts.append("damaged write-ahead log, the last \(lostCommits == 1 ? "change" : "\(lostCommits) changes") lost")
        }
        if !restored.isEmpty { parts.append(restored.count == 1 ? "1 log put back" : "\(restored.count) logs put back") }
        if requestLogDamaged > 0 { parts.append("request log damaged") }
        return parts.joined(separator: "; ")
    }

    /// A plain-words account for the rep.
    public var sentence: String {
        var parts: [String] = []
        if let s = salvage {
            let nothing = Salvage.tables.allSatisfy { s.saved($0) == 0 && s.unreadable($0) == nil }
            if nothing {
                parts.append("dispo's local store was damaged (\(s.reason)) and nothing in it could be read; a fresh store was created.")
            } else {
                let saved = Salvage.tables.map { count($0, s.saved($0)) }.joined(separator: ", ")
                parts.append("dispo's local store was damaged (\(s.reason)); what could be read was saved into a fresh store: \(saved).")
                let unread = Salvage.tables.compactMap { t -> String? in
                    let n = s.unreadable(t)
                    if n == 0 { return nil }
                    return n.map { count(t, $0) } ?? "some \(plural(t))"
                }
                parts.append(unread.isEmpty ? "Every row could be read." : "Could not be read: \(unread.joined(separator: ", ")).")
            }
        }
        if let wal, lostCommits > 0 {
            let whereDamaged = wal.damagedFrame.map { " at frame \($0)" } ?? " in its header"
            parts.append("The store's write-ahead log was damaged\(whereDamaged), so SQLite ignored the last "
                + "\(lostCommits == 1 ? "change" : "\(lostCommits) changes") saved to it; drafts and journal entries written then may be lost.")
        }
        if !restored.isEmpty {
            let names = restored.prefix(5).map { "\u{201C}\($0)\u{201D}" }.joined(separator: ", ")
            let more = restored.count > 5 ? " and \(restored.count - 5) more" : ""
            parts.append("Put back from the outbox request log: \(names)\(more); unsent logs are looked for on the server before any re-send.")
        }
        if requestLogDamaged > 0 {
            parts.append("\(requestLogDamaged) damaged record\(requestLogDamaged == 1 ? "" : "s") of the outbox request log could not be read.")
        }
        if let kept = salvage?.keptAt ?? walKeptAt { parts.append("The damaged file is kept at \(kept).") }
        return parts.joined(separator: " ")
    }
}

/// A damaged file kept beside the store that may still hold rows the store lacks.
public struct KeptDamage: Sendable, Hashable, Codable {
    /// The kept file.
    public var path: String
    /// What of it could not be read, in words ("2 outbox entries, some journal entries").
    public var unread: String
}

extension DispoStore {
    /// The damaged file a repair kept aside, while it still exists and may hold rows this store lacks;
    /// nil otherwise (none, or the rep deleted it). A missing or unreadable record reads as nil.
    public func keptDamage() -> KeptDamage? {
        guard let text = try? value(forKey: Self.keptDamageKey),
              let kept = try? JSONDecoder().decode(KeptDamage.self, from: Data(text.utf8)),
              access(kept.path, F_OK) == 0 else { return nil }
        return kept
    }

    static let keptDamageKey = "store.kept-damage"

    /// Records a repair's kept damage (see `keptDamage()`). Throws `StoreError`.
    func remember(_ repair: StoreRepair) throws {
        guard let kept = repair.keptDamage else { return }
        let data = try JSONEncoder().encode(kept)
        try setValue(String(decoding: data, as: UTF8.self), forKey: Self.keptDamageKey)
    }

    /// Puts back the request log's logs the store lacks into `repair.restored`, then compacts the log
    /// when it has grown. Failures leave the log for the next open.
    func replayRequestLog(_ repair: inout StoreRepair) throws {
        guard let requestLog, let (entries, damaged) = try? requestLog.unfinished() else { return }
        repair.requestLogDamaged = damaged
        if let restored = try? restoreMissing(from: entries) { repair.restored = restored.map(\.summary) }
        var info = stat()
        if stat(requestLog.path, &info) == 0, info.st_size > 64 * 1024, let finished = try? finishedLocalIDs() {
            try? requestLog.compact(dropping: finished)
        }
    }

    /// After SQLite reported this store damaged while running: when no other process has the file open,
    /// moves it aside, salvages it into a fresh store that this store then uses, and puts back the
    /// request log's logs. Returns what was repaired.
    /// - Throws: `StoreError.damagedInUse` (another process has the file open: nothing was changed),
    ///   `.corruptFileNotMovable`, `.cannotOpen`; in memory, `.database`.
    public func salvageAfterDamage(reason: String) throws -> StoreRepair {
        guard let openLock else { throw StoreError.database("a store in memory cannot be salvaged") }
        guard openLock.tryExclusive() else { throw StoreError.damagedInUse(path: path, reason: reason) }
        defer { openLock.shared() }
        // The old connection is not closed here: a call on another thread may still hold it, and GRDB
        // stops the process on a closed connection. It goes when its last user lets it go.
        let (fresh, outcome) = try StoreFiles.salvage(path, reason: reason)
        replaceWriter(fresh)
        var repair = StoreRepair()
        repair.salvage = outcome
        try replayRequestLog(&repair)
        _ = try? markUnfinishedUncertain()
        try? remember(repair)
        setRepair(repair)
        return repair
    }
}

private func count(_ table: String, _ n: Int) -> String { n == 1 ? "1 \(singular(table))" : "\(n) \(plural(table))" }

private func singular(_ table: String) -> String {
    switch table {
    case "outbox": "outbox entry"
    case "journal": "journal entry"
    case "page_cache": "saved page"
    default: table
    }
}

private func plural(_ table: String) -> String {
    switch table {
    case "outbox": "outbox entries"
    case "journal": "journal entries"
    case "page_cache": "saved pages"
    default: table + "s"
    }
}
