import Foundation
import AmplemarketModels

/// The rules that span features, each named for what it keeps true.
extension AppState {
    /// An error about the log form's fields stays until the form is valid, sent or closed.
    mutating func formErrorFollowsTheForm() {
        guard session.statusTopic == .form else { return }
        if let form = logForm.form, session.status != nil {
            if form.isValid(context.formRules) { session.status = nil; session.statusTopic = nil }
        } else {
            if logForm.form == nil, session.status?.isError == true { session.status = nil }
            session.statusTopic = nil
        }
    }

    /// A log form that opens with no region to read national numbers in (no `default_region`, no From
    /// number of the rep's in the calls loaded or in the form itself, none chosen before) asks for one,
    /// once per run. Not before the first calls page has arrived: it may well name the rep's From number.
    mutating func askForTheRegionOnce(formWasOpen: Bool) {
        guard !formWasOpen, let form = logForm.form, modal == nil, !session.regionAsked, context.defaultRegion == nil,
              calls.list.isLoaded, numberRegion(form.fields[.from]?.text ?? "") == nil else { return }
        session.regionAsked = true
        modal = .regionPicker(PickerState())
    }

    /// The call detail starts at its top whenever another call comes under the cursor.
    mutating func detailScrollFollowsTheSelection(from before: String?) {
        if calls.list.selected?.id != before { calls.detail.scroll = 0 }
    }

    /// A form editing an outbox entry never saves or clears the rep's draft: the entry is its durable record.
    static func withoutDraftWrites(_ effects: [Effect]) -> [Effect] {
        effects.filter {
            switch $0 { case .io(.saveDraft), .io(.clearDraft): false; default: true }
        }
    }

    /// Quit, asking first when a draft is unsent, logs are still queued (pending or sending) or need the
    /// rep's attention.
    mutating func requestQuit() -> [Effect] {
        if logForm.hasUnsentDraft || outbox.unsentCount > 0 || outbox.needsAttentionCount > 0 {
            modal = .confirm(.quit)
            return []
        }
        return [.terminal(.quit)]
    }

    /// Shows `new`. A notice belongs to the tab it was shown on and does not follow; the detail closes
    /// when leaving the calls.
    mutating func switchTab(to new: Tab) {
        if new != tab { session.clearNotice(); calls.detail.scroll = 0 }
        if new != .calls { calls.detail.isOpen = false }
        tab = new
    }

    /// The users arrived: the configured one is picked, the only one is used, else the rep is asked.
    mutating func usersArrived(_ list: [User]) -> [Effect] {
        session.users = list
        if session.user != nil { return [] }
        if let email = environment.configuredUserEmail {
            if let u = list.first(where: { ($0.email ?? "").caseInsensitiveCompare(email) == .orderedSame }) {
                return chooseUser(u, remember: false)
            }
            session.setStatus("No user \(email) in this workspace \u{2014} pick who you are "
                + "(the e-mail came from --user / AMPLEMARKET_USER / config).", isError: true)
            modal = .userPicker(PickerState())
            return []
        }
        if list.count == 1 { return chooseUser(list[0], remember: false) }
        if list.isEmpty {
            session.paneError = "This workspace has no users, so no call can be logged (every call needs a user_id)."
            session.paneErrorFromFailure = false
            return []
        }
        modal = .userPicker(PickerState())
        return []
    }

    /// The rep is `u`: the picker closes, their tasks and calls load (remembered for next time when picked).
    mutating func chooseUser(_ u: User, remember: Bool) -> [Effect] {
        session.user = u
        if case .userPicker? = modal { modal = nil }
        if remember, let s = session.status, s.isError { session.status = nil }
        var effects: [Effect] = []
        if remember, let email = u.email { effects.append(.io(.rememberUser(email: email))) }
        return effects + tasks.reload(userID: u.id, context) + calls.reload(userID: u.id, context)
    }

