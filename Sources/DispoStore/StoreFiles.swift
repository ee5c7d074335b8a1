import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Opening the store's file: the directory and file modes, SQLite's set-up and integrity check, and a
/// damaged file's salvage into a fresh one.
enum StoreFiles {
    /// A file SQLite reports as damaged or not a database.
    struct Damage: Error {
        var reason: String
    }

    /// The tables whose rows a rep would miss: checked at every open.
    static let checkedTables = ["outbox", "draft", "journal"]

    /// Opens and migrates the file; throws `Damage` for a damaged file, `StoreError` otherwise.
    static func openFile(_ path: String) throws -> DatabaseQueue {
        var queue: DatabaseQueue?
        do {
            let opened = try DatabaseQueue(path: path, configuration: DispoStore.configuration())
            queue = opened
            // GRDB's WAL set-up chooses synchronous = NORMAL; the outbox wants each commit fsynced.
            try opened.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let migrator = DispoStore.makeMigrator()
            if try opened.read({ db in try migrator.hasBeenSuperseded(db) }) {
                throw StoreError.newerSchema(path: path)
            }
            try check(opened)
            try migrator.migrate(opened)
            return opened
        } catch {
            try? queue?.close()
            if let error = error as? DatabaseError,
               [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode.primaryResultCode) {
                throw Damage(reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
            }
            if error is Damage { throw error }
            if let error = error as? StoreError { throw error }
            if let error = error as? DatabaseError {
                let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
                switch error.resultCode.primaryResultCode {
                case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM:
                    throw StoreError.notWritable(path: path, reason: message)
                default:
                    throw StoreError.cannotOpen(path: path, reason: message)
                }
            }
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// `PRAGMA quick_check` of each checked table that exists (with its indexes); throws `Damage`.
    static func check(_ queue: DatabaseQueue) throws {
        try queue.read { db in
            for table in checkedTables where try db.tableExists(table) {
                let result = try String.fetchAll(db, sql: "PRAGMA quick_check(\(table))")
                if result != ["ok"] {
                    throw Damage(reason: "integrity check of the \(table): \(result.prefix(3).joined(separator: "; "))")
                }
            }
        }
    }

    /// Moves the damaged store at `path` aside and salvages what can be read into a fresh store there.
    /// Returns the fresh store's connection and what was salvaged. The caller holds the exclusive open
    /// lock. - Throws: `StoreError.corruptFileNotMovable`, `.cannotOpen` (the fresh store fails too).
    static func salvage(_ path: String, reason: String) throws -> (DatabaseQueue, SalvageOutcome) {
        let aside = try moveAside(path)
        try prepareFile(path)
        let fresh: DatabaseQueue
        do {
            fresh = try openFile(path)
        } catch let again as Damage {
            throw StoreError.cannotOpen(path: path, reason: again.reason)
        }
        // Read from a copy: SQLite may write to a file it opens (a checkpoint of its WAL on close), and
        // the damaged file is kept exactly as found.
        let work = FileIO.freeName(aside + ".reading")
        defer { for suffix in ["", "-wal", "-shm"] { _ = unlink(work + suffix) } }
        var results: [String: Salvage.TableResult] = [:]
        if (try? FileIO.copy(aside, to: work)) != nil {
            if access(aside + "-wal", F_OK) == 0 { try? FileIO.copy(aside + "-wal", to: work + "-wal") }
            results = Salvage.copyRows(from: work, into: fresh)
        } else {
            for t in Salvage.tables { results[t] = Salvage.TableResult(saved: 0, unreadable: nil) }
        }
        return (fresh, SalvageOutcome(keptAt: aside, reason: reason, tables: results))
    }

    /// Renames a damaged file (and its `-wal`) aside; removes its `-shm`. Returns the new path.
    static func moveAside(_ path: String) throws -> String {
        let aside = FileIO.freeName("\(path).corrupt-\(FileIO.stamp())")
        if rename(path, aside) != 0 {
            throw StoreError.corruptFileNotMovable(path: path, reason: FileIO.errnoText())
        }
        if access(path + "-wal", F_OK) == 0 { _ = rename(path + "-wal", aside + "-wal") }
        _ = unlink(path + "-shm")
        FileIO.syncDirectory(of: path)
        return aside
    }

    /// Copies `path` to `<path>.<suffix>-<UTC time>` (0600, fsynced); returns the copy's path.
    static func keepCopy(of path: String, suffix: String) throws -> String {
        let copy = FileIO.freeName("\(path).\(suffix)-\(FileIO.stamp())")
        try FileIO.copy(path, to: copy)
        FileIO.syncDirectory(of: copy)
        return copy
    }

    /// Creates `directory` (and missing parents) with mode 0700; checks it is a writable directory.
    static func prepareDirectory(_ directory: String) throws {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw StoreError.cannotCreateDirectory(path: directory, reason: "a file with that name exists")
            }
        } else {
            try makeDirectories(directory)
        }
        if access(directory, W_OK | X_OK) != 0 {
            throw StoreError.notWritable(path: directory, reason: FileIO.errnoText())
        }
    }

    private static func makeDirectories(_ directory: String) throws {
        if mkdir(directory, 0o700) == 0 {
            _ = chmod(directory, 0o700)  // mkdir's mode is filtered by the umask
            return
        }
        let code = errno
        if code == EEXIST { return }
        if code == ENOENT {
            let parent = (directory as NSString).deletingLastPathComponent
            if !parent.isEmpty, parent != directory {
                try makeDirectories(parent)
                if mkdir(directory, 0o700) == 0 || errno == EEXIST {
                    _ = chmod(directory, 0o700)
                    return
                }
            }
        }
        let reason = FileIO.errnoText()
        if errno == EACCES || errno == EROFS || errno == EPERM {
            throw StoreError.notWritable(path: directory, reason: reason)
        }
        throw StoreError.cannotCreateDirectory(path: directory, reason: reason)
    }

    /// Creates the store file with mode 0600 when missing; tightens an existing one to 0600.
    static func prepareFile(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw StoreError.cannotOpen(path: path, reason: "not a regular file")
            }
            if info.st_mode & 0o077 != 0 { _ = chmod(path, 0o600) }
            if access(path, R_OK | W_OK) != 0 {
                throw StoreError.notWritable(path: path, reason: FileIO.errnoText())
            }
            return
        }
        let fd = FileIO.open(path, O_CREAT | O_EXCL | O_WRONLY)
        if fd < 0 {
            if errno == EEXIST { return }
            throw StoreError.notWritable(path: path, reason: FileIO.errnoText())
        }
        _ = fchmod(fd, 0o600)
        _ = fsync(fd)
        _ = close(fd)
    }
}
