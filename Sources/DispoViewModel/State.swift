import Foundation
import AmplemarketModels

/// The tabs of the main screen (design.md §2), in key order `1`–`3`.
public enum Tab: Int, Sendable, Hashable, CaseIterable {
    case tasks, calls, outbox
    public var title: String {
        switch self { case .tasks: "Tasks"; case .calls: "Calls"; case .outbox: "Outbox" }
    }
}

/// Cursor, scroll position and filter of one list. Row numbers count rows of the (possibly filtered) list.
public struct ListState: Sendable, Hashable {
    /// The selected row.
    public var cursor: Int = 0
    /// The first row drawn.
    public var top: Int = 0
    /// The `/` filter text (empty = no filter).
    public var filter = TextField()
    /// True while the rep types the filter.
    public var filterEditing = false
    /// Indices into the source list of the rows that match the filter; nil when there is no filter.
    public var matches: [Int]?

    public init() {}

    /// Rows shown for a source list of `total` items.
    public func count(total: Int) -> Int { matches?.count ?? total }
    /// The source index of row `row`, nil when out of range.
    public func sourceIndex(_ row: Int, total: Int) -> Int? {
        if let m = matches { return row >= 0 && row < m.count ? m[row] : nil }
        return row >= 0 && row < total ? row : nil
    }
}

/// A modal list (user picker, disposition picker): filter text and selected row of the filtered items.
public struct PickerState: Sendable, Hashable {
    public var filter: String = ""
    public var cursor: Int = 0
    public init() {}
}

/// A yes/no question the rep must answer before something irreversible or lossy.
public enum Confirmation: Sendable, Hashable {
    /// Send a log whose disposition completes the task and its sequence lead.
    case sendComplete
    /// Send a log whose disposition's action is unknown (`DispositionAction.unknown`): its effect on the
    /// task cannot be told in advance.
    case sendUnknownEffect
    /// Quit while a draft is unsent or logs are still queued in the outbox (pending or sending).
    case quit
    /// Open a new log form although another draft is unsent (the old one would be replaced).
    case replaceDraft(LogDraft)
    /// Discard an outbox entry that was not sent (it will never be sent).
    case discardOutbox(localID: String, summary: String)
}

/// What is drawn over the screen, taking all keys.
public enum Modal: Sendable, Hashable {
    /// Choose who the rep is (several users and none configured, or the configured one unknown).
    case userPicker(PickerState)
    /// Choose the log form's disposition.
    case dispositionPicker(PickerState)
    /// The `?` overlay.
    case help
    /// The call-list filter menu (`f` on the Calls tab).
    case filterMenu(FilterMenuState)
    case confirm(Confirmation)
}

/// A message on the status line. Errors stay until Esc; others fade after `AppState.statusLifetime`.
public struct StatusMessage: Sendable, Hashable {
    public var text: String
    public var isError: Bool
    /// When it was first shown, stamped by the first `.tick` after it was set (`environment.now` can be
    /// up to a minute old between ticks, which would expire a new message at once); nil until then.
    public var shownAt: Date?
}

/// What an error status message is about (see `AppState.statusTopic`).
enum StatusTopic: Sendable, Hashable {
    case form, calls, tasks, dispositions
}

/// The log form (design.md §2): typed text per field, focus, and per-field errors (own and server's).
public struct LogForm: Sendable, Hashable {
    /// Task, user, contact, toggles, disposition and the `localID`; text fields live in `fields`.
    public var base: LogDraft
    /// The text fields (`to`, `from`, `duration`, `notes`, `transcription`, `recordingURL`).
    public var fields: [FormField: TextField]
    public var focus: FormField
    /// Inline errors per field.
    public var errors: [FormField: String] = [:]
    /// Errors about the form as a whole (missing task or user, server errors on `task_id` / `user_id`).
    public var formError: String?
    /// What the form held when it opened (with numbers filled in as they became known); nil when the form
    /// holds a draft already (restored, kept, or given back after a failed send). Only a form whose fields
    /// differ from its pre-fill is a draft (saved, kept on Esc, asked about on quit).
    public var prefill: LogDraft?
    /// True when the form edits a needs-attention outbox entry: the entry is its durable record, so the
    /// form never saves or clears the rep's draft (`IOEffect.saveDraft` / `.clearDraft`).
    public var fromOutbox = false

