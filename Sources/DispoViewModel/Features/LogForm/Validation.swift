import Foundation
import AmplemarketModels

extension LogForm {
    /// Checks the form before sending (per Amplemarket API: POST /calls requires from, to, duration ≥ 0,
    /// task_id and user_id) and returns the request; or marks the errors on the fields (focus on the first)
    /// and returns nil.
    mutating func validated() -> LogCallRequest? {
        errors = [:]
        formError = nil
        let d = draft
        let to = d.to.trimmingCharacters(in: .whitespaces)
        let from = d.from.trimmingCharacters(in: .whitespaces)
        if to.isEmpty { errors[.to] = "required: the number you called" }
        else if let problem = phoneNumberProblem(to) { errors[.to] = problem }
        if from.isEmpty { errors[.from] = "required: the number you called from" }
        else if let problem = phoneNumberProblem(from) { errors[.from] = problem }
        var seconds = parseDuration(d.duration)
        if d.duration.trimmingCharacters(in: .whitespaces).isEmpty {
            errors[.duration] = "required: e.g. 95, 1:35 or 1m35s"
        } else if let s = seconds, s > maximumCallSeconds {
            errors[.duration] = "longer than 24 h \u{2014} check the duration"
            seconds = nil
        } else if seconds == nil {
            errors[.duration] = "not a duration: use 95, 95s, 1:35, 1m35 or 1m35s"
        }
        var general: [String] = []
        if (d.taskID ?? "").isEmpty { general.append("no task: every call must belong to a task") }
        if (d.userID ?? "").isEmpty { general.append("no user: choose who you are first") }
        if !general.isEmpty { formError = general.joined(separator: "; ") }
        if let first = FormField.allCases.first(where: { errors[$0] != nil }) { focus = first }
        guard errors.isEmpty, general.isEmpty, let seconds, let taskID = d.taskID, let userID = d.userID else { return nil }
        func optional(_ s: String) -> String? {
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : s
        }
        return LogCallRequest(from: from, to: to, duration: seconds, answered: d.answered, human: d.human,
                              taskID: taskID, userID: userID, transcription: optional(d.transcription),
                              recordingURL: optional(d.recordingURL).map { $0.trimmingCharacters(in: .whitespaces) },
                              dispositionID: d.dispositionID, notes: optional(d.notes))
    }

    /// True when the form would pass `validated()` as it is.
    var isValid: Bool { var copy = self; return copy.validated() != nil }

    /// Maps server field errors (keyed by body field name) onto the fields; others become the form error.
    mutating func applyServerErrors(_ serverErrors: [String: String]) {
        var general: [String] = []
        for (key, message) in serverErrors.sorted(by: { $0.key < $1.key }) {
            if let field = FormField(apiField: key) {
                errors[field] = message
            } else {
                let name = key == "task_id" ? "task" : key == "user_id" ? "user" : key
                general.append("\(name): \(message)")
            }
        }
        formError = general.isEmpty ? nil : general.joined(separator: "; ")
        if let first = FormField.allCases.first(where: { errors[$0] != nil }) { focus = first }
    }

    /// Space on a toggle: answered off turns human off; human on turns answered on.
    mutating func toggle(_ field: FormField) {
        if field == .answered {
            base.answered.toggle()
            if !base.answered { base.human = false }
        } else if field == .human {
            base.human.toggle()
            if base.human { base.answered = true }
        }
        errors[.answered] = nil; errors[.human] = nil
    }

    /// The disposition chosen in the picker: answered / human follow it, focus moves on.
    mutating func choose(_ d: Disposition) {
        base.dispositionID = d.id
        let defaults = Self.answeredHuman(for: d)
        base.answered = defaults.answered
        base.human = defaults.human
        errors[.disposition] = nil
        focus = firstEmptyRequired ?? .notes
    }

    /// Answered / human for a disposition's slug (or name): no answer or busy → neither; voicemail →
    /// answered by a machine; anything else → a person answered. The rep can still toggle them.
    static func answeredHuman(for d: Disposition) -> (answered: Bool, human: Bool) {
        let key = (d.slug ?? d.name ?? "").lowercased().replacingOccurrences(of: " ", with: "_")
        if key == "no_answer_voicemail" || key.contains("voicemail") { return (true, false) }
        if key == "no_answer" || key == "busy" || key.hasPrefix("no_answer") { return (false, false) }
        return (true, true)
    }
}
