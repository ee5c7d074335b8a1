import Foundation
import AmplemarketModels

/// What a feature hands back after a key or a `Msg`: effects for the performers, and requests for its
/// parent — things outside the feature's own state, which the root owns (the status line, a modal, the
/// log form, the current tab, quitting).
struct Reply {
    var effects: [Effect] = []
    var requests: [Request] = []

    static let none = Reply()
    static func effects(_ effects: [Effect]) -> Reply { Reply(effects: effects) }
    static func request(_ request: Request) -> Reply { Reply(requests: [request]) }
    /// A message for the status line (errors stay until dismissed; others fade).
    static func status(_ text: String, isError: Bool = false) -> Reply { .request(.status(text, isError: isError)) }

    static func + (a: Reply, b: Reply) -> Reply { Reply(effects: a.effects + b.effects, requests: a.requests + b.requests) }
    static func += (a: inout Reply, b: Reply) { a = a + b }
}

/// A feature's request to the root reducer.
enum Request {
    /// Show a message on the status line.
    case status(String, isError: Bool)
    /// Show an error about a load or the log form's fields that goes by itself once that succeeds.
    case topicError(String, StatusTopic)
    /// Clear the status line (an error too).
    case clearStatus
    /// Clear a message on the status line that is not an error.
    case clearNotice
    /// Draw `modal` over the screen; it takes every key until closed.
    case present(Modal)
    /// Quit, asking first when something would be left unsent.
    case quit
    /// Show another tab.
    case switchTab(Tab)
    /// Open the log form for a call to this task.
    case logTask(TaskRecord)
    /// Open the log form for a call back's task (the call back is done once the log is queued).
    case logCallBack(CallBack)
    /// Open the log form for the row's task, filled with `QuickOutcome`.
    case logQuick(TaskRow, QuickOutcome)
    /// Open the log form for another call to this call's task.
    case logAgain(Call)
    /// Reopen an outbox entry that needs attention in the log form.
    case editOutboxEntry(OutboxEntry)
    /// Copy `text` to the rep's clipboard (cleaned first; nothing printable → said so).
    case copy(String)
}
