import Foundation

/// A contact as the sandbox stores it. The wire form (per Amplemarket API: calls, tasks) is `{id, name, email}`;
/// `company`, `phone` and `utcOffsetHours` are sandbox-only (used by the `keyword` and
/// `contact_local_time_from/_to` task filters, and to spell the numbers calls go to).
public struct SandboxContact: Sendable, Equatable, Hashable {
    /// UUID (v7).
    public var id: String
    /// Display name; nil for a contact known only by email.
    public var name: String?
    /// Email; nil for some contacts.
    public var email: String?
    /// Company name (matched by the task `keyword` filter).
    public var company: String?
    /// The contact's number as a rep would have typed it (mixed international spellings).
    public var phone: String
    /// The contact's UTC offset in whole hours (for `contact_local_time_from/_to`).
    public var utcOffsetHours: Int
}

/// A mailbox of a user: `{id, email}` on the wire.
public struct SandboxMailbox: Sendable, Equatable {
    /// UUID.
    public var id: String
    /// Address.
    public var email: String
}

/// A workspace user (per Amplemarket API: GET /users → `{id, name, email, status, role, mailboxes}`).
public struct SandboxUser: Sendable, Equatable {
    /// UUID (v7).
    public var id: String
    /// Full name (may carry accents).
    public var name: String
    /// Login email, unique in the workspace.
    public var email: String
    /// `"active"` or `"deactivated"`.
    public var status: String
    /// `"admin"` or `"sales_rep"` (the documented role of a rep).
    public var role: String
    /// Connected mailboxes.
    public var mailboxes: [SandboxMailbox]
    /// The number this user dials from (sandbox-only; used as `from` of seeded calls).
    public var phone: String
}

/// A call outcome (per Amplemarket API: GET /calls/dispositions → `{id, name, slug, action}`).
public struct SandboxDisposition: Sendable, Equatable {
    /// UUID (v7).
    public var id: String
    /// Human name, e.g. `"Left voicemail"`.
    public var name: String
    /// Machine name, e.g. `"no_answer_voicemail"`.
    public var slug: String
    /// `"complete"` (task and sequence lead are completed when a call is logged with it) or `"next_stage"`.
    public var action: String
}

/// A task (per Amplemarket API: GET /tasks → `{id, automatic, type, status, due_on, finished_on, notes,
/// sequence_key, sequence_name, user_id, user_email, contact}`), plus sandbox-only state.
public struct SandboxTask: Sendable, Equatable {
    /// UUID (v7).
    public var id: String
    /// True for tasks the sequence runs by itself (cannot be completed or skipped through the API).
    public var automatic: Bool
    /// `"phone_call"` or `"email"` (seeded); free text on the wire.
    public var type: String
    /// `"scheduled"`, `"completed"` or `"skipped"`.
    public var status: String
    /// When the task is due.
    public var dueOn: Date
    /// When it was completed or skipped; nil while scheduled.
    public var finishedOn: Date?
    /// Free notes.
    public var notes: String?
    /// Key of the sequence the task belongs to (nil for one-off tasks).
    public var sequenceKey: String?
    /// Name of that sequence.
    public var sequenceName: String?
    /// Owner.
    public var userID: String
    /// Owner's email.
    public var userEmail: String
    /// The lead's contact; nil for some tasks.
    public var contact: SandboxContact?
    /// How many times the contact opened sequence messages (for the `message_opens` filter).
    public var messageOpens: Int
    /// Sandbox-only: whether the task's sequence lead (same sequence and contact) has been completed,
    /// e.g. by a call logged with a `complete` disposition.
    public var leadCompleted: Bool
}

/// A call (per Amplemarket API: the Call object), plus sandbox-only flags.
public struct SandboxCall: Sendable, Equatable {
    /// UUID (v7).
    public var id: String
    /// Number that placed the call (free text).
    public var from: String
    /// Number that was called (free text).
    public var to: String
    /// Seconds.
    public var duration: Int
    /// Someone or something picked up.
    public var answered: Bool
    /// A person (true) or a machine / voicemail (false).
    public var human: Bool
    /// Text of the call audio.
    public var transcription: String?
    /// Free notes.
    public var notes: String?
    /// Where a recording is, if any.
    public var recordingURL: String?
    /// Outcome, or nil.
    public var dispositionID: String?
    /// Task the call belongs to.
    public var taskID: String
    /// Who called.
    public var userID: String
    /// True when made outside Amplemarket's dialer (every call logged through POST /calls).
    public var external: Bool
    /// The contact called; nil for some calls.
    public var contact: SandboxContact?
    /// When the call started (whole seconds).
    public var startDate: Date
    /// Sandbox-only: the recording is "too big" and `GET /calls/{id}/recording` answers 413.
    public var recordingTooLarge: Bool

    /// Whether `GET /calls/{id}/recording` serves audio for this call (dialer call with a recording).
    public var hasDownloadableRecording: Bool { !external && recordingURL != nil }
}
