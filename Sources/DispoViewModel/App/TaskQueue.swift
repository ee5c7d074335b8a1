import Foundation
import AmplemarketModels

/// The rules of working the queue that span features: quick outcomes open a filled log form, complete
/// and skip go to the server once confirmed, a queued log moves the Tasks cursor on and settles its call
/// backs, the filter menu reloads the tasks.
extension AppState {
    /// `n` / `v` / `b`: the log form for the row's task, filled with the outcome's disposition (and who
    /// answered, from it), the duration (0 for no answer and busy unless a timer runs) and the number
    /// when known. The fill is the form's pre-fill: Esc leaves no draft behind.
    mutating func logQuick(_ row: TaskRow, _ outcome: QuickOutcome) -> [Effect] {
        guard let disposition = outcome.disposition(in: session.dispositions) else {
            let why = session.dispositions.isLoaded
                ? "This workspace has no \u{201C}\(outcome.words)\u{201D} disposition (slug \(outcome.slug))"
                : "The dispositions have not loaded yet (\(context.labels.primary(.refresh)) retries)"
            session.setStatus("\(why): \(context.labels.primary(.open)) opens the form to pick one.", isError: true)
            return []
        }
        var effects: [Effect]
        switch row {
        case .callBack(let c): effects = apply(logForm.open(task: c.task, to: c.number, callBackID: c.id, context))
        case .task(let t): effects = apply(logForm.open(task: t, context))
        }
        // Another task's draft is kept: the form opens once the rep agrees to replace it, and is filled then.
        if case .confirm(.replaceDraft(let draft, nil))? = modal {
            modal = .confirm(.replaceDraft(draft, then: outcome))
            return effects
        }
        return effects + fillOpenForm(outcome, disposition: disposition, taskID: row.taskToLog.id)
    }

    /// Fills the log form just opened for `taskID` with a quick outcome: its disposition (and who
    /// answered, from it), the duration when no timer runs, the focus on the first required field left
    /// empty. A fresh form takes the fill as its pre-fill (Esc leaves no draft); a resumed draft is saved.
    mutating func fillOpenForm(_ outcome: QuickOutcome, disposition: Disposition, taskID: String?) -> [Effect] {
        var effects: [Effect] = []
        guard var form = logForm.form, form.base.taskID == taskID, modal == nil else { return effects }
        let wasFresh = form.prefill != nil && !form.isChanged
        form.choose(disposition)
        if logForm.timer == nil, let seconds = outcome.defaultDuration, form.fields[.duration]?.isEmpty ?? true {
            form.fields[.duration] = TextField(seconds)
        }
        form.focus = form.firstEmptyRequired ?? .notes
        if wasFresh { form.prefill = form.draft }
        logForm.form = form
        if !wasFresh { effects.append(.io(.saveDraft(form.draft))) }
        return effects
    }

    /// The contacts' local hours are asked of the server once the first tasks arrive, and again on a
    /// refresh once they are 30 minutes old (hours move on; the server knows each contact's zone).
    mutating func contactHoursIfDue(_ page: Page<TaskRecord>) -> [Effect] {
        guard let user = session.user, page.items.contains(where: { $0.contact?.id != nil }) else { return [] }
        if let asked = session.contactHoursAskedAt, environment.now.timeIntervalSince(asked) <= 30 * 60 { return [] }
        session.contactHoursAskedAt = environment.now
        return [.io(.load(.contactHours(userID: user.id)))]
    }

    /// The selected task's contact with no number known yet: their earlier calls are looked up now, once
    /// per contact, so that a quick outcome (`n` then `Ctrl-S`) finds the number already filled in.
    mutating func lookUpTheSelectedContactsNumber() -> [Effect] {
        guard tab == .tasks, modal == nil, logForm.form == nil, calls.list.isLoaded, let user = session.user,
              let cid = tasks.list.selected?.contact?.id, session.numbers.lastTo[cid] == nil,
              !logForm.contactCallsRequested.contains(cid) else { return [] }
        logForm.contactCallsRequested.insert(cid)
        return [.io(.load(.contactCalls(contactID: cid, userID: user.id)))]
    }

    /// The rep confirmed completing or skipping `task`: it is marked as on its way, and the request goes.
    mutating func changeTask(_ task: TaskRecord, _ change: TaskChange) -> [Effect] {
        tasks.changing[task.id] = change
        let doing = change == .skip ? "Skipping" : "Completing"
        session.setStatus("\(doing) the task for \(TaskQueue.who(task))\u{2026}", isError: false)
        return [.io(.changeTask(taskID: task.id, change: change))]
    }

