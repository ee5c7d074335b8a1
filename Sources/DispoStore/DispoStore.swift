import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// dispo's local store: one SQLite file (GRDB, WAL mode) holding drafts, the outbox of call logs,
/// the journal of logged calls, cached first pages and remembered settings (design.md §4–§5, issue 3).
///
/// Thread-safe: every method is synchronous and serialized on one SQLite connection (a GRDB
/// `DatabaseQueue`); every write is one IMMEDIATE transaction. The store knows nothing of view models:
/// drafts, requests, calls and pages are opaque JSON `Data` encoded by the app.
///
/// Durability: `PRAGMA synchronous = FULL` on the connection, so in WAL mode each commit is fsynced
/// before the method returns — an outbox entry exists on disk when `enqueue` returns, before any
/// network I/O. Writes are a few per log, so the cost of FULL over NORMAL is negligible here.
public final class DispoStore: Sendable {
    let writer: any DatabaseWriter
    /// The file path, or ":memory:".
    public let path: String

    private init(writer: any DatabaseWriter, path: String) {
        self.writer = writer
        self.path = path
    }

    // MARK: - Opening

    /// Opens (creating if needed) the store at `path`.
    ///
    /// - The parent directory is created (with intermediates) with mode 0700 when missing; the file is
    ///   created with mode 0600 (and tightened to 0600 if it was readable by others); SQLite creates its
    ///   `-wal`/`-shm` companions with the file's mode.
    /// - WAL journal mode, `synchronous = FULL`, busy timeout 5 s (another dispo on the same file waits).
    /// - The schema is migrated with GRDB's `DatabaseMigrator`.
    /// - A corrupt file (not a database, or failing `PRAGMA quick_check`) is renamed to
    ///   `<name>.corrupt-<UTC yyyyMMdd'T'HHmmss'Z'>` (its `-wal` alongside), a fresh store is created, and
    ///   `notice` says so in plain words for the rep. Otherwise `notice` is nil.
    /// - Throws: `StoreError.cannotCreateDirectory`, `.notWritable` (read-only directory or file),
    ///   `.newerSchema`, `.corruptFileNotMovable`, `.cannotOpen`.
    public static func open(path: String) throws -> (store: DispoStore, notice: String?) {
        let directory = (path as NSString).deletingLastPathComponent
        try prepareDirectory(directory.isEmpty ? "." : directory)
        try prepareFile(path)
        do {
            return (try openFile(path), nil)
        } catch let corruption as Corruption {
            let aside = try moveAside(path)
            try prepareFile(path)
            let store: DispoStore
            do {
                store = try openFile(path)
            } catch let again as Corruption {
                throw StoreError.cannotOpen(path: path, reason: again.reason)
            }
            let notice = "dispo's local store \(path) was damaged (\(corruption.reason)). It was moved to "
                + "\(aside) and a fresh, empty store was created. Drafts and unsent logs from before are "
                + "not in the new store; the old file is kept for recovery."
            return (store, notice)
        }
    }

    /// A store in memory only (tests, previews): same schema and behaviour, nothing on disk.
    /// - Throws: `StoreError.database` if SQLite fails (it should not).
    public static func inMemory() throws -> DispoStore {
        do {
            let queue = try DatabaseQueue(configuration: configuration())
            try makeMigrator().migrate(queue)
            return DispoStore(writer: queue, path: ":memory:")
        } catch {
            throw mapError(error, path: ":memory:")
        }
    }

