import Foundation
import GRDB

extension DispoStore {
    /// Forgets every remembered setting whose key starts with `prefix` (none: no error). Throws
    /// `StoreError`.
    public func removeValues(withPrefix prefix: String) throws {
        // LIKE would treat `%` and `_` in the prefix as wildcards: compare the key's start instead.
        try write { db in
            try db.execute(sql: "DELETE FROM setting WHERE substr(key, 1, length(?)) = ?", arguments: [prefix, prefix])
        }
    }
}
