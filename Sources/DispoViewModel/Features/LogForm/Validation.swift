import Foundation
import AmplemarketModels

/// What checking a log form needs from outside it: the workspace's dispositions and its rules.
struct FormRules {
    var dispositions: Dispositions = Dispositions()
    /// Config `require_disposition`: a log without a disposition is refused.
    var requireDisposition = false
    /// The region national numbers are read in (ISO code); nil: only `+` numbers parse.
    var defaultRegion: String?
    /// The clock and the rep's zone, which a call-back time is read in.
    var now = Date()
    var timeZone = TimeZone.current
}

extension LogForm {
    /// Checks the form before sending (per Amplemarket API: POST /calls requires from, to, duration ≥ 0,
    /// answered, human, task_id and user_id) and returns the request; or marks the errors on the fields
    /// (focus on the first) and returns nil. Who picked up comes from the rep's choice, else from the
    /// disposition; with neither, the log is refused.
    mutating func validated(_ rules: FormRules = FormRules()) -> LogCallRequest? {
        errors = [:]
        formError = nil
        let d = draft
        let to = d.to.trimmingCharacters(in: .whitespaces)
        let from = d.from.trimmingCharacters(in: .whitespaces)
        // Numbers go out in E.164 (an extension as `;ext=`), however they were typed; with no region
        // known, national numbers are read in the region of the From number typed here.
        let region = rules.defaultRegion ?? numberRegion(from)
        var wire: [FormField: String] = [:]
        for (field, typed, missing) in [(FormField.to, to, "required: the number you called"),
                                        (.from, from, "required: the number you called from")] {
            if typed.isEmpty { errors[field] = missing; continue }
            switch checkNumber(typed, defaultRegion: region) {
            case .problem(let why): errors[field] = why
            case .valid(let n), .possible(let n): wire[field] = n.wire
            }
        }
        var seconds = parseDuration(d.duration)
        if d.duration.trimmingCharacters(in: .whitespaces).isEmpty {
            errors[.duration] = "required: e.g. 95, 1:35 or 1m35s"
        } else if let s = seconds, s > maximumCallSeconds {
            errors[.duration] = "longer than 24 h \u{2014} check the duration"
            seconds = nil
        } else if seconds == nil {
            errors[.duration] = "not a duration: use 95, 95s, 1:35, 1m35 or 1m35s"
        }
        if let problem = recordingURLProblem(d.recordingURL) { errors[.recordingURL] = problem }
        if !isBlank(d.callBack), case .failure(let why) = CallBackTime.parse(d.callBack, now: rules.now, timeZone: rules.timeZone) {
            errors[.callBack] = why.description
        }
        if d.dispositionID == nil, rules.requireDisposition {
            errors[.disposition] = "required: your workspace asks for a disposition on every call"
        }
        let outcome = outcomeOrMarkErrors()
        var general: [String] = []
        if (d.taskID ?? "").isEmpty { general.append("no task: every call must belong to a task") }
        if (d.userID ?? "").isEmpty { general.append("no user: choose who you are first") }
        if !general.isEmpty { formError = general.joined(separator: "; ") }
        if let first = FormField.allCases.first(where: { errors[$0] != nil }) { focus = first }
        guard errors.isEmpty, general.isEmpty, let seconds, let outcome, let taskID = d.taskID,
              let userID = d.userID, let to = wire[.to], let from = wire[.from] else { return nil }
        func optional(_ s: String) -> String? {
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : s
        }
        return LogCallRequest(from: from, to: to, duration: seconds, answered: outcome.answered, human: outcome.human,
                              taskID: taskID, userID: userID, transcription: optional(d.transcription),
                              recordingURL: optional(d.recordingURL).map { $0.trimmingCharacters(in: .whitespaces) },
                              dispositionID: d.dispositionID, notes: optional(d.notes))
    }

    /// Who picked up, as the rep (or the disposition chosen) set Answered and Human; nil with the
    /// reason marked on those fields when they do not say.
    private mutating func outcomeOrMarkErrors() -> CallOutcome? {
        switch (base.answered, base.human) {
        case (nil, nil):
            if base.dispositionID == nil {
                errors[.disposition] = errors[.disposition] ?? "required: a disposition, or who answered below"
                errors[.answered] = "not set: y answered, n not answered"
            } else {
                errors[.answered] = "not set (the disposition does not say): y answered, n not"
            }
            return nil
        case (true?, nil):
            errors[.human] = "not set: y a person, n a machine (voicemail)"
            return nil
        case (false?, true?):
            errors[.human] = "a person cannot have answered: Answered is no"
            return nil
        case (nil, true?): return .person
        case (nil, false?):
            errors[.answered] = "not set: y a machine answered, n no one"
            return nil
        case (false?, _): return .notAnswered
        case (true?, let human?): return human ? .person : .machine
        }
    }

