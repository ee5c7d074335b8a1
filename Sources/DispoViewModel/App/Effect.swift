import Foundation
import AmplemarketModels

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
    /// Remember the country the rep's national numbers are in (asked once).
    case rememberRegion(String)
    /// Per Amplemarket API: `POST /tasks/{id}/complete` or `/skip` (the rep has confirmed) →
    /// `.taskChanged` / `.taskChangeFailed`.
    case changeTask(taskID: String, change: TaskChange)
    /// Keep a call back in the local store (never sent) → `.callBacksLoaded`.
    case saveCallBack(CallBack)
    /// Forget a call back → `.callBacksLoaded`.
    case removeCallBack(id: String)
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
    /// The contact's local hour of each of the rep's open phone tasks, from `GET /tasks` with
    /// `contact_local_time_from` = `_to` = each hour 0–23 → `.contactHoursLoaded`.
    case contactHours(userID: String)
    /// Rows `offset ..< offset + limit` of the local mirror's answer to `query` (with `anchorID`: the
    /// window around that call instead, wherever it now lies) → `.historyWindowLoaded`. Read from the
    /// store only, never the server.
    case historyWindow(CallHistoryQuery, offset: Int, limit: Int, anchorID: String?)
    /// The tallies of the rep's mirrored calls that started at or after `since` → `.statsLoaded`.
    /// Read from the store only.
    case stats(userID: String, since: Date)
    /// For the filter menu: how many calls of the mirror each filter value would show, the other filters
    /// as in `query` (`dateStarts`: today, 7 days, 30 days) → `.historyFacetsLoaded`. Store only.
    case historyFacets(CallHistoryQuery, dateStarts: [Date])
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