    /// The fields that take text.
    public static let textFields: [FormField] = [.to, .from, .duration, .notes, .transcription, .recordingURL]

    /// A form showing `draft`. With `isDraft` false (a fresh form) `draft` is its pre-fill, and the form
    /// counts as a draft only once a field differs from it; with `isDraft` true it is a draft from the start.
    public init(draft: LogDraft, isDraft: Bool = false) {
        base = draft
        fields = [:]
        for f in Self.textFields { fields[f] = TextField(draft.text(of: f), allowsNewlines: f.usesEditor) }
        focus = .to
        focus = firstEmptyRequired ?? .to
        prefill = isDraft ? nil : self.draft
    }

    /// True when the form holds something the rep would lose by closing it: a field differs from the
    /// pre-fill (or it held a draft from the start).
    public var isChanged: Bool { prefill.map { $0 != draft } ?? true }

    /// The form as a draft, with the text typed so far.
    public var draft: LogDraft {
        var d = base
        d.to = fields[.to]?.text ?? ""; d.from = fields[.from]?.text ?? ""
        d.duration = fields[.duration]?.text ?? ""; d.notes = fields[.notes]?.text ?? ""
        d.transcription = fields[.transcription]?.text ?? ""; d.recordingURL = fields[.recordingURL]?.text ?? ""
        return d
    }

