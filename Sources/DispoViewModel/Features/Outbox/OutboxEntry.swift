import Foundation
import AmplemarketModels

/// A call log waiting in (or gone through) the outbox: written to disk before it is sent. Owned by the store; the view models
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

extension OutboxEntry: ListItem { public var listID: String { localID } }
