import AmplemarketModels
import Foundation
import GRDB
import Testing
@testable import DispoStore

/// Call backs kept on this machine: saved durably, listed soonest first per workspace, removed, and
/// kept across a close and reopen; a row that no longer decodes is counted, not fatal.
@Suite("Store: call backs") struct CallBackStoreTests {
    static func callBack(_ id: String, dueIn seconds: TimeInterval, note: String? = nil) -> CallBack {
        CallBack(id: id, taskID: "task-\(id)", contact: Contact(id: "c-\(id)", name: "Ana \(id)", email: nil),
                 number: "+351912345678", sequenceName: "Q4", due: t0.addingTimeInterval(seconds), note: note, createdAt: t0)
    }

    @Test func savedListedSoonestFirstPerWorkspaceAndRemoved() throws {
        let store = try DispoStore.inMemory()
        try store.saveCallBack(Self.callBack("late", dueIn: 7200, note: "send pricing"), workspaceKey: "ws")
        try store.saveCallBack(Self.callBack("soon", dueIn: 600), workspaceKey: "ws")
        try store.saveCallBack(Self.callBack("other", dueIn: 60), workspaceKey: "another-ws")
        let (list, unreadable) = try store.callBacks(workspaceKey: "ws")
        #expect(list.map(\.id) == ["soon", "late"] && unreadable == 0)
        #expect(list.last == Self.callBack("late", dueIn: 7200, note: "send pricing"), "every field round-trips")
        // Saving the same id again replaces it (a moved call back), never duplicates it.
        try store.saveCallBack(Self.callBack("late", dueIn: 60), workspaceKey: "ws")
        #expect(try store.callBacks(workspaceKey: "ws").callBacks.map(\.id) == ["late", "soon"])
        #expect(try store.removeCallBack(id: "late") && !(try store.removeCallBack(id: "late")))
        #expect(try store.callBacks(workspaceKey: "ws").callBacks.map(\.id) == ["soon"])
        #expect(try store.callBacks(workspaceKey: "another-ws").callBacks.map(\.id) == ["other"])
    }

    @Test func keptAcrossReopenAndAnUnreadableRowIsCounted() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            do {
                let (store, _) = try DispoStore.open(path: path)
                try store.saveCallBack(Self.callBack("a", dueIn: 60), workspaceKey: "ws")
                try store.writer.write { db in
                    try db.execute(sql: "INSERT INTO call_back (id, workspace_key, json, due_at, created_at) VALUES ('bad', 'ws', X'7B7D', 0, 0)")
                }
                try store.close()
            }
            let (store, _) = try DispoStore.open(path: path)
            defer { try? store.close() }
            let (list, unreadable) = try store.callBacks(workspaceKey: "ws")
            #expect(list.map(\.id) == ["a"] && unreadable == 1)
        }
    }
}
