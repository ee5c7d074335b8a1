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
    /// Open the log form for another call to this call's task.
    case logAgain(Call)
    /// Reopen an outbox entry that needs attention in the log form.
    case editOutboxEntry(OutboxEntry)
    /// Copy `text` to the rep's clipboard (cleaned first; nothing printable → said so).
    case copy(String)
}

/// What a feature may read, but not change, outside its own state while it handles a key or is drawn.
struct FeatureContext {
    /// Facts fixed at start (and the clock).
    let environment: AppEnvironment
    /// The account, users, dispositions, connection, status line and the numbers known per contact.
    let session: SessionState
    /// Where everything is drawn at the current size.
    let frame: Frame
    /// True when Unicode glyphs are drawn (else keys such as arrows are written in words).
    var unicode: Bool

    init(environment: AppEnvironment, session: SessionState, frame: Frame, unicode: Bool? = nil) {
        self.environment = environment; self.session = session; self.frame = frame
        self.unicode = unicode ?? environment.unicode
    }

    var keymap: Keymap { environment.keymap }
    var now: Date { environment.now }
    var zone: TimeZone { environment.timeZone }
    /// How keys are written at the terminal's glyph set.
    var labels: KeyLabels { KeyLabels(keymap: keymap, unicode: unicode) }
}
