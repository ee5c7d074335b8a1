import Foundation
import GRDB
import AmplemarketModels

extension DispoStore {
    // MARK: - Call backs (kept on this machine only; never sent)

    /// Saves `callBack` for workspace `workspaceKey`, replacing one with the same id. Durable when it
    /// returns. Throws `StoreError`.
    public func saveCallBack(_ callBack: CallBack, workspaceKey: String) throws {
        let json = try JSONEncoder().encode(callBack)
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO call_back (id, workspace_key, json, due_at, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET json = excluded.json, due_at = excluded.due_at
                    """,
                arguments: [callBack.id, workspaceKey, json, callBack.due.timeIntervalSince1970,
                            callBack.createdAt.timeIntervalSince1970])
        }
    }

    /// The pending call backs of workspace `workspaceKey`, soonest due first. Rows that no longer decode
    /// are skipped (counted in `unreadable`). Throws `StoreError`.
    public func callBacks(workspaceKey: String) throws -> (callBacks: [CallBack], unreadable: Int) {
        try read { db in
            let rows = try Data.fetchAll(
                db, sql: "SELECT json FROM call_back WHERE workspace_key = ? ORDER BY due_at, created_at",
                arguments: [workspaceKey])
            let decoder = JSONDecoder()
            let decoded = rows.compactMap { try? decoder.decode(CallBack.self, from: $0) }
            return (decoded, rows.count - decoded.count)
        }
    }

    /// Removes the call back `id` (dismissed, or done by a logged call). Returns false when there was none.
    /// Throws `StoreError`.
    @discardableResult
    public func removeCallBack(id: String) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM call_back WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
