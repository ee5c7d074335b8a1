import Foundation

/// Every error the local store throws. GRDB/SQLite errors never escape raw: they are mapped to one of
/// these cases so that the app can show the rep a plain sentence (`description`) without importing GRDB.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The store's directory (`path`) could not be created; `reason` is the system's explanation.
    case cannotCreateDirectory(path: String, reason: String)
    /// The store's directory or file (`path`) is not writable (read-only directory or file system,
    /// permissions); `reason` is the system's explanation.
    case notWritable(path: String, reason: String)
    /// SQLite could not open the store file at `path` for a reason other than corruption.
    case cannotOpen(path: String, reason: String)
    /// The file at `path` is corrupt and could not even be moved aside (so no fresh store was created).
    case corruptFileNotMovable(path: String, reason: String)
    /// The file at `path` was written by a newer dispo (it has schema migrations this build does not know);
    /// it is left untouched.
    case newerSchema(path: String)
    /// The disk holding the store (`path`) is full: the write was rolled back and nothing was changed.
    case diskFull(path: String)
    /// The store (`path`) became read-only while running (e.g. the file system was remounted read-only):
    /// the write was rolled back and nothing was changed.
    case readOnly(path: String)
    /// The system failed to read or write the store's files (`path`); `reason` is SQLite's or the
    /// system's words. The write was rolled back.
    case ioError(path: String, reason: String)
    /// SQLite reports the store file (`path`) damaged (`SQLITE_CORRUPT`, `SQLITE_NOTADB`); `reason` is
    /// its message. Opening the store salvages such a file (see `DispoStore.open`).
    case damaged(path: String, reason: String)
    /// The store file (`path`) is damaged and another process has it open, so it cannot be salvaged
    /// now (moving it aside would pull it from under that process).
    case damagedInUse(path: String, reason: String)
    /// An outbox entry in state `from` cannot move to state `to` (e.g. discarding a `sent` entry).
    case invalidTransition(localID: String, from: OutboxState, to: OutboxState)
    /// No outbox entry has this local id.
    case outboxEntryNotFound(localID: String)
    /// An outbox entry with this local id already exists (enqueue is not silently repeated).
    case duplicateLocalID(String)
    /// The server's call `callID` is already recorded in the journal for another outbox entry
    /// (`otherLocalID`): marking a second entry sent with the same call would hide a lost log.
    case callAlreadyJournaled(callID: String, otherLocalID: String)
    /// The store (`path`) was closed (`DispoStore.close`): nothing was read or written.
    case closed(path: String)
    /// Any other SQLite failure, with SQLite's message.
    case database(String)

    /// A plain-words sentence for the rep or the log file.
    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            return "Cannot create the directory for dispo's local store at \(path): \(reason)."
        case .notWritable(let path, let reason):
            return "dispo's local store at \(path) is not writable (\(reason)). Drafts and unsent call logs "
                + "are kept there: make the directory writable or point XDG_STATE_HOME elsewhere."
        case .cannotOpen(let path, let reason):
            return "Cannot open dispo's local store at \(path): \(reason)."
        case .corruptFileNotMovable(let path, let reason):
            return "dispo's local store at \(path) is corrupt and could not be moved aside: \(reason)."
        case .newerSchema(let path):
            return "dispo's local store at \(path) was written by a newer version of dispo; "
                + "update dispo or use another XDG_STATE_HOME. The file was left untouched."
        case .diskFull(let path):
            return "The disk holding dispo's local store (\(path)) is full; nothing was saved. "
                + "Free some space and try again."
        case .readOnly(let path):
            return "dispo's local store (\(path)) has become read-only; nothing was saved."
        case .ioError(let path, let reason):
            return "dispo's local store (\(path)) could not be written (\(reason)); nothing was saved."
        case .damaged(let path, let reason):
            return "dispo's local store (\(path)) is damaged (\(reason))."
        case .damagedInUse(let path, let reason):
            return "dispo's local store (\(path)) is damaged (\(reason)) and another dispo has it open: "
                + "quit every dispo, then start dispo again to salvage it."
        case .invalidTransition(let localID, let from, let to):
            return "Outbox entry \(localID) is \(from.rawValue) and cannot become \(to.rawValue)."
        case .outboxEntryNotFound(let localID):
            return "No outbox entry \(localID)."
        case .duplicateLocalID(let localID):
            return "Outbox entry \(localID) already exists."
        case .callAlreadyJournaled(let callID, let other):
            return "Call \(callID) is already recorded as the result of outbox entry \(other)."
        case .closed(let path):
            return "dispo's local store (\(path)) was already closed; nothing was read or written."
        case .database(let message):
            return "dispo's local store failed: \(message)."
        }
    }
}

extension StoreError {
    /// For a failure to save (disk full, read-only, not writable, an I/O error, a damaged file): a few
    /// words for the header ("disk full"), shown as "cannot save: disk full". Nil for other errors
    /// (a refused transition, a missing entry), which retrying would not cure.
    public var cannotSaveReason: String? {
        switch self {
        case .diskFull: return "disk full"
        case .readOnly: return "the store is read-only"
        case .notWritable(_, let reason): return "not writable (\(reason))"
        case .ioError(_, let reason): return "I/O error (\(reason))"
        case .damaged, .damagedInUse: return "the store is damaged"
        default: return nil
        }
    }

    /// True for `damaged` and `damagedInUse`.
    public var isDamage: Bool {
        switch self { case .damaged, .damagedInUse: true; default: false }
    }
}

extension StoreError: LocalizedError {
    /// Same as `description`, so `localizedDescription` reads well.
    public var errorDescription: String? { description }
}
