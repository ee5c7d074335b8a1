import Foundation

/// A contact a call or task refers to. Per Amplemarket API: `{id, name (or null), email (or null)}`.
public struct Contact: Codable, Hashable, Sendable {
    public var id: String?
    public var name: String?
    public var email: String?

    public init(id: String?, name: String?, email: String?) {
        self.id = id; self.name = name; self.email = email
    }

    enum CodingKeys: String, CodingKey { case id, name, email }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenientID(.id); name = c.lenient(String.self, .name); email = c.lenient(String.self, .email)
    }
}

/// One entry of a call's structured transcript (newer API material; optional, never required).
public struct TranscriptEntry: Codable, Hashable, Sendable {
    public var speaker: String?
    public var text: String?
    public init(speaker: String?, text: String?) { self.speaker = speaker; self.text = text }

    enum CodingKeys: String, CodingKey { case speaker, text, content }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        speaker = c.lenient(String.self, .speaker)
        text = c.lenient(String.self, .text) ?? c.lenient(String.self, .content)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(speaker, forKey: .speaker); try c.encodeIfPresent(text, forKey: .text)
    }
}

/// A call, as returned by `GET /calls` and `POST /calls` (per Amplemarket API, Calls reference).
///
/// Tolerance (amplemarket-api.md §7.1): only `id` is required; every other field may be null, missing
/// or of an unexpected type, and unknown fields are ignored. `duration` is in seconds.
public struct Call: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var from: String?
    public var to: String?
    /// Seconds.
    public var duration: Int?
    public var answered: Bool?
    public var human: Bool?
    public var transcription: String?
    public var notes: String?
    public var recordingURL: String?
    public var dispositionID: String?
    public var taskID: String?
    public var userID: String?
    public var external: Bool?
    public var contact: Contact?
    public var startDate: Date?
    /// `incoming` / `outgoing` when the server says (newer material).
    public var direction: String?
    public var dispositionName: String?
    public var userEmail: String?
    public var transcript: [TranscriptEntry]?

    public init(id: String, from: String? = nil, to: String? = nil, duration: Int? = nil, answered: Bool? = nil,
                human: Bool? = nil, transcription: String? = nil, notes: String? = nil, recordingURL: String? = nil,
                dispositionID: String? = nil, taskID: String? = nil, userID: String? = nil, external: Bool? = nil,
                contact: Contact? = nil, startDate: Date? = nil, direction: String? = nil,
                dispositionName: String? = nil, userEmail: String? = nil, transcript: [TranscriptEntry]? = nil) {
        self.id = id; self.from = from; self.to = to; self.duration = duration; self.answered = answered
        self.human = human; self.transcription = transcription; self.notes = notes; self.recordingURL = recordingURL
        self.dispositionID = dispositionID; self.taskID = taskID; self.userID = userID; self.external = external
        self.contact = contact; self.startDate = startDate; self.direction = direction
        self.dispositionName = dispositionName; self.userEmail = userEmail; self.transcript = transcript
    }

    enum CodingKeys: String, CodingKey {
        case id, from, to, duration, answered, human, transcription, notes, external, contact, direction, transcript
        case recordingURL = "recording_url", dispositionID = "disposition_id", taskID = "task_id"
        case userID = "user_id", startDate = "start_date", dispositionName = "disposition_name"
        case userEmail = "user_email"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = c.lenientID(.id) else {
            throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: c.codingPath, debugDescription: "call without id"))
        }
        self.id = id
        from = c.lenient(String.self, .from); to = c.lenient(String.self, .to)
        duration = c.lenientInt(.duration); answered = c.lenientBool(.answered); human = c.lenientBool(.human)
        transcription = c.lenient(String.self, .transcription); notes = c.lenient(String.self, .notes)
        recordingURL = c.lenient(String.self, .recordingURL); dispositionID = c.lenientID(.dispositionID)
        taskID = c.lenientID(.taskID); userID = c.lenientID(.userID); external = c.lenientBool(.external)
        contact = c.lenient(Contact.self, .contact); startDate = c.decodeAPIDate(forKey: .startDate)
        direction = c.lenient(String.self, .direction); dispositionName = c.lenient(String.self, .dispositionName)
        userEmail = c.lenient(String.self, .userEmail); transcript = c.lenient([TranscriptEntry].self, .transcript)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(from, forKey: .from); try c.encodeIfPresent(to, forKey: .to)
        try c.encodeIfPresent(duration, forKey: .duration); try c.encodeIfPresent(answered, forKey: .answered)
        try c.encodeIfPresent(human, forKey: .human); try c.encode(transcription, forKey: .transcription)
        try c.encode(notes, forKey: .notes); try c.encode(recordingURL, forKey: .recordingURL)
        try c.encode(dispositionID, forKey: .dispositionID); try c.encodeIfPresent(taskID, forKey: .taskID)
        try c.encodeIfPresent(userID, forKey: .userID); try c.encodeIfPresent(external, forKey: .external)
        try c.encode(contact, forKey: .contact)
        try c.encodeIfPresent(startDate.map(APIDate.format), forKey: .startDate)
        try c.encodeIfPresent(direction, forKey: .direction)
        try c.encodeIfPresent(dispositionName, forKey: .dispositionName)
        try c.encodeIfPresent(userEmail, forKey: .userEmail); try c.encodeIfPresent(transcript, forKey: .transcript)
    }
}

