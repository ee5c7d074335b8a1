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
