import Foundation
import GRDB
import Testing
@testable import DispoStore
#if canImport(Glibc)
import Glibc
#endif

@Suite struct FileStoreTests {
    @Test func migratesFromNothingCreatingDirectoryAndFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/state/dispo/dispo.sqlite"
            let (store, notice) = try DispoStore.open(path: path)
            #expect(notice == nil)
            let tables = try store.writer.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            }
            #expect(Set(tables).isSuperset(of: ["draft", "outbox", "journal", "page_cache", "setting"]))
            let applied = try store.writer.read { db in try DispoStore.makeMigrator().completedMigrations(db) }
            #expect(applied == ["v1: drafts, outbox, journal, page cache, settings", "v2: outbox last attempt time", "v3: call backs", "v4: call mirror",
                               "v5: number words in the call mirror's search text"])
            #expect(try store.pragma("journal_mode") == "wal")
            #expect(try store.pragma("synchronous") == "2")  // FULL
        }
    }

    @Test func migratesAnExistingEmptyFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            let (store, notice) = try DispoStore.open(path: path)
            #expect(notice == nil)
            try store.setValue("u-1", forKey: "user")
            #expect(try store.value(forKey: "user") == "u-1")
        }
    }

    @Test func createsDirectory0700AndFiles0600() throws {
        try withTemporaryDirectory { dir in
            let stateDir = dir + "/a/dispo"
            let path = stateDir + "/dispo.sqlite"
            let old = umask(0o022)
            defer { umask(old) }
            let (store, _) = try DispoStore.open(path: path)
            try store.saveDraft(key: "k", json: Data("{}".utf8), updatedAt: t0)
            #expect(mode(of: stateDir) == 0o700)
            #expect(mode(of: path) == 0o600)
            #expect(mode(of: path + "-wal") == 0o600)
            #expect(mode(of: path + "-shm") == 0o600)
        }
    }

    @Test func tightensAnExistingWorldReadableFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            #expect(chmod(path, 0o644) == 0)
            _ = try DispoStore.open(path: path)
            #expect(mode(of: path) == 0o600)
        }
    }

    @Test func draftOutboxAndSettingsSurviveCloseAndReopen() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            let draft = Data(#"{"notes":"called back, wants pricing"}"#.utf8)
            do {
                let (store, _) = try DispoStore.open(path: path)
                try store.saveDraft(key: "https://api.example|u-1", json: draft, updatedAt: t0)
                try store.enqueueTestLog("a")
                try store.setValue("u-1", forKey: "user:https://api.example")
                try store.cachePage(key: "calls", json: Data("[1]".utf8), fetchedAt: t0)
                try store.close()
            }
            let (store, notice) = try DispoStore.open(path: path)
            #expect(notice == nil)
            #expect(try store.draft(key: "https://api.example|u-1") == draft)
            #expect(try store.outbox(workspaceKey: "ws", includeFinished: false).map(\.localID) == ["a"])
            #expect(try store.value(forKey: "user:https://api.example") == "u-1")
            let page = try #require(try store.cachedPage(key: "calls"))
            #expect(page.json == Data("[1]".utf8))
            #expect(page.fetchedAt == t0)
        }
    }

    @Test func notADatabaseIsMovedAsideWithANotice() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            let garbage = Data(String(repeating: "this is not sqlite ", count: 300).utf8)
            #expect(FileManager.default.createFile(atPath: path, contents: garbage))
            let (store, notice) = try DispoStore.open(path: path)
            let message = try #require(notice)
            #expect(message.contains("nothing in it could be read"), "\(message)")
            #expect(message.contains("kept at"))
            let moved = try FileManager.default.contentsOfDirectory(atPath: dir)
                .filter { $0.hasPrefix("dispo.sqlite.corrupt-") }
            #expect(moved.count == 1)
            #expect(message.contains(moved.first ?? "?"))
            #expect(FileManager.default.contents(atPath: dir + "/" + moved[0]) == garbage)
            // The fresh store works.
            try store.enqueueTestLog("a")
            #expect(try store.outbox(workspaceKey: "ws", includeFinished: true).count == 1)
            #expect(mode(of: path) == 0o600)
        }
    }

    @Test func damagedPagesAreDetectedMovedAsideAndTheQueueIsPutBack() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            do {
                let (store, _) = try DispoStore.open(path: path)
                for index in 0..<200 {
                    try store.enqueueTestLog("log-\(index)", offset: Double(index))
                }
                try store.close()  // checkpoints the WAL into the main file
            }
            // Keep the 100-byte header valid; scribble over the b-tree pages after the first.
            let handle = try #require(FileHandle(forUpdatingAtPath: path))
            let size = try handle.seekToEnd()
            #expect(size > 8192)
            try handle.seek(toOffset: 4096)
            try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4096))
            try handle.close()

            let (store, notice) = try DispoStore.open(path: path)
            #expect(notice?.contains("was damaged") == true, "\(notice ?? "")")
            // Nothing of the outbox could be read from the file; the request log put every log back.
            let entries = try store.outbox(workspaceKey: "ws", includeFinished: true)
            #expect(entries.map(\.localID) == (0..<200).map { "log-\($0)" })
            #expect(entries.allSatisfy { $0.state == .pending && $0.uncertain })
        }
    }

    @Test func readOnlyDirectoryGivesAClearError() throws {
        try withTemporaryDirectory { dir in
            // Root ignores permission bits, so as root use a directory the kernel refuses (sysfs).
            let readOnlyDir: String
            if geteuid() == 0 {
                readOnlyDir = "/sys"
            } else {
                readOnlyDir = dir + "/ro"
                try FileManager.default.createDirectory(atPath: readOnlyDir, withIntermediateDirectories: false)
                #expect(chmod(readOnlyDir, 0o500) == 0)
            }
            let path = readOnlyDir + "/dispo-\(UUID().uuidString).sqlite"
            do {
                _ = try DispoStore.open(path: path)
                Issue.record("opening a store in a read-only directory succeeded")
            } catch let error as StoreError {
                guard case .notWritable(let failingPath, let reason) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(failingPath.hasPrefix(readOnlyDir))
                #expect(!reason.isEmpty)
                #expect(error.description.contains("not writable"))
            }
            #expect(access(path, F_OK) != 0)
        }
    }

    @Test func aFileInPlaceOfTheDirectoryIsAClearError() throws {
        try withTemporaryDirectory { dir in
            let blocker = dir + "/dispo"
            #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
            #expect(throws: StoreError.cannotCreateDirectory(path: blocker, reason: "a file with that name exists")) {
                _ = try DispoStore.open(path: blocker + "/dispo.sqlite")
            }
        }
    }

    @Test func aStoreFromANewerDispoIsRefusedAndLeftAlone() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            do {
                let (store, _) = try DispoStore.open(path: path)
                try store.writer.write { db in
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
                }
                try store.close()
            }
            #expect(throws: StoreError.newerSchema(path: path)) { _ = try DispoStore.open(path: path) }
            let siblings = try FileManager.default.contentsOfDirectory(atPath: dir)
            #expect(!siblings.contains { $0.contains("corrupt") })
        }
    }

    @Test func defaultPathFollowsXDG() {
        #expect(DispoStore.defaultPath(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/r"])
            == "/x/state/dispo/dispo.sqlite")
        #expect(DispoStore.defaultPath(environment: ["HOME": "/home/r"]) == "/home/r/.local/state/dispo/dispo.sqlite")
        // A relative XDG_STATE_HOME is ignored, per the XDG base directory spec.
        #expect(DispoStore.defaultPath(environment: ["XDG_STATE_HOME": "rel", "HOME": "/home/r"])
            == "/home/r/.local/state/dispo/dispo.sqlite")
    }
}