/// What logging a call with a disposition does to its task (amplemarket-api.md §4).
public enum DispositionAction: Hashable, Sendable, Codable {
    /// Marks the task **and its sequence lead** completed; cannot be undone from dispo.
    case complete
    /// Nothing happens automatically; the task stays open.
    case nextStage
    /// Any other or missing action: its effect is unknown and must be shown as such. Carries the raw value.
    case unknown(String?)

    /// Reads the wire value (`complete`, `next_stage`; anything else is `.unknown`).
    public init(wire: String?) {
        switch wire {
        case "complete": self = .complete
        case "next_stage": self = .nextStage
        default: self = .unknown(wire)
        }
    }

    /// The wire value, nil when the server gave none.
    public var wire: String? {
        switch self { case .complete: "complete"; case .nextStage: "next_stage"; case .unknown(let raw): raw }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        self.init(wire: try? c.decode(String.self))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let w = wire { try c.encode(w) } else { try c.encodeNil() }
    }
}

/// A call disposition (outcome), from `GET /calls/dispositions`. Fields `{id, name, slug, action}`.
public struct Disposition: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var name: String?
    public var slug: String?
    public var action: DispositionAction

    public init(id: String, name: String?, slug: String?, action: DispositionAction) {
        self.id = id; self.name = name; self.slug = slug; self.action = action
    }

    enum CodingKeys: String, CodingKey { case id, name, slug, action }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = c.lenientID(.id) else {
            throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: c.codingPath, debugDescription: "disposition without id"))
        }
        self.id = id
        name = c.lenient(String.self, .name); slug = c.lenient(String.self, .slug)
        action = DispositionAction(wire: c.lenient(String.self, .action))
    }
}

/// A mailbox of a user: `{id, email}`.
public struct Mailbox: Codable, Hashable, Sendable {
    public var id: String?
    public var email: String?
    public init(id: String?, email: String?) { self.id = id; self.email = email }
    enum CodingKeys: String, CodingKey { case id, email }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenientID(.id); email = c.lenient(String.self, .email)
    }
}

/// A workspace user, from `GET /users`: `{id, name, email, status, role, mailboxes}`.
public struct User: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var name: String?
    public var email: String?
    public var status: String?
    public var role: String?
    public var mailboxes: [Mailbox]?

    public init(id: String, name: String?, email: String?, status: String? = nil, role: String? = nil,
                mailboxes: [Mailbox]? = nil) {
        self.id = id; self.name = name; self.email = email; self.status = status; self.role = role
        self.mailboxes = mailboxes
    }

    enum CodingKeys: String, CodingKey { case id, name, email, status, role, mailboxes }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = c.lenientID(.id) else {
            throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: c.codingPath, debugDescription: "user without id"))
        }
        self.id = id
        name = c.lenient(String.self, .name); email = c.lenient(String.self, .email)
        status = c.lenient(String.self, .status); role = c.lenient(String.self, .role)
        mailboxes = c.lenient([Mailbox].self, .mailboxes)
    }
}