    /// Numbers of a possible length that libphonenumber does not know as assigned, per field: sent only
    /// once the rep confirms.
    func numberWarnings(_ defaultRegion: String?) -> [(field: FormField, message: String)] {
        [FormField.to, .from].compactMap { field in
            let typed = (fields[field]?.text ?? "").trimmingCharacters(in: .whitespaces)
            guard case .possible(let n) = checkNumber(typed, defaultRegion: defaultRegion) else { return nil }
            return (field, "\(n.international) is not a number libphonenumber knows is in use (a new range or an internal line?)")
        }
    }

    /// The parts of the form that contradict each other (the disposition against who picked up, a long
    /// call no one answered), per field to mark; empty while who picked up is not set.
    func contradictions(_ dispositions: Dispositions) -> [(field: FormField, contradiction: OutcomeContradiction)] {
        let answered = base.answered ?? (base.human == true ? true : nil)
        guard let answered, let outcome = CallOutcome(answered: answered, human: base.human ?? false),
              answered == false || base.human != nil else { return [] }
        let disposition = base.dispositionID.flatMap { dispositions.byID[$0] }
        return OutcomeContradiction.of(disposition: disposition, outcome: outcome,
                                       durationSeconds: parseDuration(fields[.duration]?.text ?? "")).map {
            switch $0 {
            case .disposition(_, let says, _):
                (says == .notAnswered || outcome == .notAnswered ? FormField.answered : .human, $0)
            case .longUnanswered: (FormField.duration, $0)
            }
        }
    }

    /// True when the form would pass `validated()` as it is.
    func isValid(_ rules: FormRules) -> Bool { var copy = self; return copy.validated(rules) != nil }

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

    /// Space on a toggle: an unset one becomes yes, a set one flips; answered off turns human off, human
    /// on turns answered on.
    mutating func toggle(_ field: FormField) {
        if field == .answered {
            let on = !(base.answered ?? false)
            set(.answered, on)
        } else if field == .human {
            let on = !(base.human ?? false)
            set(.human, on)
        }
    }

    /// `y` / `n` on a toggle (and Space through `toggle`): not answered means no person either; a person
    /// means answered.
    mutating func set(_ field: FormField, _ on: Bool) {
        if field == .answered {
            base.answered = on
            if !on { base.human = false }
        } else if field == .human {
            base.human = on
            if on { base.answered = true }
        }
        errors[.answered] = nil; errors[.human] = nil
        if errors[.disposition] != nil, base.dispositionID == nil { errors[.disposition] = nil }
    }

    /// Unsets a toggle (Backspace on it): who picked up is not known again.
    mutating func unset(_ field: FormField) {
        if field == .answered { base.answered = nil } else if field == .human { base.human = nil }
        errors[field] = nil
    }

    /// The disposition chosen in the picker: when it says who picked up, Answered and Human follow it
    /// (the rep can still change them); one that says nothing leaves them as they were. Focus moves on.
    mutating func choose(_ d: Disposition) {
        base.dispositionID = d.id
        if let outcome = d.impliedOutcome {
            base.answered = outcome.answered
            base.human = outcome.human
            errors[.answered] = nil; errors[.human] = nil
        }
        errors[.disposition] = nil
        focus = firstEmptyRequired ?? (base.answered == nil ? .answered : base.answered == true && base.human == nil ? .human : .notes)
    }
}

/// What is wrong with a recording URL as typed (empty is fine: it is optional), or nil: it must be an
/// absolute `http` or `https` URL with a host, since it is the only way back to an external call's audio.
public func recordingURLProblem(_ typed: String) -> String? {
    let text = typed.trimmingCharacters(in: .whitespaces)
    guard !text.isEmpty else { return nil }
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
          let host = url.host, !host.isEmpty, !text.contains(where: \.isWhitespace) else {
        return "not a web address: use https://\u{2026} (or leave it empty)"
    }
    return nil
}
