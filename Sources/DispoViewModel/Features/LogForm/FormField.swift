import Foundation

/// A field of the log form, in form order (which is also Tab order).
public enum FormField: String, Sendable, Hashable, Codable, CaseIterable {
    case to, from, duration, disposition, answered, human, notes, callBack, transcription, recordingURL

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
        case .answered: "Answered"; case .human: "Human"; case .notes: "Notes"; case .callBack: "Call back"
        case .transcription: "Transcription"; case .recordingURL: "Recording URL"
        }
    }

    /// True for the boolean fields, which Space toggles.
    public var isToggle: Bool { self == .answered || self == .human }
    /// True for the free-text fields that Ctrl-E hands to `$EDITOR`.
    public var usesEditor: Bool { self == .notes || self == .transcription }
}
