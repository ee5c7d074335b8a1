import Foundation

/// A log form as the rep typed it: what the local store keeps as a draft so an SSH drop or
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
    /// Whether the call was answered; nil until the rep or a disposition says (never a default).
    public var answered: Bool?
    /// Whether a person answered (not a machine); nil until the rep or a disposition says.
    public var human: Bool?
    public var notes: String
    public var transcription: String
    public var recordingURL: String
    /// When the form was opened.
    public var createdAt: Date
    /// True when the task was already completed when the form opened: logging keeps it completed, and a
    /// completing disposition completes nothing more.
    public var taskIsCompleted: Bool
    /// When to call back, as typed (`tomorrow 10:00`, `+2h`); empty for none. Kept on this machine only.
    public var callBack: String
    /// The call back this log was opened from (done once the log is queued); nil otherwise.
    public var callBackID: String?

    public init(localID: String, taskID: String? = nil, userID: String? = nil, contactID: String? = nil,
                contactName: String? = nil, contactEmail: String? = nil, sequenceName: String? = nil,
                to: String = "", from: String = "", duration: String = "", dispositionID: String? = nil,
                answered: Bool? = nil, human: Bool? = nil, notes: String = "", transcription: String = "",
                recordingURL: String = "", createdAt: Date = Date(timeIntervalSince1970: 0), taskIsCompleted: Bool = false,
                callBack: String = "", callBackID: String? = nil) {
        self.localID = localID; self.taskID = taskID; self.userID = userID; self.contactID = contactID
        self.contactName = contactName; self.contactEmail = contactEmail; self.sequenceName = sequenceName
        self.to = to; self.from = from; self.duration = duration; self.dispositionID = dispositionID
        self.answered = answered; self.human = human; self.notes = notes; self.transcription = transcription
        self.recordingURL = recordingURL; self.createdAt = createdAt
        self.taskIsCompleted = taskIsCompleted
        self.callBack = callBack; self.callBackID = callBackID
    }

    enum CodingKeys: String, CodingKey {
        case localID, taskID, userID, contactID, contactName, contactEmail, sequenceName, to, from, duration
        case dispositionID, answered, human, notes, transcription, recordingURL, createdAt, taskIsCompleted
        case callBack, callBackID
    }

    /// Reads a draft; one saved before a field existed gets that field's default.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(localID: try c.decode(String.self, forKey: .localID),
                  taskID: try c.decodeIfPresent(String.self, forKey: .taskID),
                  userID: try c.decodeIfPresent(String.self, forKey: .userID),
                  contactID: try c.decodeIfPresent(String.self, forKey: .contactID),
                  contactName: try c.decodeIfPresent(String.self, forKey: .contactName),
                  contactEmail: try c.decodeIfPresent(String.self, forKey: .contactEmail),
                  sequenceName: try c.decodeIfPresent(String.self, forKey: .sequenceName),
                  to: try c.decodeIfPresent(String.self, forKey: .to) ?? "",
                  from: try c.decodeIfPresent(String.self, forKey: .from) ?? "",
                  duration: try c.decodeIfPresent(String.self, forKey: .duration) ?? "",
                  dispositionID: try c.decodeIfPresent(String.self, forKey: .dispositionID),
                  answered: try c.decodeIfPresent(Bool.self, forKey: .answered),
                  human: try c.decodeIfPresent(Bool.self, forKey: .human),
                  notes: try c.decodeIfPresent(String.self, forKey: .notes) ?? "",
                  transcription: try c.decodeIfPresent(String.self, forKey: .transcription) ?? "",
                  recordingURL: try c.decodeIfPresent(String.self, forKey: .recordingURL) ?? "",
                  createdAt: try c.decodeIfPresent(Date.self, forKey: .createdAt) ?? Date(timeIntervalSince1970: 0),
                  taskIsCompleted: try c.decodeIfPresent(Bool.self, forKey: .taskIsCompleted) ?? false,
                  callBack: try c.decodeIfPresent(String.self, forKey: .callBack) ?? "",
                  callBackID: try c.decodeIfPresent(String.self, forKey: .callBackID))
    }

    /// The typed text of a field (`"true"`/`"false"` for the toggles, empty when unset, the id for the disposition).
    public func text(of field: FormField) -> String {
        switch field {
        case .to: to; case .from: from; case .duration: duration; case .disposition: dispositionID ?? ""
        case .answered: answered.map { $0 ? "true" : "false" } ?? ""; case .human: human.map { $0 ? "true" : "false" } ?? ""
        case .notes: notes; case .callBack: callBack; case .transcription: transcription; case .recordingURL: recordingURL
        }
    }
}
