import Foundation

/// A message on the status line. Errors stay until Esc; others fade after `StatusMessage.lifetime`.
public struct StatusMessage: Sendable, Hashable {
    /// Seconds a non-error message stays (it goes on the next `.tick` after that).
    public static let lifetime: TimeInterval = 5

    public var text: String
    public var isError: Bool
    /// When it was first shown, stamped by the first `.tick` after it was set (`environment.now` can be
    /// up to a minute old between ticks, which would expire a new message at once); nil until then.
    public var shownAt: Date?
}

/// What an error status message is about, when it goes by itself once that succeeds: the log form's
/// fields (valid, sent or closed), or a load.
enum StatusTopic: Sendable, Hashable {
    case form, calls, tasks, dispositions
}

extension SessionState {
    /// Shows `text` on the status line.
    mutating func setStatus(_ text: String, isError: Bool) {
        status = StatusMessage(text: text, isError: isError, shownAt: nil)
        statusTopic = nil
    }

    /// Shows an error that goes by itself once `topic` succeeds.
    mutating func setStatus(_ text: String, topic: StatusTopic) {
        setStatus(text, isError: true)
        statusTopic = topic
    }

    /// Clears a message that is not an error.
    mutating func clearNotice() {
        if let s = status, !s.isError { status = nil }
    }

    /// The clock moved to `now`: a new message is stamped, a notice older than its lifetime goes.
    mutating func expireStatus(at now: Date) {
        guard let s = status, !s.isError else { return }
        if let shown = s.shownAt {
            if now.timeIntervalSince(shown) >= StatusMessage.lifetime { status = nil }
        } else {
            status?.shownAt = now
        }
    }

    /// When a shown notice expires (the front end ticks then); nil when nothing on the line expires.
    var statusDeadline: Date? {
        guard let s = status, !s.isError, let shown = s.shownAt else { return nil }
        return shown.addingTimeInterval(StatusMessage.lifetime)
    }

    /// A load succeeded: a pane error left by an earlier failed load no longer holds, and an error about
    /// this very load goes.
    mutating func loadSucceeded(_ topic: StatusTopic? = nil) {
        if paneError != nil && paneErrorFromFailure { paneError = nil; paneErrorFromFailure = false }
        if let topic, statusTopic == topic { status = nil; statusTopic = nil }
    }
}
