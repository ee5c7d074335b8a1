import Foundation
import AmplemarketModels

extension LogFormState {
    /// The send key: a timer still running ends with the log (its count fills an empty Duration); the form
    /// is checked; a disposition that completes the task (or whose effect is unknown) is confirmed first;
    /// then the log goes to the outbox and the form closes.
    mutating func submit(confirmed: Bool, _ context: FeatureContext) -> Reply {
        guard var form else { return .none }
        if timer != nil, let seconds = stopTimer(at: context.now),
           (form.fields[.duration]?.text ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            form.fields[.duration] = TextField(formatDuration(seconds))
        }
        guard let request = form.validated() else {
            self.form = form
            return .request(.topicError("Fix the marked fields, then \(context.labels.primary(.send)).", .form))
        }
        self.form = form
        let dispositions = context.session.dispositions
        if !confirmed, let id = request.dispositionID, let action = dispositions.byID[id]?.action {
            switch action {
            case .complete: return .request(.present(.confirm(.sendComplete)))
            case .unknown: return .request(.present(.confirm(.sendUnknownEffect)))
            case .nextStage: break
            }
        }
        let draft = form.draft
        let summary = "\(draft.contactName ?? request.to) · \(dispositions.name(id: request.dispositionID) ?? "no disposition")"
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
