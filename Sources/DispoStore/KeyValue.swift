import Foundation
import GRDB

extension DispoStore {
    // MARK: - Drafts (the log form autosaves as the rep types)

    /// Saves (replacing) the one current draft of workspace `key` (e.g. base URL + user id).
    /// `json` is the app's encoding of the form; `updatedAt` when the rep last typed.
    /// Durable when it returns (synchronous = FULL). Throws `StoreError` (e.g. `.diskFull`).
    public func saveDraft(key: String, json: Data, updatedAt: Date) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO draft (key, json, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at
                    """,
                arguments: [key, json, updatedAt.timeIntervalSince1970])
        }
    }

    /// The current draft of workspace `key`, or nil. Throws `StoreError`.
    public func draft(key: String) throws -> Data? {
        try read { db in try Data.fetchOne(db, sql: "SELECT json FROM draft WHERE key = ?", arguments: [key]) }
    }

    /// Removes the draft of workspace `key` (no error when there is none). Throws `StoreError`.
    public func clearDraft(key: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM draft WHERE key = ?", arguments: [key]) }
    }

    // MARK: - Page cache (the first screen before the first request)

    /// Stores (replacing) the page under `key` (opaque JSON), fetched at `fetchedAt`. Throws `StoreError`.
    public func cachePage(key: String, json: Data, fetchedAt: Date) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO page_cache (key, json, fetched_at) VALUES (?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at
                    """,
                arguments: [key, json, fetchedAt.timeIntervalSince1970])
        }
    }

    /// The page cached under `key` and when it was fetched, or nil. Throws `StoreError`.
    public func cachedPage(key: String) throws -> (json: Data, fetchedAt: Date)? {
        try read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT json, fetched_at FROM page_cache WHERE key = ?", arguments: [key])
            else { return nil }
            let json: Data = row["json"]
            let fetchedAt: Double = row["fetched_at"]
            return (json, Date(timeIntervalSince1970: fetchedAt))
        }
    }

    // MARK: - Remembered settings (e.g. the user chosen per workspace)

    /// Remembers `value` under `key` (replacing). Throws `StoreError`.
    public func setValue(_ value: String, forKey key: String) throws {
        try write { db in
            try db.execute(
                sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
        }
    }

    /// The value remembered under `key`, or nil. Throws `StoreError`.
    public func value(forKey key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key]) }
    }

    /// A small write that needs the disk (a setting changed each time): succeeds only while the store
    /// takes writes. Throws `StoreError` (e.g. `.diskFull`).
    public func probeWrite() throws {
        try setValue(String(Date().timeIntervalSince1970), forKey: "store.probe")
    }

    /// Forgets `key` (no error when absent). Throws `StoreError`.
    public func removeValue(forKey key: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM setting WHERE key = ?", arguments: [key]) }
    }
}
