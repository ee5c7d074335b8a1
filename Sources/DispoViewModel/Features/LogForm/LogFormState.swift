import Foundation
import AmplemarketModels

/// Logging a call: the open form, a draft kept for later, logs handed to the outbox (to reopen the form
/// on field errors), the call timer.
public struct LogFormState: Sendable {
    /// The form on screen, if any.
    public var form: LogForm?
    /// A draft closed with Esc (kept, and in the store); reopened when the rep logs the same task again.
    public var keptDraft: LogDraft?
    /// Logs handed to the outbox, by local id, as typed.
    public var submitted: [String: LogDraft] = [:]
    /// The call timer, when one runs (it keeps running if the form is closed with Esc).
    public var timer: CallTimer?
    /// Counter for local ids of new logs (with the clock, makes them unique).
    public var nextLocalNumber = 1
    /// Contacts whose earlier calls were asked for, so they are asked for once.
    public var contactCallsRequested: Set<String> = []

    public init() {}

    /// True when a draft would be lost by quitting: the form differs from its pre-fill, or a draft is kept.
    var hasUnsentDraft: Bool { form?.isChanged == true || keptDraft != nil }

    /// A reply that saves `form`'s draft (the root drops it for a form editing an outbox entry).
    func saving(_ form: LogForm) -> Reply { .effects([.io(.saveDraft(form.draft))]) }

    // MARK: Opening

    /// `log-<seconds>-<tag>-<n>` (`log-<seconds>-<n>` with no tag): the clock, `AppEnvironment.logIDTag`
    /// and this run's count of new logs.
    mutating func newLocalID(now: Date, tag: String = "") -> String {
        defer { nextLocalNumber += 1 }
        let seconds = Int(now.timeIntervalSince1970)
        return tag.isEmpty ? "log-\(seconds)-\(nextLocalNumber)" : "log-\(seconds)-\(tag)-\(nextLocalNumber)"
    }

    /// A new draft for a call to `contact` in `taskID`, pre-filled with the numbers known; nil (and a
    /// message) while the rep is not known yet.
    mutating func newDraft(taskID: String?, contact: Contact?, sequenceName: String?, to: String?,
                           taskIsCompleted: Bool = false, _ context: FeatureContext) -> (LogDraft?, Reply) {
        guard let u = context.session.user else {
            return (nil, .status("Choose who you are first (the user list has not loaded).", isError: true))
        }
        let numbers = context.session.numbers
        // Numbers known from earlier calls, in any spelling, come in one readable format.
        let region = context.defaultRegion
        // A known number that does not read as one in the rep's region (another country's national
        // spelling) is not pre-filled: the contact's earlier calls are looked up for a spelling that does.
        var known = contact?.id.flatMap { numbers.to($0, region: region) } ?? to
        if let k = known, checkNumber(k, defaultRegion: region).number == nil { known = nil }
        let number = known.map { shownNumber($0, defaultRegion: region) } ?? ""
        let draft = LogDraft(localID: newLocalID(now: context.now, tag: context.environment.logIDTag), taskID: taskID, userID: u.id, contactID: contact?.id,
                             contactName: contact?.name, contactEmail: contact?.email, sequenceName: sequenceName,
                             to: number, from: numbers.lastFrom.map { shownNumber($0, defaultRegion: region) } ?? "",
                             createdAt: context.now,
                             taskIsCompleted: taskIsCompleted)
        return (draft, .none)
    }

    /// Opens the form for `draft`. A draft kept for the same task comes back instead; one kept for another
    /// task is only replaced once the rep says so. With no number known, the contact's earlier calls are
    /// asked for.
    mutating func open(_ draft: LogDraft) -> Reply {
        if let kept = keptDraft {
            if kept.taskID == draft.taskID {
                form = LogForm(draft: kept, isDraft: true)
                keptDraft = nil
                return .none
            }
            return .request(.present(.confirm(.replaceDraft(draft))))
        }
        form = LogForm(draft: draft)
        if draft.to.isEmpty, let cid = draft.contactID, let uid = draft.userID, !contactCallsRequested.contains(cid) {
            contactCallsRequested.insert(cid)
            return .effects([.io(.load(.contactCalls(contactID: cid, userID: uid)))])
        }
        return .none
    }

