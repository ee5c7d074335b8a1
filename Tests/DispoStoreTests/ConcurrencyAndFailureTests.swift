import Foundation
import GRDB
import Testing
@testable import DispoStore

@Suite struct ConcurrencyAndFailureTests {
    @Test func twoProcessesOnOneFileCannotBothSendAnEntry() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            // Two connections to one file behave like two dispo processes.
            let (first, _) = try DispoStore.open(path: path)
            let (second, _) = try DispoStore.open(path: path)
            try first.enqueueTestLog("a")
            #expect(try second.nextSendable(workspaceKey: "ws", now: t0)?.localID == "a")
            try first.markSending(localID: "a", at: t0)
            #expect(throws: StoreError.invalidTransition(localID: "a", from: .sending, to: .sending)) {
                try second.markSending(localID: "a", at: t0)
            }
            #expect(try second.nextSendable(workspaceKey: "ws", now: t0) == nil)
        }
    }

    @Test func aFullDiskRollsBackTheWriteAndSaysSo() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            let (store, _) = try DispoStore.open(path: path)
            try store.enqueueTestLog("kept")
            // Simulate a full disk: SQLite may not grow the file past its current size.
            try store.writer.writeWithoutTransaction { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            }
            let big = NewOutboxEntry(localID: "big", workspaceKey: "ws",
                                     requestJSON: Data(repeating: 0x20, count: 256 * 1024),
                                     summary: "big", createdAt: t0, clearsDraftKey: nil)
            #expect(throws: StoreError.diskFull(path: path)) { try store.enqueue(big) }
            #expect(try store.outbox(workspaceKey: "ws", includeFinished: true).map(\.localID) == ["kept"])

            // Space is back: the same write succeeds.
            try store.writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA max_page_count = 1073741823")
            }
            try store.enqueue(big)
            #expect(try store.outbox(workspaceKey: "ws", includeFinished: true).map(\.localID) == ["kept", "big"])
        }
    }

    @Test func errorsReadAsPlainSentences() {
        #expect(StoreError.diskFull(path: "/s/dispo.sqlite").description.contains("full"))
        #expect(StoreError.invalidTransition(localID: "a", from: .sent, to: .discarded).description
            == "Outbox entry a is sent and cannot become discarded.")
        #expect(StoreError.readOnly(path: "/s").localizedDescription.contains("read-only"))
    }
}
