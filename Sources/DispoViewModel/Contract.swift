import Foundation
import AmplemarketModels

/// Facts fixed at startup (plus the clock, which `.tick` advances). Set by the app's runtime.
public struct AppEnvironment: Sendable, Hashable {
    /// True when talking to the built-in sandbox (or any non-Amplemarket server): the header says `SANDBOX`.
    public var isSandbox: Bool
    /// The base URL as shown to the rep (`https://api.amplemarket.com`), used in "cannot reach" messages.
    public var baseURLDisplay: String
    /// The rep's time zone: dates in lists and details are shown in it.
    public var timeZone: TimeZone
    /// The current time; updated by `Msg.tick`.
    public var now: Date
    /// The user e-mail configured by `--user` / `AMPLEMARKET_USER` / config, if any.
    public var configuredUserEmail: String?
    /// Where recordings are downloaded (a directory path).
    public var downloadDirectory: String
    /// False when the terminal is not UTF-8: ASCII glyphs and borders are used.
    public var unicode: Bool
    /// How dates are written in lists and the call detail (config `date_format`).
    public var dateStyle: DateStyle
    /// Which key does what (defaults, or config `[keys]`); the help overlay shows it.
    public var keymap: Keymap

    public init(isSandbox: Bool = false, baseURLDisplay: String = "https://api.amplemarket.com",
                timeZone: TimeZone = .current, now: Date = Date(), configuredUserEmail: String? = nil,
                downloadDirectory: String = ".", unicode: Bool = true, dateStyle: DateStyle = .monthDay,
                keymap: Keymap = .default) {
        self.isSandbox = isSandbox; self.baseURLDisplay = baseURLDisplay; self.timeZone = timeZone; self.now = now
        self.configuredUserEmail = configuredUserEmail; self.downloadDirectory = downloadDirectory
        self.unicode = unicode; self.dateStyle = dateStyle; self.keymap = keymap
    }
}

/// The state of the connection to the API, as the app's runtime sees it.
public enum ConnectionState: Sendable, Hashable {
    /// The last request reached the server.
    case online
    /// A request failed and is being retried; `attempt` counts from 1.
    case retrying(attempt: Int)
    /// The server cannot be reached; the string says why (already human).
    case offline(String)
}

/// A field of the log form, in form order (which is also Tab order).
public enum FormField: String, Sendable, Hashable, Codable, CaseIterable {
    case to, from, duration, disposition, answered, human, notes, transcription, recordingURL

    /// The form field a server error's field names (per Amplemarket API: POST /calls body names, as
    /// `APIFailure.fieldErrors` keys them: `to`, `disposition_id`, `recording_url`…); nil for fields the
    /// form does not show (`task_id`, `user_id`).
    public init?(apiField: String) {
        switch apiField {
        case "to": self = .to; case "from": self = .from; case "duration": self = .duration
        case "disposition_id", "disposition": self = .disposition
        case "answered": self = .answered; case "human": self = .human; case "notes": self = .notes
        case "transcription": self = .transcription; case "recording_url": self = .recordingURL
        default: return nil
        }
    }

    /// The label shown in the form.
    public var label: String {
        switch self {
        case .to: "To"; case .from: "From"; case .duration: "Duration"; case .disposition: "Disposition"
        case .answered: "Answered"; case .human: "Human"; case .notes: "Notes"
        case .transcription: "Transcription"; case .recordingURL: "Recording URL"
        }
    }

    /// True for the boolean fields, which Space toggles.
    public var isToggle: Bool { self == .answered || self == .human }
    /// True for the free-text fields that Ctrl-E hands to `$EDITOR`.
    public var usesEditor: Bool { self == .notes || self == .transcription }
}

/// A log form as the rep typed it: what the local store keeps as a draft (design.md §4) so an SSH drop or
/// a crash loses nothing. All text fields are kept exactly as typed (not yet validated).
public struct LogDraft: Sendable, Hashable, Codable {
    /// Identifies the log from the moment the form opens; becomes the outbox entry's `localID`.
    public var localID: String
    /// The task the call belongs to (per Amplemarket API, every call needs a `task_id`).
    public var taskID: String?
    /// The rep's user id (`user_id`).
    public var userID: String?
    public var contactID: String?
    public var contactName: String?
    public var contactEmail: String?
    public var sequenceName: String?
    /// Number that was called, as typed.
    public var to: String
    /// Number that placed the call, as typed.
    public var from: String
    /// Duration as typed (`95`, `1:35`, `1m35s`).
    public var duration: String
    public var dispositionID: String?
    public var answered: Bool
    public var human: Bool
    public var notes: String
    public var transcription: String
    public var recordingURL: String
    /// When the form was opened.
    public var createdAt: Date

    public init(localID: String, taskID: String? = nil, userID: String? = nil, contactID: String? = nil,
                contactName: String? = nil, contactEmail: String? = nil, sequenceName: String? = nil,
                to: String = "", from: String = "", duration: String = "", dispositionID: String? = nil,
                answered: Bool = true, human: Bool = true, notes: String = "", transcription: String = "",
                recordingURL: String = "", createdAt: Date = Date(timeIntervalSince1970: 0)) {
        self.localID = localID; self.taskID = taskID; self.userID = userID; self.contactID = contactID
        self.contactName = contactName; self.contactEmail = contactEmail; self.sequenceName = sequenceName
        self.to = to; self.from = from; self.duration = duration; self.dispositionID = dispositionID
        self.answered = answered; self.human = human; self.notes = notes; self.transcription = transcription
        self.recordingURL = recordingURL; self.createdAt = createdAt
    }

