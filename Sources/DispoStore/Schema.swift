import GRDB

extension DispoStore {
    /// The schema, as GRDB migrations. Append new migrations; never edit a shipped one.
    ///
    /// Dates are REAL seconds since 1970 (sub-millisecond precision, sortable); JSON is BLOB.
    /// The outbox is ordered by `seq` (insertion order), never by a clock.
    static func makeMigrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: drafts, outbox, journal, page cache, settings") { db in
            try db.execute(sql: """
                CREATE TABLE draft (
                    key TEXT PRIMARY KEY NOT NULL,
                    json BLOB NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    local_id TEXT NOT NULL UNIQUE,
                    workspace_key TEXT NOT NULL,
                    request_json BLOB NOT NULL,
                    summary TEXT NOT NULL,
                    state TEXT NOT NULL
                        CHECK (state IN ('pending', 'sending', 'sent', 'needs_attention', 'discarded')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    field_errors TEXT NOT NULL DEFAULT '{}',
                    uncertain INTEGER NOT NULL DEFAULT 0,
                    call_id TEXT,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    next_attempt_at REAL
                );
                CREATE INDEX outbox_by_workspace ON outbox (workspace_key, state, seq);
                CREATE TABLE journal (
                    call_id TEXT PRIMARY KEY NOT NULL,
                    local_id TEXT NOT NULL,
                    workspace_key TEXT NOT NULL,
                    request_json BLOB NOT NULL,
                    call_json BLOB NOT NULL,
                    notes TEXT,
                    notes_stored_by_server INTEGER NOT NULL,
                    submitted_at REAL NOT NULL,
                    logged_at REAL NOT NULL
                );
                CREATE INDEX journal_by_workspace ON journal (workspace_key, logged_at);
                CREATE TABLE page_cache (
                    key TEXT PRIMARY KEY NOT NULL,
                    json BLOB NOT NULL,
                    fetched_at REAL NOT NULL
                );
                CREATE TABLE setting (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: outbox last attempt time") { db in
            // When the last attempt's POST started (REAL seconds since 1970): an entry found `sending`
            // after a crash is uncertain from then, not from the restart.
            try db.execute(sql: "ALTER TABLE outbox ADD COLUMN last_attempt_at REAL")
        }
        migrator.registerMigration("v3: call backs") { db in
            // Call backs are kept on this machine only (the API cannot create tasks); `json` is the
            // app's encoding of one, `due_at` REAL seconds since 1970 for ordering.
            try db.execute(sql: """
                CREATE TABLE call_back (
                    id TEXT PRIMARY KEY NOT NULL,
                    workspace_key TEXT NOT NULL,
                    json BLOB NOT NULL,
                    due_at REAL NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX call_back_by_workspace ON call_back (workspace_key, due_at);
                """)
        }
        migrator.registerMigration("v4: call mirror") { db in
            // The rep's calls as the server sent them (`json`, the app's encoding of a call) with the columns
            // filters and counts read, keyed by workspace, rep and call id. `sort_key` (the row id) orders
            // newest first: start milliseconds << 10, plus a counter for calls of the same millisecond.
            // `call_mirror_fts` indexes `search_text` (external content, kept in step by triggers).
            try db.execute(sql: """
                CREATE TABLE call_mirror (
                    sort_key INTEGER PRIMARY KEY,
                    workspace_key TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    call_id TEXT NOT NULL,
                    start_at REAL,
                    answered INTEGER,
                    human INTEGER,
                    duration INTEGER,
                    disposition_id TEXT,
                    disposition_name TEXT,
                    json BLOB NOT NULL,
                    search_text TEXT NOT NULL,
                    UNIQUE (workspace_key, user_id, call_id)
                );
                CREATE INDEX call_mirror_by_rep ON call_mirror (workspace_key, user_id, sort_key);
                CREATE VIRTUAL TABLE call_mirror_fts USING fts5(
                    search_text, content = 'call_mirror', content_rowid = 'sort_key',
                    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
                );
                CREATE TRIGGER call_mirror_indexed AFTER INSERT ON call_mirror BEGIN
                    INSERT INTO call_mirror_fts (rowid, search_text) VALUES (new.sort_key, new.search_text);
                END;
                CREATE TRIGGER call_mirror_unindexed AFTER DELETE ON call_mirror BEGIN
                    INSERT INTO call_mirror_fts (call_mirror_fts, rowid, search_text) VALUES ('delete', old.sort_key, old.search_text);
                END;
                CREATE TRIGGER call_mirror_reindexed AFTER UPDATE OF search_text ON call_mirror BEGIN
                    INSERT INTO call_mirror_fts (call_mirror_fts, rowid, search_text) VALUES ('delete', old.sort_key, old.search_text);
                    INSERT INTO call_mirror_fts (rowid, search_text) VALUES (new.sort_key, new.search_text);
                END;
                """)
        }
        migrator.registerMigration("v5: number words in the call mirror's search text") { db in
            // Calls mirrored before their search text held number words are indexed again by the app
            // (`indexMirrorNumbers`), which alone can read numbers; the setting marks the mirror as owing
            // it. A mirror with no call owes nothing.
            try db.execute(sql: """
                INSERT INTO setting (key, value) SELECT ?, ? WHERE EXISTS (SELECT 1 FROM call_mirror)
                """, arguments: [DispoStore.numberWordsOwedKey, String(Int64.max)])
        }
        return migrator
    }
}
