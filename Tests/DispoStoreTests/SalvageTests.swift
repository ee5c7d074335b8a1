import Foundation
import GRDB
import Testing
@testable import DispoStore
#if canImport(Glibc)
import Glibc
#endif

/// A damaged store on disk: pages of the outbox overwritten, write-ahead-log frames garbled or cut
/// off. What can be read is salvaged, what the request log holds is put back, and the rep is told.
@Suite struct SalvageTests {
    static let pageSize = 4096

    /// The leaf pages (1-based page numbers) of `table` in the (checkpointed, closed) store at `path`.
    static func leafPages(_ table: String, path: String) throws -> [Int] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try Int.fetchAll(db, sql: "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                             arguments: [table])
        }
    }

    /// Overwrites page `page` (1-based) of the file at `path` with garbage.
    static func overwrite(page: Int, path: String) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64((page - 1) * pageSize))
        try handle.write(contentsOf: Data((0..<pageSize).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
        try handle.close()
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : -1
    }

    /// A store with `count` logs (summaries long enough to need several outbox pages), 3 of them sent
    /// (journal rows) and a draft; closed, so everything is in the main file.
    static func makeStore(_ path: String, count: Int) throws {
        let (store, _) = try DispoStore.open(path: path)
        for index in 0..<count {
            try store.enqueue(NewOutboxEntry(localID: "log-\(index)", workspaceKey: "ws", requestJSON: requestJSON(),
                                             summary: "Contact number \(index) · " + String(repeating: "x", count: 120),
                                             createdAt: t0.addingTimeInterval(Double(index))))
        }
        for index in 0..<3 {
            try store.markSending(localID: "log-\(index)", at: t0)
            try store.markSent(localID: "log-\(index)", callID: "call-\(index)", callJSON: Data("{}".utf8),
                               notesStored: true, at: t0)
        }
        try store.saveDraft(key: "draft:ws", json: Data("{}".utf8), updatedAt: t0.addingTimeInterval(10_000))
        try store.close()
    }

    @Test func aDamagedOutboxPageLosesOnlyTheRowsOnIt() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            try Self.makeStore(path, count: 300)
            unlink(dir + "/" + OutboxRequestLog.fileName)  // only what the file itself holds
            let leaves = try Self.leafPages("outbox", path: path)
            #expect(leaves.count >= 4, "the outbox spans several pages: \(leaves)")
            try Self.overwrite(page: leaves[leaves.count / 2], path: path)

            let (store, notice) = try DispoStore.open(path: path)
            let repair = try #require(store.repair?.salvage, "salvaged: \(notice ?? "no notice")")
            let saved = try store.outbox(workspaceKey: "ws", includeFinished: true)
            let lost = try #require(repair.unreadable("outbox"))
            #expect(lost > 0 && lost < 300 / 2, "only one page's rows lost: \(lost)")
            #expect(saved.count + lost == 300)
            #expect(saved.map(\.localID) == saved.sorted { $0.createdAt < $1.createdAt }.map(\.localID), "in order")
            #expect(saved.filter { $0.state == .pending }.allSatisfy { $0.uncertain }, "unfinished ones are looked up first")
            #expect(try store.journal(workspaceKey: "ws", limit: 10).count == 3)
            #expect(try store.draft(key: "draft:ws") != nil)
            #expect(notice?.contains("Could not be read: \(lost) outbox entries") == true, "\(notice ?? "")")
            // The damaged file is kept, and the store says it holds what could not be read.
            let kept = try #require(store.keptDamage())
            #expect(kept.unread.contains("\(lost) outbox entries"))
            #expect(access(kept.path, F_OK) == 0 && kept.path.contains(".corrupt-"))
            try store.close()
            // Told again on every start while the kept file is there; not once it is gone.
            #expect(try DispoStore.open(path: path).store.keptDamage() == kept)
            unlink(kept.path)
            #expect(try DispoStore.open(path: path).store.keptDamage() == nil)
        }
    }

    @Test func theRequestLogPutsBackLogsOnDamagedPages() throws {
        for keepRequestLog in [true, false] {
            try withTemporaryDirectory { dir in
                let path = dir + "/dispo.sqlite"
                do {
                    let (store, _) = try DispoStore.open(path: path)
                    try store.enqueueTestLog("a")
                    try store.enqueueTestLog("b", offset: 1)
                    try store.close()
                }
                if !keepRequestLog { unlink(dir + "/" + OutboxRequestLog.fileName) }
                let leaf = try #require(try Self.leafPages("outbox", path: path).first)
                try Self.overwrite(page: leaf, path: path)

                let (store, notice) = try DispoStore.open(path: path)
                let entries = try store.outbox(workspaceKey: "ws", includeFinished: true)
                if keepRequestLog {
                    #expect(entries.map(\.localID) == ["a", "b"])
                    #expect(entries.allSatisfy { $0.state == .pending && $0.uncertain })
                    #expect(notice?.contains("\u{201C}log a\u{201D}, \u{201C}log b\u{201D}") == true, "named: \(notice ?? "")")
                    #expect(store.keptDamage() == nil, "nothing left unread")
                } else {
                    #expect(entries.isEmpty)
                    #expect(notice?.contains("Could not be read: 2 outbox entries") == true, "\(notice ?? "")")
                    #expect(store.keptDamage()?.unread == "2 outbox entries", "never an empty outbox while the file holds them")
                }
            }
        }
    }

    /// Damage found while running (what the runtime calls on a `.damaged` error): the open store is
    /// salvaged in place and goes on working on the fresh file.
    @Test func aStoreDamagedWhileOpenIsSalvagedInPlace() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            let (store, _) = try DispoStore.open(path: path)
            try store.enqueueTestLog("a")
            try store.enqueueTestLog("b", offset: 1)
            try store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            let leaf = try #require(try Self.leafPages("outbox", path: path).first)
            try Self.overwrite(page: leaf, path: path)
            // A fresh connection reads the damage as SQLite reports it.
            #expect(DispoStore.mapError(try #require(Self.readError(path)), path: path).isDamage)

            let repair = try store.salvageAfterDamage(reason: "database disk image is malformed")
            #expect(repair.salvage != nil && repair.restored == ["log a", "log b"])
            #expect(try store.outbox(workspaceKey: "ws", includeFinished: true).map(\.localID) == ["a", "b"])
            try store.enqueueTestLog("c", offset: 2)  // the fresh file takes writes
            #expect(try store.outbox(workspaceKey: "ws", includeFinished: true).count == 3)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).contains { $0.contains(".corrupt-") })
        }
    }

    /// The error a new connection gets reading the outbox of the file at `path`, if any.
    static func readError(_ path: String) -> (any Error)? {
        do {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            _ = try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM outbox NOT INDEXED") }
            return nil
        } catch { return error }
    }

    // MARK: The write-ahead log

    /// A running store with log `a` queued, then `b` and one more commit; returns a copy of its files
    /// (store, `-wal`, request log) as a crash would leave them, and the WAL's size before `b`.
    static func crashedCopy(_ dir: String) throws -> (path: String, walBeforeB: Int) {
        let path = dir + "/live/dispo.sqlite"
        let (store, _) = try DispoStore.open(path: path)
        try store.enqueueTestLog("a")
        let before = fileSize(path + "-wal")
        try store.enqueueTestLog("b", offset: 1)
        try store.setValue("x", forKey: "later")
        let copy = dir + "/crashed/dispo.sqlite"
        try FileManager.default.createDirectory(atPath: dir + "/crashed", withIntermediateDirectories: true)
        for suffix in ["", "-wal"] { try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix) }
        try FileManager.default.copyItem(atPath: dir + "/live/" + OutboxRequestLog.fileName,
                                         toPath: dir + "/crashed/" + OutboxRequestLog.fileName)
        try store.close()
        return (copy, before)
    }

    @Test func aGarbledWALFrameIsFoundAndTheLogsAfterItPutBack() throws {
        try withTemporaryDirectory { dir in
            let (path, walBeforeB) = try Self.crashedCopy(dir)
            #expect(walBeforeB > 32 && Self.fileSize(path + "-wal") > walBeforeB)
            // One byte of the first page written after `a`.
            let handle = try #require(FileHandle(forUpdatingAtPath: path + "-wal"))
            try handle.seek(toOffset: UInt64(walBeforeB + 24 + 100))
            let byte = try #require(handle.readData(ofLength: 1).first)
            try handle.seek(toOffset: UInt64(walBeforeB + 24 + 100))
            try handle.write(contentsOf: Data([byte ^ 0xFF]))
            try handle.close()

            let check = try #require(WALCheck.inspect(path: path + "-wal"))
            #expect(check.losesCommits && check.lostCommits == 2, "b's commit and the next: \(check)")
            #expect(check.damagedFrame == (walBeforeB - 32) / (24 + Self.pageSize) + 1)

            let (store, notice) = try DispoStore.open(path: path)
            #expect(notice?.contains("write-ahead log was damaged at frame") == true, "\(notice ?? "")")
            #expect(notice?.contains("\u{201C}log b\u{201D}") == true, "b put back: \(notice ?? "")")
            let entries = try store.outbox(workspaceKey: "ws", includeFinished: true)
            #expect(entries.map(\.localID) == ["a", "b"])
            #expect(entries.allSatisfy { $0.uncertain }, "both looked up before any send")
            #expect(try store.value(forKey: "later") == nil, "the later commit is lost, and said to be")
            let kept = try #require(store.keptDamage())
            #expect(kept.path.contains("-wal.damaged-") && kept.unread.contains("2 changes"))
        }
    }

    @Test func aWALCutOffAtAFrameLosesNoQueuedLog() throws {
        try withTemporaryDirectory { dir in
            let (path, walBeforeB) = try Self.crashedCopy(dir)
            #expect(truncate(path + "-wal", off_t(walBeforeB)) == 0)
            // Nothing in the log shows what was cut off; the request log still has b.
            #expect(WALCheck.inspect(path: path + "-wal")?.losesCommits == false)
            let (store, notice) = try DispoStore.open(path: path)
            #expect(try store.outbox(workspaceKey: "ws", includeFinished: true).map(\.localID) == ["a", "b"])
            #expect(notice?.contains("Put back from the outbox request log: \u{201C}log b\u{201D}") == true, "\(notice ?? "")")
        }
    }

    @Test func aTornLastFrameIsNotCalledDamage() throws {
        try withTemporaryDirectory { dir in
            let (path, _) = try Self.crashedCopy(dir)
            // A crash while writing the last commit: it was never acknowledged.
            #expect(truncate(path + "-wal", off_t(Self.fileSize(path + "-wal") - 1000)) == 0)
            let check = try #require(WALCheck.inspect(path: path + "-wal"))
            #expect(!check.losesCommits)
        }
    }
}