    /// The server completed or skipped a task: it leaves the queue and the cursor is on the next one.
    mutating func taskChanged(_ taskID: String, _ change: TaskChange) {
        let task = tasks.list.items.lazy.compactMap(\.task).first { $0.id == taskID }
        var text = "The task for \(task.map(TaskQueue.who) ?? "the contact") is \(change.pastTense)"
        if case .complete(lead: true) = change { text += ", and its sequence lead too" }
        session.setStatus(text + ".", isError: false)
        tasks.remove(taskID: taskID, context)
    }

    /// The server refused or could not be reached: the task stays, and the status line says why (the
    /// server's own words).
    mutating func taskChangeFailed(_ taskID: String, _ change: TaskChange, _ failure: APIFailure) {
        tasks.changing[taskID] = nil
        if session.block(failure, what: "tasks", environment, onlyIfFatal: true) { return }
        let task = tasks.list.items.lazy.compactMap(\.task).first { $0.id == taskID }
        session.setStatus("Could not \(change.verb) the task for \(task.map(TaskQueue.who) ?? "the contact"): "
            + "\(failure.message). Nothing changed on the server.", isError: true)
    }

    /// The filter menu closed: a changed filter loads the tasks again with it.
    mutating func applyTaskFilter(_ new: TaskQueueFilter) -> [Effect] {
        guard new != tasks.filter else { return [] }
        tasks.filter = new
        tasks.list.cursor = 0
        tasks.list.top = 0
        guard let user = session.user else { return [] }
        let words = new.summary(environment.callingHours)
        session.setStatus(words.isEmpty ? "Showing open phone tasks." : "Showing: " + words.joined(separator: ", ") + ".",
                          isError: false)
        return tasks.reload(userID: user.id, context)
    }

    /// Logs handed to the outbox by this message (new keys of `submitted`): the Tasks cursor moves past
    /// the row the log was for (config `advance`), the call back it was logged from is done, and a call
    /// back typed in the form is kept.
    mutating func logsHandedToOutbox(since before: Set<String>) -> [Effect] {
        guard logForm.submitted.count > before.count || !logForm.submitted.keys.allSatisfy(before.contains) else { return [] }
        var effects: [Effect] = []
        for (localID, draft) in logForm.submitted where !before.contains(localID) {
            let rowID = draft.callBackID.map { "callback:" + $0 } ?? draft.taskID
            if let rowID { tasks.advance(past: rowID, context) }
            var callBacks = tasks.callBacks
            if let done = draft.callBackID {
                callBacks.removeAll { $0.id == done }
                effects.append(.io(.removeCallBack(id: done)))
            }
            if !isBlank(draft.callBack), let taskID = draft.taskID,
               case .success(let due) = CallBackTime.parse(draft.callBack, now: environment.now, timeZone: environment.timeZone) {
                let number = checkNumber(draft.to, defaultRegion: context.defaultRegion).number?.wire
                let note = draft.notes.trimmingCharacters(in: .whitespacesAndNewlines)
                let c = CallBack(id: "cb-" + localID, taskID: taskID,
                                 contact: Contact(id: draft.contactID, name: draft.contactName, email: draft.contactEmail),
                                 number: number, sequenceName: draft.sequenceName, due: due,
                                 note: note.isEmpty ? nil : note, createdAt: environment.now)
                callBacks.append(c)
                effects.append(.io(.saveCallBack(c)))
                if let status = session.status, !status.isError {
                    session.setStatus(status.text + " \((environment.unicode ? Glyphs.unicode : Glyphs.ascii).dot) call back \(environment.dueText(due)) kept",
                                      isError: false)
                }
            }
            if callBacks != tasks.callBacks { tasks.setCallBacks(callBacks, context) }
        }
        return effects
    }
}

/// Words about tasks shared by the questions and messages.
enum TaskQueue {
    /// `Ana Souza (Q4 outbound)`.
    static func who(_ t: TaskRecord) -> String {
        TasksView.contactName(t.contact) + (t.sequenceName.flatMap { isBlank($0) ? nil : " (\($0))" } ?? "")
    }
}

extension TasksState {
    /// The clock moved: the rows change heading when their due time passes (counted once a minute).
    mutating func clockMoved(_ context: FeatureContext) {
        let minute = Int(context.now.timeIntervalSince1970 / 60)
        guard minute != countedMinute else { return }
        countedMinute = minute
        recountSections(context)
    }
}
