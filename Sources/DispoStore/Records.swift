import Foundation

/// The state of one outbox entry: a logged call from the moment it is saved until the server has it
/// (or the rep gives it up).
///
/// Allowed transitions (anything else throws `StoreError.invalidTransition`):
/// - `pending → sending` (`markSending`), `sending → pending` (`markRetry`, `recoverInterrupted`)
/// - `sending | pending → sent` (`markSent`; from `pending` when a look-up found the call)
/// - `sending | pending → needsAttention` (`markNeedsAttention`, a 4xx with field errors)
/// - `needsAttention → pending` (`updateRequest`, the rep edited the refused log)
/// - `pending | needsAttention → discarded` (`discard`, after the rep confirmed)
/// `sent` and `discarded` are final.
public enum OutboxState: String, Sendable, Hashable, CaseIterable {
    /// Waiting to be sent (possibly after `nextAttemptAt`).
    case pending
    /// A send is in flight (a `POST /calls`, or the look-up that precedes it).
    case sending
    /// The server has the call; `callID` holds its id.
    case sent
    /// The server refused the log (4xx): the rep must edit or discard it.
    case needsAttention = "needs_attention"
    /// The rep discarded the log (with confirmation). Kept for the record, never sent.
    case discarded

    /// `sent` and `discarded`: nothing more will happen to the entry.
    public var isFinished: Bool { self == .sent || self == .discarded }
}

/// A log to put in the outbox: written durably before any network I/O.
public struct NewOutboxEntry: Sendable, Hashable {
    /// A UUID string chosen by the app; identifies the entry from now on.
    public var localID: String
    /// The workspace the log belongs to (e.g. base URL + user id).
    public var workspaceKey: String
    /// The `POST /calls` body (a JSON-encoded `LogCallRequest`), stored as given.
    public var requestJSON: Data
    /// One line for the Outbox tab (e.g. "+351 912 345 678 · 2:13 · Interested").
    public var summary: String
    /// When the rep submitted the log.
    public var createdAt: Date
    /// If set, the draft under this key is cleared in the same transaction as the enqueue, so that a
    /// crash can never leave both a queued log and its draft (which the rep could submit twice).
    public var clearsDraftKey: String?

    /// Creates an entry; `localID` defaults to a fresh UUID string.
    public init(localID: String = UUID().uuidString, workspaceKey: String, requestJSON: Data, summary: String,
                createdAt: Date, clearsDraftKey: String? = nil) {
        self.localID = localID; self.workspaceKey = workspaceKey; self.requestJSON = requestJSON
        self.summary = summary; self.createdAt = createdAt; self.clearsDraftKey = clearsDraftKey
    }
}

/// One outbox entry as stored.
public struct OutboxRecord: Sendable, Hashable {
    /// The app-chosen UUID string.
    public var localID: String
    /// The workspace the log belongs to.
    public var workspaceKey: String
    /// The current `POST /calls` body (JSON `LogCallRequest`); replaced by `updateRequest`.
    public var requestJSON: Data
    /// One line for the Outbox tab.
    public var summary: String
    /// Where the entry is in its life (see `OutboxState` for transitions).
    public var state: OutboxState
    /// How many sends were started (`markSending` calls).
    public var attempts: Int
    /// The last failure, in plain words, if any.
    public var lastError: String?
    /// Field errors of the last 4xx: JSON pointer or field name → message. Empty when none.
    public var fieldErrors: [String: String]
    /// True when an earlier `POST /calls` may have reached the server: the next attempt must look for
    /// the call (`GET /calls`) before posting again. Sticky until the entry is sent.
    public var uncertain: Bool
    /// The server's call id, once `sent`.
    public var callID: String?
    /// When the rep submitted the log.
    public var createdAt: Date
    /// When the entry last changed.
    public var updatedAt: Date
    /// Earliest time of the next attempt (backoff); nil = as soon as possible.
    public var nextAttemptAt: Date?
    /// When the last attempt's `POST /calls` started (or, before its POST, the attempt itself); nil
    /// before the first attempt. A POST that may have reached the server is uncertain from this time.
    public var lastAttemptAt: Date?

    /// Memberwise initializer (the store builds these; public for tests and previews).
    public init(localID: String, workspaceKey: String, requestJSON: Data, summary: String, state: OutboxState,
                attempts: Int, lastError: String?, fieldErrors: [String: String], uncertain: Bool,
                callID: String?, createdAt: Date, updatedAt: Date, nextAttemptAt: Date?, lastAttemptAt: Date? = nil) {
        self.localID = localID; self.workspaceKey = workspaceKey; self.requestJSON = requestJSON
        self.summary = summary; self.state = state; self.attempts = attempts; self.lastError = lastError
        self.fieldErrors = fieldErrors; self.uncertain = uncertain; self.callID = callID
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
    }
}

/// One logged call in the local journal: what the rep typed, kept even where the server dropped it
/// (notes, per amplemarket-api.md §3).
public struct JournalEntry: Sendable, Hashable {
    /// The server's call id.
    public var callID: String
    /// The outbox entry that produced it.
    public var localID: String
    /// The workspace.
    public var workspaceKey: String
    /// The `POST /calls` body as it was when the call was marked sent.
    public var requestJSON: Data
    /// The call as the server echoed it (or as the look-up found it), JSON.
    public var callJSON: Data
    /// The notes the rep typed (the `notes` field of `requestJSON`), nil when none.
    public var notes: String?
    /// False when the server did not keep the notes (echo came back without them, or the field was
    /// rejected): the journal is then the only place they live.
    public var notesStoredByServer: Bool
    /// When the rep submitted the log (the outbox entry's `createdAt`).
    public var submittedAt: Date
    /// When the store learned the server has the call (`markSent`'s `at`).
    public var loggedAt: Date

    /// Memberwise initializer.
    public init(callID: String, localID: String, workspaceKey: String, requestJSON: Data, callJSON: Data,
                notes: String?, notesStoredByServer: Bool, submittedAt: Date, loggedAt: Date) {
        self.callID = callID; self.localID = localID; self.workspaceKey = workspaceKey
        self.requestJSON = requestJSON; self.callJSON = callJSON; self.notes = notes
        self.notesStoredByServer = notesStoredByServer; self.submittedAt = submittedAt; self.loggedAt = loggedAt
    }
}