    /// The outbox sent a log: said on the status line (and that notes were kept locally when the server
    /// stored none); the call heads the Calls list; a disposition that completes the task removes it.
    mutating func logSent(localID: String, call: Call, notesStored: Bool) {
        let draft = logForm.submitted.removeValue(forKey: localID)
        let contact = call.contact?.name ?? draft?.contactName ?? call.to ?? "call"
        let dispositionID = call.dispositionID ?? draft?.dispositionID
        let disposition = session.dispositions.name(id: dispositionID, fallback: call.dispositionName) ?? "no disposition"
        var text = "Logged: \(contact) · \(disposition)"
        if !notesStored { text += " — notes were not stored by the server; kept locally" }
        session.setStatus(text, isError: !notesStored)
        session.history.learn(call, contactID: draft?.contactID)
        if !calls.list.items.contains(where: { $0.id == call.id }) {
            // Logged from elsewhere (usually Tasks): the new call is selected, so the Calls tab opens on it.
            // Reading the Calls tab as a queued log goes out: the cursor stays on the call it was on.
            calls.logged(call, select: tab != .calls, context)
            session.numbers.learnLogged(call, contactID: draft?.contactID)
        }
        if let id = dispositionID, session.dispositions.byID[id]?.action == .complete, let taskID = call.taskID ?? draft?.taskID {
            tasks.remove(taskID: taskID, context)
        }
        keepCursorsInView()
    }

    /// The outbox could not send a log. Not even stored locally, or refused with field errors: the form
    /// comes back with what was typed (errors marked). Otherwise the log stays in the outbox, said so.
    mutating func logFailed(localID: String, failure: APIFailure) -> [Effect] {
        let draft = logForm.submitted[localID]
        let who = draft?.contactName ?? draft?.to ?? "the call"
        let send = context.labels.primary(.send)
        if failure.kind == .configuration, let draft, logForm.form == nil {
            logForm.form = LogForm(draft: draft, isDraft: true)
            logForm.submitted[localID] = nil
            session.setStatus("Not sent: \(failure.message)", isError: true)
            return [.io(.saveDraft(draft))]
        }
        let fieldErrors = failure.fieldErrors
        if !fieldErrors.isEmpty, let draft, logForm.form == nil {
            var form = LogForm(draft: draft, isDraft: true)
            form.applyServerErrors(fieldErrors)
            logForm.form = form
            logForm.submitted[localID] = nil
            session.setStatus("The server refused the log for \(who); fix the marked fields and press \(send).", isError: true)
            return [.io(.saveDraft(draft))]
        }
        let why = failure.kind == .unauthorized
            ? session.describe(failure, what: "the log", environment) : failure.description
        session.setStatus("Log for \(who) not sent: \(why). It is kept in the Outbox (\(context.labels.primary(.outboxTab))).",
                          isError: true)
        return []
    }

    /// The rep's answer to a confirmation.
    mutating func answer(_ question: Confirmation, yes: Bool) -> [Effect] {
        guard yes else { return [] }
        switch question {
        case .sendComplete, .sendUnknownEffect, .sendContradicting:
            return apply(logForm.submit(confirmed: true, context))
        case .quit:
            return [.terminal(.quit)]
        case .discardOutbox(let localID, _):
            session.setStatus("Discarded the log; it will not be sent.", isError: false)
            logForm.submitted[localID] = nil
            // A draft kept for this very log (closed with Esc after it came back) goes with it.
            if logForm.keptDraft?.localID == localID {
                logForm.keptDraft = nil
                return [.io(.discardOutboxEntry(localID: localID)), .io(.clearDraft)]
            }
            return [.io(.discardOutboxEntry(localID: localID))]
        case .replaceDraft(let draft, let quick):
            logForm.keptDraft = nil
            let opened = [.io(.clearDraft)] + apply(logForm.open(draft))
            guard let quick, let disposition = quick.disposition(in: session.dispositions) else { return opened }
            return opened + fillOpenForm(quick, disposition: disposition, taskID: draft.taskID)
        case .completeTask(let task):
            return changeTask(task, .complete(lead: false))
        case .skipTask(let task):
            return changeTask(task, .skip)
        case .dismissCallBack(let c):
            tasks.setCallBacks(tasks.callBacks.filter { $0.id != c.id }, context)
            session.setStatus("Dismissed the call back to \(TasksView.contactName(c.contact)).", isError: false)
            return [.io(.removeCallBack(id: c.id))]
        }
    }
}
