import Foundation
import GRDB

/// dispo's local store: one SQLite file (GRDB, WAL mode) holding drafts, the outbox of call logs,
/// the journal of logged calls, cached first pages and remembered settings; beside it, the outbox
/// request log (`OutboxRequestLog`), the lock files and any damaged file kept aside.
///
/// Thread-safe: every method is synchronous and serialized on one SQLite connection (a GRDB
/// `DatabaseQueue`); every write is one IMMEDIATE transaction. The store knows nothing of view models:
/// drafts, requests, calls and pages are opaque JSON `Data` encoded by the app.
///
/// Durability: `PRAGMA synchronous = FULL` on the connection, so in WAL mode each commit is fsynced
/// before the method returns — an outbox entry exists on disk when `enqueue` returns, before any
/// network I/O. Writes are a few per log, so the cost of FULL over NORMAL is negligible here.
public final class DispoStore: @unchecked Sendable {
    private let connection: NSLock = NSLock()
    private var currentWriter: any DatabaseWriter
    /// The file path, or ":memory:".
    public let path: String
    /// The second durable record of queued logs; nil for a store in memory.
    let requestLog: OutboxRequestLog?
    /// Appends to the request log that failed (the store's own commit had succeeded).
    let requestLogFailures = Counter()
    /// The shared lock every process holding this file open keeps (nil in memory).
    let openLock: OpenLock?
    private var lastRepair: StoreRepair?
    private var failingWrites: StoreError?
    /// Guards `closing` and `operationsUnderWay`, and wakes `close` when the last operation ends.
    private let operations = NSCondition()
    private var closing = false
    private var operationsUnderWay = 0

    /// Tests only: while set, every write throws this error before touching SQLite (as a full disk or a
    /// read-only file system would make it fail), so the callers' handling can be checked.
    var injectedWriteFailure: StoreError? {
        get { connection.withLock { failingWrites } }
        set { connection.withLock { failingWrites = newValue } }
    }

    /// The SQLite connection (replaced when a damaged file is salvaged while running).
    var writer: any DatabaseWriter { connection.withLock { currentWriter } }

    init(writer: any DatabaseWriter, path: String, requestLog: OutboxRequestLog?, openLock: OpenLock?) {
        currentWriter = writer
        self.path = path
        self.requestLog = requestLog
        self.openLock = openLock
    }

    /// What opening the store (or the last salvage while running) found and did: a damaged file salvaged,
    /// damaged write-ahead-log frames, logs put back from the request log. Nil when the store was sound.
    public var repair: StoreRepair? { connection.withLock { lastRepair } }

    func setRepair(_ repair: StoreRepair?) { connection.withLock { lastRepair = repair } }

    func replaceWriter(_ writer: any DatabaseWriter) { connection.withLock { currentWriter = writer } }

    // MARK: - Opening

    /// Opens (creating if needed) the store at `path`; `notice` is `repair?.sentence`, a plain-words
    /// account for the rep of anything opening had to repair (nil when the store was sound).
    ///
    /// - The parent directory is created (with intermediates) with mode 0700 when missing; the file is
    ///   created with mode 0600 (and tightened to 0600 if it was readable by others); SQLite creates its
    ///   `-wal`/`-shm` companions with the file's mode.
    /// - WAL journal mode, `synchronous = FULL`, busy timeout 5 s (another dispo on the same file waits).
    /// - The schema is migrated with GRDB's `DatabaseMigrator`.
    /// - When no other process has the file open: the write-ahead log's frames are checked before SQLite
    ///   reads them (`WALCheck`); committed frames SQLite would drop are reported and the log is kept
    ///   beside the store (`<name>-wal.damaged-<UTC time>`).
    /// - A damaged file (not a database, or failing `PRAGMA quick_check` of the outbox, drafts or journal)
    ///   is renamed to `<name>.corrupt-<UTC yyyyMMdd'T'HHmmss'Z'>` (its `-wal` alongside), and every row
    ///   that can still be read is copied into a fresh store (`Salvage`).
    /// - Every log the request log holds that the store lacks is put back (`pending`, uncertain).
    /// - After any repair, unfinished entries are marked uncertain (their state may be older than what
    ///   happened, so each is looked for on the server before a re-send).
    /// - Throws: `StoreError.cannotCreateDirectory`, `.notWritable` (read-only directory or file),
    ///   `.newerSchema`, `.corruptFileNotMovable`, `.damagedInUse` (damaged while another process has it
    ///   open), `.cannotOpen`.
    public static func open(path: String) throws -> (store: DispoStore, notice: String?) {
        let directory = (path as NSString).deletingLastPathComponent
        try StoreFiles.prepareDirectory(directory.isEmpty ? "." : directory)
        try StoreFiles.prepareFile(path)
        let openLock = try OpenLock(storePath: path)
        // Alone with the file: its log may be checked and a damaged file moved aside. Otherwise wait
        // while another process salvages it (it holds the exclusive lock), then share.
        var exclusive = openLock.tryExclusive()
        if !exclusive { openLock.shared() }
        defer { if exclusive { openLock.shared() } }
        let requestLog = OutboxRequestLog(storePath: path)
        var repair = StoreRepair()
        if exclusive, let wal = WALCheck.inspect(path: path + "-wal"), wal.losesCommits {
            repair.wal = wal
            repair.walKeptAt = try? StoreFiles.keepCopy(of: path + "-wal", suffix: "damaged")
        }
        let queue: DatabaseQueue
        do {
            queue = try StoreFiles.openFile(path)
        } catch let damage as StoreFiles.Damage {
            // A process being started elsewhere in this one holds a copy of every descriptor until it
            // runs its program, and with it the lock of a store just closed: only a lock held for a
            // while is another dispo's.
            if !exclusive { exclusive = openLock.tryExclusive(forUpTo: 0.5) }
            guard exclusive else { throw StoreError.damagedInUse(path: path, reason: damage.reason) }
            let (fresh, salvaged) = try StoreFiles.salvage(path, reason: damage.reason)
            queue = fresh
            repair.salvage = salvaged
        }
        let store = DispoStore(writer: queue, path: path, requestLog: requestLog, openLock: openLock)
        if exclusive { try store.replayRequestLog(&repair) }
        store.setRepair(repair.isEmpty ? nil : repair)
        if repair.salvage != nil || repair.wal != nil { _ = try? store.markUnfinishedUncertain() }
        if !repair.isEmpty { try? store.remember(repair) }
        return (store, repair.isEmpty ? nil : repair.sentence)
    }

