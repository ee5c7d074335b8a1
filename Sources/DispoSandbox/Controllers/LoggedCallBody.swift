import Foundation

/// The body of `POST /calls`, checked field by field (per Amplemarket API: required `from`, `to`,
/// `duration` (whole seconds ≥ 0), `answered`, `human`, `task_id`, `user_id`; optional `transcription`,
/// `recording_url`, `disposition_id`; `notes` is undocumented and handled per `NotesMode`).
struct LoggedCallBody {
    var from: String
    var to: String
    /// Seconds.
    var duration: Int
    var answered: Bool
    var human: Bool
    var taskID: String
    var userID: String
    var transcription: String?
    var recordingURL: String?
    var dispositionID: String?
    var notes: String?

    /// Reads `bytes`. Throws 400 `bad_request` when it is not a JSON object, else 422 with one entry per
    /// problem: `missing_field` or `unsupported_value`, `source.pointer` naming the field (`/duration`…).
    /// Under `.reject`, any non-null `notes` is `unsupported_value`. Only what the docs state is checked:
    /// `answered` and `human` are two independent booleans (no rule ties one to the other).
    init(_ bytes: [UInt8], notesMode: NotesMode) throws(APIError) {
        guard let body = try JSONBody.parse(bytes, allowEmpty: false) else { throw APIError.badJSON("Empty body") }
        guard case .object = body else {
            throw APIError.badJSON("The request body must be a JSON object")
        }
        var problems: [APIError.Entry] = []
        func missing(_ field: String) {
            problems.append(.init(code: "missing_field", title: "Missing Field", detail: "\(field) is required",
                                  pointer: "/\(field)"))
        }
        func unsupported(_ field: String, _ detail: String) {
            problems.append(.init(code: "unsupported_value", title: "Unsupported Value", detail: detail,
                                  pointer: "/\(field)"))
        }
        func requiredString(_ field: String) -> String? {
            guard let v = body[field], !v.isNull else { missing(field); return nil }
            guard case .string(let s) = v else { unsupported(field, "\(field) must be a string"); return nil }
            if s.trimmingCharacters(in: .whitespaces).isEmpty { unsupported(field, "\(field) must not be blank"); return nil }
            return s
        }
        func requiredBool(_ field: String) -> Bool? {
            guard let v = body[field], !v.isNull else { missing(field); return nil }
            guard case .bool(let b) = v else { unsupported(field, "\(field) must be true or false"); return nil }
            return b
        }
        func optionalString(_ field: String) -> String?? {
            guard let v = body[field], !v.isNull else { return .some(nil) }
            guard case .string(let s) = v else { unsupported(field, "\(field) must be a string or null"); return nil }
            return .some(s)
        }
        let from = requiredString("from")
        let to = requiredString("to")
        var duration: Int?
        switch body["duration"] {
        case nil, .null?: missing("duration")
        case .int(let n)?: if n < 0 { unsupported("duration", "duration must be a whole number of seconds ≥ 0") } else { duration = n }
        case .double(let d)? where d >= 0 && d == d.rounded() && d < 1e9: duration = Int(d)
        default: unsupported("duration", "duration must be a whole number of seconds ≥ 0")
        }
        let answered = requiredBool("answered")
        let human = requiredBool("human")
        let taskID = requiredString("task_id")
        let userID = requiredString("user_id")
        let transcription = optionalString("transcription")
        let recordingURL = optionalString("recording_url")
        let dispositionID = optionalString("disposition_id")
        let notes = optionalString("notes")
        if notesMode == .reject, let n = notes, n != nil {
            unsupported("notes", "notes is not a supported field")
        }
        guard problems.isEmpty, let from, let to, let duration, let answered, let human, let taskID, let userID,
              let transcription, let recordingURL, let dispositionID, let notes else {
            throw APIError(status: 422, entries: problems)
        }
        self.from = from
        self.to = to
        self.duration = duration
        self.answered = answered
        self.human = human
        self.taskID = taskID
        self.userID = userID
        self.transcription = transcription
        self.recordingURL = recordingURL
        self.dispositionID = dispositionID
        self.notes = notes
    }
}