    /// Opens the form for a new call to `task`; `to` is the number when the contact's is not known
    /// (a call back's), `callBackID` the call back it is logged from.
    mutating func open(task: TaskRecord, to: String? = nil, callBackID: String? = nil, _ context: FeatureContext) -> Reply {
        var (draft, reply) = newDraft(taskID: task.id, contact: task.contact, sequenceName: task.sequenceName, to: to,
                                      taskIsCompleted: task.isCompleted, context)
        draft?.callBackID = callBackID
        return draft.map { open($0) } ?? reply
    }

    /// Opens the form for another call to `call`'s task (`task` when it is loaded; `taskIsCompleted` when
    /// that task is known to be completed).
    mutating func open(againAfter call: Call, task: TaskRecord?, taskIsCompleted: Bool, _ context: FeatureContext) -> Reply {
        guard let taskID = call.taskID, !taskID.isEmpty else {
            return .status("This call has no task, and every logged call needs one.", isError: true)
        }
        let (draft, reply) = newDraft(taskID: taskID, contact: call.contact ?? task?.contact, sequenceName: task?.sequenceName,
                                      to: call.to, taskIsCompleted: taskIsCompleted, context)
        return draft.map { open($0) } ?? reply
    }

    /// Reopens an outbox entry that needs attention; sending again reuses its local id (the outbox
    /// replaces the entry).
    mutating func edit(_ e: OutboxEntry, task: TaskRecord?) {
        let r = e.request
        let draft = LogDraft(localID: e.localID, taskID: r.taskID, userID: r.userID, contactID: task?.contact?.id,
                             contactName: task?.contact?.name, contactEmail: task?.contact?.email,
                             sequenceName: task?.sequenceName, to: r.to, from: r.from, duration: String(r.duration),
                             dispositionID: r.dispositionID, answered: r.answered, human: r.human,
                             notes: r.notes ?? "", transcription: r.transcription ?? "",
                             recordingURL: r.recordingURL ?? "", createdAt: e.createdAt,
                             taskIsCompleted: task?.isCompleted ?? false)
        var f = LogForm(draft: draft)
        f.fromOutbox = true
        if let err = e.lastError { f.formError = err }
        form = f
    }

    /// Fills the open form's empty To / From from what is now known about `contactID`.
    mutating func fillNumbers(contactID: String, _ numbers: ContactNumbers, region: String?) -> Reply {
        guard var form, form.base.contactID == contactID else { return .none }
        var changed = false
        // Numbers filled in as they become known are part of the pre-fill (not something the rep typed).
        if form.fields[.to]?.isEmpty ?? true, let to = numbers.to(contactID, region: region).map({ shownNumber($0, defaultRegion: region) }) {
            form.fields[.to] = TextField(to); changed = true
            if form.prefill?.to.isEmpty == true { form.prefill?.to = to }
        }
        if form.fields[.from]?.isEmpty ?? true, let from = numbers.lastFrom.map({ shownNumber($0, defaultRegion: region) }) {
            form.fields[.from] = TextField(from); changed = true
            if form.prefill?.from.isEmpty == true { form.prefill?.from = from }
        }
        guard changed else { return .none }
        if [.to, .from].contains(form.focus) { form.focus = form.firstEmptyRequired ?? .disposition }
        self.form = form
        return form.isChanged ? saving(form) : .none
    }

    /// A draft left over from an earlier run: kept, not opened, so the rep's first keys go to the screen
    /// they see; the status line names the key that resumes it.
    mutating func restore(_ draft: LogDraft, _ context: FeatureContext) -> Reply {
        keptDraft = draft
        let who = draft.contactName ?? (draft.to.isEmpty ? "a call" : draft.to)
        return .status("An unsent log from last time (\(who)) is waiting: \(context.labels.primary(.resumeDraft)) resumes it.")
    }

    /// Reopens the kept draft in the form, wherever the list is; a message when there is none.
    mutating func resumeKept(_ context: FeatureContext) -> Reply {
        guard form == nil, let kept = keptDraft else { return .status("No unsent draft to resume.") }
        form = LogForm(draft: kept, isDraft: true)
        keptDraft = nil
        return .request(.clearNotice)
    }

    /// `$EDITOR` finished for `field`; nil text when it failed or was cancelled.
    mutating func editorFinished(_ field: FormField, text: String?) -> Reply {
        guard var form else { return .none }
        guard let text else {
            return .status("The editor did not return any text; \(field.label.lowercased()) unchanged.", isError: true)
        }
        form.fields[field, default: TextField(allowsNewlines: field.usesEditor)].set(
            text.hasSuffix("\n") ? String(text.dropLast()) : text)
        form.errors[field] = nil
        self.form = form
        return saving(form)
    }
}
