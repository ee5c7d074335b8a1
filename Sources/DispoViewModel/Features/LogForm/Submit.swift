import Foundation
import AmplemarketModels

extension LogFormState {
    /// The send key: a timer still running ends with the log (its count fills an empty Duration); the form
    /// is checked; a log whose parts contradict each other, or whose disposition completes the task (or
    /// has an unknown effect), is confirmed first; then the log goes to the outbox and the form closes.
    mutating func submit(confirmed: Bool, _ context: FeatureContext) -> Reply {
        guard var form else { return .none }
        if timer != nil, let seconds = stopTimer(at: context.now),
           (form.fields[.duration]?.text ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            form.fields[.duration] = TextField(formatDuration(seconds))
        }
        guard let request = form.validated(context.formRules) else {
            self.form = form
            return .request(.topicError("Fix the marked fields, then \(context.labels.primary(.send)).", .form))
        }
        self.form = form
        let dispositions = context.session.dispositions
        if !confirmed {
            let contradictions = form.contradictions(dispositions).map(\.contradiction.message)
                + form.numberWarnings(context.defaultRegion).map(\.message)
            let effect = form.base.dispositionID.flatMap { dispositions.byID[$0] }.flatMap {
                Self.effectToConfirm(of: $0, taskIsCompleted: form.base.taskIsCompleted)
            }
            if !contradictions.isEmpty {
                return .request(.present(.confirm(.sendContradicting(contradictions + (effect.map { [$0.words(dispositions, form)] } ?? [])))))
            }
            if let effect { return .request(.present(.confirm(effect))) }
        }
        let draft = form.draft
        let who = draft.contactName ?? shownNumber(request.to, defaultRegion: context.defaultRegion)
        let summary = "\(who) · \(dispositions.name(id: request.dispositionID) ?? "no disposition")"
        submitted[draft.localID] = draft
        self.form = nil
        // An outbox entry re-sent leaves the rep's own kept draft alone.
        if !form.fromOutbox || keptDraft?.localID == draft.localID { keptDraft = nil }
        let status: Reply
        if case .offline = context.session.connection {
            status = .status("Queued: \(summary) (offline; it will be sent when the server is back)")
        } else {
            status = .status("Sending… (\(summary))")
        }
        // The runtime clears the stored draft in the same transaction that writes the outbox entry, so a
        // failed write keeps the draft (no `.clearDraft` here, which could race with that write).
        return status + .effects([.io(.submitLog(localID: draft.localID, request: request, summary: summary))])
    }
}

extension LogFormState {
    /// The question a disposition's effect on the task needs before sending: completing the task and its
    /// sequence lead (not for a task already completed: there is nothing left to complete), or an
    /// unknown effect; nil when it keeps the task open.
    static func effectToConfirm(of d: Disposition, taskIsCompleted: Bool) -> Confirmation? {
        switch d.action {
        case .complete: taskIsCompleted ? nil : .sendComplete
        case .unknown: .sendUnknownEffect
        case .nextStage: nil
        }
    }
}

extension Confirmation {
    /// The effect question in words, to be asked together with contradictions.
    func words(_ dispositions: Dispositions, _ form: LogForm) -> String {
        let name = form.base.dispositionID.flatMap { dispositions.name(id: $0) } ?? "this disposition"
        switch self {
        case .sendUnknownEffect: return "\(name) has an unknown effect on the task"
        default: return "\(name) completes the task and its sequence lead (cannot be undone here)"
        }
    }
}