    /// The default store path (design.md §5): `$XDG_STATE_HOME/dispo/dispo.sqlite` when `XDG_STATE_HOME`
    /// is set to an absolute path (the XDG spec says to ignore relative ones), else
    /// `$HOME/.local/state/dispo/dispo.sqlite` (the home directory from the process when `HOME` is unset).
    public static func defaultPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return (state as NSString).appendingPathComponent("dispo/dispo.sqlite")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/state/dispo/dispo.sqlite")
    }

    /// Closes the SQLite connection. Further calls on this store throw. Optional: the connection is
    /// also closed when the store is deallocated.
    public func close() throws {
        do {
            if let queue = writer as? DatabaseQueue { try queue.close() }
        } catch {
            throw Self.mapError(error, path: path)
        }
    }

    // MARK: - Internals shared by the other files

    /// Runs `body` in one IMMEDIATE write transaction, mapping SQLite errors to `StoreError`.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch {
            throw Self.mapError(error, path: path)
        }
    }

    /// Runs `body` as a read, mapping SQLite errors to `StoreError`.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch {
            throw Self.mapError(error, path: path)
        }
    }

    /// Maps any error to a `StoreError` (a `StoreError` passes through).
    static func mapError(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else { return .database("\(error)") }
        let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_READONLY: return .readOnly(path: path)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH: return .notWritable(path: path, reason: message)
        default: return .database(message)
        }
    }

    // MARK: - Opening internals

    /// A file SQLite reports as corrupt or not a database.
    struct Corruption: Error {
        var reason: String
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.label = "dispo.store"
        config.busyMode = .timeout(5)
        config.journalMode = .wal
        return config
    }

    /// Opens and migrates the file; throws `Corruption` for a damaged file, `StoreError` otherwise.
    private static func openFile(_ path: String) throws -> DispoStore {
        var queue: DatabaseQueue?
        do {
            let opened = try DatabaseQueue(path: path, configuration: configuration())
            queue = opened
            // GRDB's WAL set-up chooses synchronous = NORMAL; the outbox wants each commit fsynced.
            try opened.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let check = try opened.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
            if check != ["ok"] {
                throw Corruption(reason: "integrity check: \(check.prefix(3).joined(separator: "; "))")
            }
            let migrator = makeMigrator()
            if try opened.read({ db in try migrator.hasBeenSuperseded(db) }) {
                throw StoreError.newerSchema(path: path)
            }
            try migrator.migrate(opened)
            return DispoStore(writer: opened, path: path)
        } catch {
            try? queue?.close()
            if let error = error as? DatabaseError,
               [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode.primaryResultCode) {
                throw Corruption(reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
            }
            if error is Corruption { throw error }
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

    /// Creates `directory` (and missing parents) with mode 0700; checks it is a writable directory.
    private static func prepareDirectory(_ directory: String) throws {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw StoreError.cannotCreateDirectory(path: directory, reason: "a file with that name exists")
            }
        } else {
            try makeDirectories(directory)
        }
        if access(directory, W_OK | X_OK) != 0 {
            throw StoreError.notWritable(path: directory, reason: lastErrno())
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
        let reason = String(cString: strerror(errno))
        if errno == EACCES || errno == EROFS || errno == EPERM {
            throw StoreError.notWritable(path: directory, reason: reason)
        }
        throw StoreError.cannotCreateDirectory(path: directory, reason: reason)
    }

    /// Creates the store file with mode 0600 when missing; tightens an existing one to 0600.
    private static func prepareFile(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw StoreError.cannotOpen(path: path, reason: "not a regular file")
            }
            if info.st_mode & 0o077 != 0 { _ = chmod(path, 0o600) }
            if access(path, R_OK | W_OK) != 0 {
                throw StoreError.notWritable(path: path, reason: lastErrno())
            }
            return
        }
        let fd = createExclusive(path)
        if fd < 0 {
            if errno == EEXIST { return }
            throw StoreError.notWritable(path: path, reason: lastErrno())
        }
        _ = fchmod(fd, 0o600)
        _ = fsync(fd)
        _ = closeDescriptor(fd)
    }

    /// Renames a corrupt file (and its `-wal`) aside; removes its `-shm`. Returns the new path.
    private static func moveAside(_ path: String) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let base = "\(path).corrupt-\(formatter.string(from: Date()))"
        var aside = base
        var counter = 2
        while access(aside, F_OK) == 0 {
            aside = "\(base)-\(counter)"
            counter += 1
        }
        if rename(path, aside) != 0 {
            throw StoreError.corruptFileNotMovable(path: path, reason: lastErrno())
        }
        if access(path + "-wal", F_OK) == 0 { _ = rename(path + "-wal", aside + "-wal") }
        _ = unlink(path + "-shm")
        return aside
    }
}

private func lastErrno() -> String { String(cString: strerror(errno)) }

private func createExclusive(_ path: String) -> Int32 {
    #if canImport(Glibc)
    return Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    #else
    return Darwin.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    #endif
}

private func closeDescriptor(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}