    /// A store in memory only (tests, previews): same schema and behaviour, nothing on disk, no request
    /// log. - Throws: `StoreError.database` if SQLite fails (it should not).
    public static func inMemory() throws -> DispoStore {
        do {
            let queue = try DatabaseQueue(configuration: configuration())
            try makeMigrator().migrate(queue)
            return DispoStore(writer: queue, path: ":memory:", requestLog: nil, openLock: nil)
        } catch {
            throw mapError(error, path: ":memory:")
        }
    }

    /// The default store path: `$XDG_STATE_HOME/dispo/dispo.sqlite` when `XDG_STATE_HOME` is set to an
    /// absolute path (the XDG spec says to ignore relative ones), else
    /// `$HOME/.local/state/dispo/dispo.sqlite` (the home directory from the process when `HOME` is unset).
    public static func defaultPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return (state as NSString).appendingPathComponent("dispo/dispo.sqlite")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/state/dispo/dispo.sqlite")
    }

    /// The directory holding the store (where the sender lock lives); nil for a store in memory.
    public var directory: String? {
        path == ":memory:" ? nil : (path as NSString).deletingLastPathComponent
    }

    /// Closes the SQLite connection once the reads and writes already under way have ended; those that
    /// come later throw `StoreError.closed` without touching SQLite (a closed GRDB connection must not
    /// be used: SQLite would be handed a null connection). Optional: the connection is also closed when
    /// the store is deallocated. Throws `StoreError` when SQLite refuses to close.
    public func close() throws {
        operations.lock()
        closing = true
        while operationsUnderWay > 0 { operations.wait() }
        operations.unlock()
        do {
            if let queue = writer as? DatabaseQueue { try queue.close() }
        } catch {
            throw Self.mapError(error, path: path)
        }
    }

    /// Runs `body`, one read or write of the connection, unless `close` has begun: then throws
    /// `StoreError.closed`. `close` waits for the bodies it let in.
    private func admitted<T>(_ body: () throws -> T) throws -> T {
        operations.lock()
        guard !closing else {
            operations.unlock()
            throw StoreError.closed(path: path)
        }
        operationsUnderWay += 1
        operations.unlock()
        defer {
            operations.lock()
            operationsUnderWay -= 1
            if operationsUnderWay == 0 { operations.broadcast() }
            operations.unlock()
        }
        return try body()
    }

    // MARK: - Internals shared by the other files

    /// Runs `body` in one IMMEDIATE write transaction, mapping SQLite errors to `StoreError`.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        if let failure = injectedWriteFailure { throw failure }
        return try onConnection { try $0.write(body) }
    }

    /// Runs `body` as a read, mapping SQLite errors to `StoreError`.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try onConnection { try $0.read(body) }
    }

    /// Runs `body` outside a transaction (the caller begins and ends its own), mapping SQLite errors to
    /// `StoreError`.
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try onConnection { try $0.writeWithoutTransaction(body) }
    }

    /// Runs `access` on the connection unless the store is closing (`admitted`), mapping SQLite errors to
    /// `StoreError`.
    private func onConnection<T>(_ access: (any DatabaseWriter) throws -> T) throws -> T {
        try admitted {
            do {
                return try access(writer)
            } catch {
                throw Self.mapError(error, path: path)
            }
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
        case .SQLITE_IOERR: return .ioError(path: path, reason: message)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .ioError(path: path, reason: "the store is busy: \(message)")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .damaged(path: path, reason: message)
        default: return .database(message)
        }
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.label = "dispo.store"
        config.busyMode = .timeout(5)
        config.journalMode = .wal
        return config
    }
}

/// A thread-safe count.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
