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
