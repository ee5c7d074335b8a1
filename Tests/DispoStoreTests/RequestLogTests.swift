import Foundation
import GRDB
import Testing
@testable import DispoStore
#if canImport(Glibc)
import Glibc
#endif

/// The outbox request log: the second durable record of each queued log.
@Suite struct RequestLogTests {
    @Test func queuedEditedAndFinishedLogsAreRecorded() throws {
        try withTemporaryDirectory { dir in
            let (store, _) = try DispoStore.open(path: dir + "/dispo.sqlite")
            try store.enqueueTestLog("a")
            try store.enqueueTestLog("b", offset: 1)
            try store.enqueueTestLog("c", offset: 2)
            try store.markSending(localID: "a", at: t0)
            try store.markSent(localID: "a", callID: "call-a", callJSON: Data("{}".utf8), notesStored: true, at: t0)
            try store.markNeedsAttention(localID: "b", error: "refused", fieldErrors: [:])
            try store.updateRequest(localID: "b", requestJSON: requestJSON(to: "+15550000"), summary: "b edited")
            try store.discard(localID: "c")
            let log = try #require(store.requestLog)
            let (entries, damaged) = try log.unfinished()
            #expect(damaged == 0)
            #expect(entries.map(\.localID) == ["b"], "sent and discarded logs are finished")
            #expect(entries.first?.summary == "b edited")
            #expect(entries.first?.requestJSON == requestJSON(to: "+15550000"))
            #expect(mode(of: log.path) == 0o600)
        }
    }

    @Test func aDamagedRecordIsSkippedAndTheRestRead() throws {
        try withTemporaryDirectory { dir in
            let (store, _) = try DispoStore.open(path: dir + "/dispo.sqlite")
            for id in ["a", "b", "c"] { try store.enqueueTestLog(id) }
            let log = try #require(store.requestLog)
            // Garble a byte inside the first record's payload.
            let handle = try #require(FileHandle(forUpdatingAtPath: log.path))
            try handle.seek(toOffset: 20)
            try handle.write(contentsOf: Data([0x00]))
            try handle.close()
            let (entries, damaged) = try log.unfinished()
            #expect(entries.map(\.localID) == ["b", "c"])
            #expect(damaged == 1)
        }
    }

    @Test func aLogTheStoreRefusedIsNotRecorded() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            let (store, _) = try DispoStore.open(path: path)
            try store.writer.writeWithoutTransaction { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            }
            let big = NewOutboxEntry(localID: "big", workspaceKey: "ws", requestJSON: Data(repeating: 0x20, count: 256 * 1024),
                                     summary: "big", createdAt: t0)
            #expect(throws: StoreError.diskFull(path: path)) { try store.enqueue(big) }
            #expect(try #require(store.requestLog).unfinished().entries.isEmpty, "never put back later")
        }
    }

    @Test func compactionDropsFinishedLogsAndKeepsTheRest() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            do {
                let (store, _) = try DispoStore.open(path: path)
                // Enough sent logs to pass the compaction threshold (64 KB).
                let body = Data(String(repeating: "n", count: 2000).utf8)
                for index in 0..<60 {
                    try store.enqueue(NewOutboxEntry(localID: "s\(index)", workspaceKey: "ws", requestJSON: body,
                                                     summary: "s", createdAt: t0))
                    try store.markSending(localID: "s\(index)", at: t0)
                    try store.markSent(localID: "s\(index)", callID: "c\(index)", callJSON: Data(), notesStored: true, at: t0)
                }
                try store.enqueueTestLog("kept")
                try store.close()
            }
            let logPath = dir + "/" + OutboxRequestLog.fileName
            let before = try #require(try FileIO.readAll(path: logPath)).count
            #expect(before > 64 * 1024)
            let (store, notice) = try DispoStore.open(path: path)
            #expect(notice == nil)
            let after = try #require(try FileIO.readAll(path: logPath)).count
            #expect(after < 2048, "only the unfinished log's record is left: \(after) bytes")
            #expect(try #require(store.requestLog).unfinished().entries.map(\.localID) == ["kept"])
            #expect(mode(of: logPath) == 0o600)
        }
    }
}
