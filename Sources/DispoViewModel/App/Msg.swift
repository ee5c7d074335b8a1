import Foundation
import AmplemarketModels

/// Something that happened: a key, a resize, the clock, or the result of an `Effect`. The only input of
/// `reduce`.
public enum Msg: Sendable {
    case key(Key)
    case resize(Size)
    case tick(Date)
    case accountLoaded(AccountInfo)
    case accountFailed(APIFailure)
    case usersLoaded([User])
    case usersFailed(APIFailure)
    case dispositionsLoaded([Disposition])
    case dispositionsFailed(APIFailure)
    /// A page of `GET /calls`; `replacing` true for a first page (refresh), false for a next page (append).
    case callsPageLoaded(Page<Call>, replacing: Bool)
    case callsFailed(APIFailure)
    /// A page of `GET /tasks`; `replacing` as for calls.
    case tasksPageLoaded(Page<TaskRecord>, replacing: Bool)
    case tasksFailed(APIFailure)
    /// The contacts' local hours the server's task filters gave at `checkedAt` (contact id → hour 0–23;
    /// empty when the server gave none).
    case contactHoursLoaded([String: Int], checkedAt: Date)
    /// Earlier calls to a task's contact (for the last number used).
    case contactCallsLoaded(contactID: String, calls: [Call])
    /// The outbox sent a log; `notesStored` false when the server echoed no notes.
    case logSent(localID: String, call: Call, notesStored: Bool)
    case logFailed(localID: String, failure: APIFailure)
    case outboxChanged([OutboxEntry])
    /// A recording was written to `path` (`bytes` long).
    case recordingSaved(callID: String, path: String, bytes: Int)
    case recordingFailed(callID: String, failure: APIFailure)
    /// A draft left over from an earlier run (offered back on start).
    case draftRestored(LogDraft)
    /// `$EDITOR` finished; nil text = editor failed or was cancelled.
    case editorFinished(field: FormField, text: String?)
    /// The front end copied something through OSC 52.
    case clipboardSent(description: String)
    case connectionChanged(ConnectionState)
    case statusMessage(String, isError: Bool)
    /// Notes the rep typed that the server did not store (kept in the local call journal), keyed by
    /// call id. Posted by the runtime at startup and after each send. Merged into what is known: a call id
    /// with an empty string forgets that call's local notes. The call detail shows them under Notes,
    /// labelled as kept locally.
    case journalNotes([String: String])
    /// Whether the local store takes writes (the header and the Outbox tab say "cannot save: …" until a
    /// write succeeds).
    case storeHealth(StoreHealth)
    /// Which process sends the outbox of this state directory.
    case outboxSender(OutboxSenderRole)
    /// A damaged store file kept aside that may still hold rows dispo could not read (nil: none).
    case damagedStoreKept(DamagedStoreNote?)
    /// The pending call backs of this workspace, as the store holds them (at start and after each change).
    case callBacksLoaded([CallBack])
    /// The server completed or skipped a task.
    case taskChanged(taskID: String, change: TaskChange)
    /// The server did not complete or skip a task.
    case taskChangeFailed(taskID: String, change: TaskChange, failure: APIFailure)
    /// Opening the store had to repair it (a few words; the full account comes as a status message).
    case storeRepaired(String)
    /// A window of the local mirror's answer to a query (see `Load.historyWindow`).
    case historyWindowLoaded(HistoryWindow)
    /// The local mirror's answer to a query was counted (after its window, which came uncounted).
    case historyCounted(CallHistoryQuery, total: Int)
    /// The filter menu's counts over the whole mirror, for `query`.
    case historyFacetsLoaded(CallHistoryQuery, HistoryFacets)
    /// The tallies of the mirrored calls since `since`, and how complete the mirror is.
    case statsLoaded(tallies: [CallTally], since: Date, progress: HistoryProgress)
    /// How much of the rep's history the mirror holds; sent as a sync goes and when it ends. With
    /// `changed`, calls were added or updated since the last report (windows and stats are read again).
    case historyProgress(HistoryProgress, changed: Bool)
}

/// Rows of the local mirror's answer to a query: `calls` are rows `offset ..< offset + calls.count` of
/// `total` (newest first; nil: not counted yet, `.historyCounted` follows).
public struct HistoryWindow: Sendable, Equatable {
    public var query: CallHistoryQuery
    public var offset: Int
    public var calls: [Call]
    public var total: Int?
    /// The row of the anchor call asked for, when it was found.
    public var anchorRow: Int?

    public init(query: CallHistoryQuery, offset: Int, calls: [Call], total: Int?, anchorRow: Int? = nil) {
        self.query = query; self.offset = offset; self.calls = calls; self.total = total; self.anchorRow = anchorRow
    }
}