/// A task, from `GET /tasks` (per Amplemarket API, Tasks reference). Named `TaskRecord` so it does not
/// shadow Swift's concurrency `Task`. Tasks carry no phone number.
///
/// `type` is e.g. `phone_call` or `email`; `status` is `scheduled`, `completed` or `skipped`.
public struct TaskRecord: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var automatic: Bool?
    public var type: String?
    public var status: String?
    public var dueOn: Date?
    public var finishedOn: Date?
    public var notes: String?
    public var sequenceKey: String?
    public var sequenceName: String?
    public var userID: String?
    public var userEmail: String?
    public var contact: Contact?

    public init(id: String, automatic: Bool? = nil, type: String? = nil, status: String? = nil, dueOn: Date? = nil,
                finishedOn: Date? = nil, notes: String? = nil, sequenceKey: String? = nil,
                sequenceName: String? = nil, userID: String? = nil, userEmail: String? = nil, contact: Contact? = nil) {
        self.id = id; self.automatic = automatic; self.type = type; self.status = status; self.dueOn = dueOn
        self.finishedOn = finishedOn; self.notes = notes; self.sequenceKey = sequenceKey
        self.sequenceName = sequenceName; self.userID = userID; self.userEmail = userEmail; self.contact = contact
    }

    /// True for a phone task (`type == "phone_call"`).
    public var isPhoneCall: Bool { type == "phone_call" }
    /// True for a task that is still to do (`status == "scheduled"`).
    public var isScheduled: Bool { status == "scheduled" }
    /// True for a task already done (`status == "completed"`): a call logged on it keeps it completed.
    public var isCompleted: Bool { status == "completed" }

    enum CodingKeys: String, CodingKey {
        case id, automatic, type, status, notes, contact
        case dueOn = "due_on", finishedOn = "finished_on", sequenceKey = "sequence_key"
        case sequenceName = "sequence_name", userID = "user_id", userEmail = "user_email"
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = c.lenientID(.id) else {
            throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: c.codingPath, debugDescription: "task without id"))
        }
        self.id = id
        automatic = c.lenientBool(.automatic); type = c.lenient(String.self, .type)
        status = c.lenient(String.self, .status); dueOn = c.decodeAPIDate(forKey: .dueOn)
        finishedOn = c.decodeAPIDate(forKey: .finishedOn); notes = c.lenient(String.self, .notes)
        sequenceKey = c.lenient(String.self, .sequenceKey); sequenceName = c.lenient(String.self, .sequenceName)
        userID = c.lenientID(.userID); userEmail = c.lenient(String.self, .userEmail)
        contact = c.lenient(Contact.self, .contact)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encodeIfPresent(automatic, forKey: .automatic)
        try c.encodeIfPresent(type, forKey: .type); try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(dueOn.map(APIDate.format), forKey: .dueOn)
        try c.encodeIfPresent(finishedOn.map(APIDate.format), forKey: .finishedOn)
        try c.encodeIfPresent(notes, forKey: .notes); try c.encodeIfPresent(sequenceKey, forKey: .sequenceKey)
        try c.encodeIfPresent(sequenceName, forKey: .sequenceName); try c.encodeIfPresent(userID, forKey: .userID)
        try c.encodeIfPresent(userEmail, forKey: .userEmail); try c.encode(contact, forKey: .contact)
    }
}

/// The body of `POST /calls` (per Amplemarket API: log a call made outside Amplemarket).
///
/// Required: `from`, `to`, `duration` (integer seconds ≥ 0), `answered`, `human`, `task_id`, `user_id`.
/// Optional: `transcription`, `recording_url`, `disposition_id`, and `notes` (not in the documented body;
/// sent when the rep typed some, see amplemarket-api.md §3). Nil optionals are omitted from the JSON.
public struct LogCallRequest: Codable, Hashable, Sendable {
    public var from: String
    public var to: String
    /// Seconds, ≥ 0.
    public var duration: Int
    public var answered: Bool
    public var human: Bool
    public var taskID: String
    public var userID: String
    public var transcription: String?
    public var recordingURL: String?
    public var dispositionID: String?
    public var notes: String?

    public init(from: String, to: String, duration: Int, answered: Bool, human: Bool, taskID: String, userID: String,
                transcription: String? = nil, recordingURL: String? = nil, dispositionID: String? = nil,
                notes: String? = nil) {
        self.from = from; self.to = to; self.duration = duration; self.answered = answered; self.human = human
        self.taskID = taskID; self.userID = userID; self.transcription = transcription
        self.recordingURL = recordingURL; self.dispositionID = dispositionID; self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case from, to, duration, answered, human, transcription, notes
        case taskID = "task_id", userID = "user_id", recordingURL = "recording_url", dispositionID = "disposition_id"
    }
}

/// The body of `GET /account-info`. Its shape is not documented in detail, so it is kept as raw JSON
/// with a few convenience readers.
public struct AccountInfo: Codable, Hashable, Sendable {
    public var raw: JSONValue
    public init(raw: JSONValue) { self.raw = raw }
    public init(from decoder: Decoder) throws { raw = try JSONValue(from: decoder) }
    public func encode(to encoder: Encoder) throws { try raw.encode(to: encoder) }

    /// A human name for the workspace, if the body has one (`name`, `account.name`, `company_name`…).
    public var workspaceName: String? {
        for path in [["name"], ["account", "name"], ["company_name"], ["workspace", "name"], ["account_name"]] {
            if case .string(let s)? = raw[path] { return s }
        }
        return nil
    }
}

/// Any JSON value, for bodies whose shape the docs leave open.
public enum JSONValue: Codable, Hashable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
    /// Follows a path of object keys; nil when any step is missing.
    public subscript(path: [String]) -> JSONValue? {
        var cur: JSONValue? = self
        for key in path { guard case .object(let o)? = cur else { return nil }; cur = o[key] }
        return cur
    }
}