    /// The typed text of a field (`"true"`/`"false"` for the toggles, the id for the disposition).
    public func text(of field: FormField) -> String {
        switch field {
        case .to: to; case .from: from; case .duration: duration; case .disposition: dispositionID ?? ""
        case .answered: answered ? "true" : "false"; case .human: human ? "true" : "false"
        case .notes: notes; case .transcription: transcription; case .recordingURL: recordingURL
        }
    }
}

/// A call log waiting in (or gone through) the outbox (design.md §4). Owned by the store; the view models
/// only show it (`Msg.outboxChanged`).
public struct OutboxEntry: Sendable, Hashable {
    /// Where an entry is in its life.
    public enum State: Sendable, Hashable {
        /// Written durably, not yet sent.
        case pending
        /// A POST is in flight.
        case sending
        /// The server created the call with this id.
        case sent(callID: String)
        /// Refused or uncertain: the rep must look (edit and re-send, or discard).
        case needsAttention
        /// The rep discarded it.
        case discarded
    }
    public var localID: String
    public var request: LogCallRequest
    /// One line for lists: contact · disposition.
    public var summary: String
    public var state: State
    /// POST attempts so far.
    public var attempts: Int
    /// The last error, human, if any.
    public var lastError: String?
    public var createdAt: Date

    public init(localID: String, request: LogCallRequest, summary: String, state: State = .pending,
                attempts: Int = 0, lastError: String? = nil, createdAt: Date) {
        self.localID = localID; self.request = request; self.summary = summary; self.state = state
        self.attempts = attempts; self.lastError = lastError; self.createdAt = createdAt
    }

    /// True while the entry still has to reach the server (pending, sending or needing attention).
    public var isQueued: Bool {
        switch state { case .pending, .sending, .needsAttention: true; case .sent, .discarded: false }
    }
}

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
    /// Notes the rep typed that the server did not store (design.md §4: the local call journal), keyed by
    /// call id. Posted by the runtime at startup and after each send. Merged into what is known: a call id
    /// with an empty string forgets that call's local notes. The call detail shows them under Notes,
    /// labelled as kept locally.
    case journalNotes([String: String])
}

/// Work the reducer asks for, in order: I/O for the app's runtime, or terminal work for the front end.
/// Each performer switches over its own half exhaustively.
public enum Effect: Sendable, Equatable {
    /// HTTP or SQLite, performed by the app's runtime; results come back as `Msg`s.
    case io(IOEffect)
    /// Performed by the terminal front end on its UI thread.
    case terminal(TerminalEffect)
}

/// I/O the app's runtime performs (HTTP through the API client, SQLite through the store).
public enum IOEffect: Sendable, Equatable {
    /// A read from the API (saved for an offline start where it is a first load); see `Load`.
    case load(Load)
    /// Write to the outbox and send (`POST /calls`) → `.logSent` / `.logFailed` (and `.outboxChanged`).
    case submitLog(localID: String, request: LogCallRequest, summary: String)
    /// `GET /calls/{id}/recording` into `path` (created 0600) → `.recordingSaved` / `.recordingFailed`.
    case downloadRecording(callID: String, path: String)
    /// Keep the log form's draft in the store (latest wins), so an SSH drop or a crash loses nothing.
    case saveDraft(LogDraft)
    case clearDraft
    /// Mark an outbox entry discarded (the reducer has already asked the rep to confirm).
    case discardOutboxEntry(localID: String)
    /// Remember the chosen user for the next start.
    case rememberUser(email: String)
}

/// A read from the API and the `Msg` that answers it.
public enum Load: Sendable, Hashable {
    /// `GET /account-info` → `.accountLoaded` / `.accountFailed`.
    case account
    /// `GET /users` (all pages) → `.usersLoaded` / `.usersFailed`.
    case users
    /// `GET /calls/dispositions` (all pages) → `.dispositionsLoaded` / `.dispositionsFailed`.
    case dispositions
    /// First page of `GET /calls` → `.callsPageLoaded(replacing: true)` / `.callsFailed`.
    case calls(CallListQuery)
    /// A next page by its `_links.next.href` → `.callsPageLoaded(replacing: false)` / `.callsFailed`.
    case callsPage(href: String)
    /// First page of `GET /tasks` → `.tasksPageLoaded(replacing: true)` / `.tasksFailed`.
    case tasks(TaskListQuery)
    /// A next page of tasks → `.tasksPageLoaded(replacing: false)` / `.tasksFailed`.
    case tasksPage(href: String)
    /// `GET /calls?user_id=…` scanned for a contact's calls (the API has no contact filter) →
    /// `.contactCallsLoaded`.
    case contactCalls(contactID: String, userID: String)
}

/// Work only the terminal front end can do.
public enum TerminalEffect: Sendable, Equatable {
    /// Copy through OSC 52 → `.clipboardSent`.
    case copyToClipboard(String)
    /// Hand `text` to `$EDITOR` → `.editorFinished`.
    case openEditor(field: FormField, text: String)
    /// Clear and redraw the whole screen (Ctrl-L).
    case repaint
    case quit
}

/// How to render: glyph set and whether colour roles are used.
public struct RenderOptions: Sendable, Hashable {
    /// False → ASCII borders and glyphs, non-ASCII text shown as `?` per column.
    public var unicode: Bool
    /// False → every cell's role is `.normal`; meaning is carried by attributes and glyphs only (NO_COLOR).
    public var colors: Bool
    public init(unicode: Bool = true, colors: Bool = true) { self.unicode = unicode; self.colors = colors }
}