    /// The first required field (to, from, duration) that is still empty.
    public var firstEmptyRequired: FormField? {
        [FormField.to, .from, .duration].first { (fields[$0]?.text ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
    }
}

/// Everything the rep sees is a function of `AppState` and the terminal size (design.md §3). Change it only
/// through `reduce`.
public struct AppState: Sendable {
    /// Non-error status messages disappear after this many seconds (on the next `.tick`).
    public static let statusLifetime: TimeInterval = 5
    /// The smallest terminal the screens are drawn in (columns × rows); below it only a notice is shown.
    public static let minimumSize = Size(cols: 60, rows: 16)
    /// Page size asked of `GET /calls`.
    public static let callsPageSize = 50
    /// A next page is fetched when the cursor comes within this many rows of the loaded end.
    public static let prefetchDistance = 10

    public var environment: AppEnvironment
    /// The terminal size of the last `.resize`.
    public var size: Size
    /// True once the startup effects were emitted (see `start()`).
    public var started = false

    // Data from the API.
    public var account: AccountInfo?
    public var users: [User]?
    /// The rep, once known.
    public var user: User?
    public var dispositions: [Disposition] = []
    public var dispositionsByID: [String: Disposition] = [:]
    public var dispositionsLoaded = false
    public var calls: [Call] = []
    public var callsNext: String?
    public var callsLoading = false
    /// True once a first page of calls arrived.
    public var callsLoaded = false
    public var callsError: String?
    public var tasks: [TaskRecord] = []
    public var tasksNext: String?
    public var tasksLoading = false
    public var tasksLoaded = false
    public var tasksError: String?
    public var outbox: [OutboxEntry] = []
    public var connection: ConnectionState = .online
    /// When a first page last arrived.
    public var lastRefresh: Date?
    /// A failure that makes the whole pane useless (key rejected, server unreachable, not the API).
    public var paneError: String?
    /// True when `paneError` came from a failed load (server unreachable, key rejected…): the next load
    /// that succeeds clears it. False for facts a later load cannot change by itself (no users).
    var paneErrorFromFailure = false

    /// Last number called per contact id (newest call first), from loaded calls and `.contactCallsLoaded`.
    public var lastNumberByContact: [String: String] = [:]
    /// The rep's most recent `from` among loaded calls.
    public var lastFrom: String?
    /// Contacts whose earlier calls were asked for (so it is asked once).
    public var contactCallsRequested: Set<String> = []
    /// Notes kept only in the local journal (the server did not store them), by call id
    /// (`Msg.journalNotes`).
    public var journalNotes: [String: String] = [:]

    // Screen.
    public var tab: Tab = .tasks
    public var taskList = ListState()
    public var callList = ListState()
    public var outboxList = ListState()
    /// Filters of the Calls tab beyond the `/` text (answered, human/voicemail, disposition, date).
    public var callFilter = CallFilter()
    /// The earliest start date the date filter lets through, fixed when the filter was last applied
    /// (so pages appended later are filtered alike); nil without a date filter.
    public var callFilterSince: Date?
    /// What `callList.matches` was last computed with (lower-cased text, filter, number of calls), so
    /// typing more of the same text narrows the matches instead of scanning every call again.
    var filteredWith: (needle: String, filter: CallFilter, count: Int) = ("", CallFilter(), 0)
    /// Per call id, the text the `/` filter searches (contact name and e-mail, numbers, notes, disposition
    /// name), folded by `foldForSearch` once when the call arrives, as UTF-8 bytes.
    var callSearchText: [String: [UInt8]] = [:]
    /// Per task id, the folded text the `/` filter searches (contact, sequence, notes).
    var taskSearchText: [String: [UInt8]] = [:]
    /// Narrow terminals: the call detail is open over the list.
    public var detailOpen = false
    /// The first line of the call detail drawn (scrolled with j/k/PgDn/PgUp/Space when the detail is
    /// open over the list, J/K beside it); back to 0 when another call is selected.
    public var detailScroll = 0
    public var form: LogForm?
    /// A draft closed with Esc (kept, and in the store); reopened when the rep logs the same task again.
    public var keptDraft: LogDraft?
    /// Logs handed to the outbox, by local id, as typed (to reopen the form on field errors).
    public var submitted: [String: LogDraft] = [:]
    public var modal: Modal?
    public var status: StatusMessage?
    /// What an error `status` complains about, when it goes by itself once that succeeds: the log form's
    /// fields ("Fix the marked fields…": valid, sent or closed), or a load (calls, tasks, dispositions).
    var statusTopic: StatusTopic?
    /// The log form's call timer, when one runs (it keeps running if the form is closed with Esc).
    public var callTimer: CallTimer?
    /// Counter for local ids of new logs (with the clock, makes them unique).
    public var nextLocalNumber = 1

    public init(environment: AppEnvironment) {
        self.environment = environment
        self.size = Size(cols: 80, rows: 24)
    }

    /// The effects to emit once at startup: account, users and dispositions. `reduce` calls it on the first
    /// `.resize`; a front end that never sends `.resize` first may call it itself. Idempotent.
    public mutating func start() -> [Effect] {
        if started { return [] }
        started = true
        return [.io(.load(.account)), .io(.load(.users)), .io(.load(.dispositions))]
    }

    /// Number of log entries still to reach the server.
    public var queuedCount: Int { outbox.reduce(0) { $0 + ($1.isQueued ? 1 : 0) } }
    /// Outbox entries waiting to be sent or being sent (pending or sending): kept and sent next time.
    public var unsentCount: Int {
        outbox.reduce(0) { n, e in
            switch e.state { case .pending, .sending: n + 1; default: n }
        }
    }
    /// Outbox entries the rep must look at (refused or uncertain).
    public var needsAttentionCount: Int {
        outbox.reduce(0) { n, e in if case .needsAttention = e.state { n + 1 } else { n } }
    }

    /// The call under the cursor of the Calls tab.
    public var selectedCall: Call? {
        callList.sourceIndex(callList.cursor, total: calls.count).map { calls[$0] }
    }
    /// The task under the cursor of the Tasks tab.
    public var selectedTask: TaskRecord? {
        taskList.sourceIndex(taskList.cursor, total: tasks.count).map { tasks[$0] }
    }
    /// The outbox entry under the cursor.
    public var selectedOutboxEntry: OutboxEntry? {
        outboxList.cursor >= 0 && outboxList.cursor < outbox.count ? outbox[outboxList.cursor] : nil
    }

    /// The display name of a disposition id: the loaded disposition's name, else `fallback`.
    public func dispositionName(id: String?, fallback: String? = nil) -> String? {
        if let id, let d = dispositionsByID[id], let n = d.name, !n.isEmpty { return n }
        return fallback
    }
}
