import Foundation
import AmplemarketModels

/// The log form: typed text per field, focus, and per-field errors (own and server's).
public struct LogForm: Sendable, Hashable {
    /// Task, user, contact, toggles, disposition and the `localID`; text fields live in `fields`.
    public var base: LogDraft
    /// The text fields (`to`, `from`, `duration`, `notes`, `transcription`, `recordingURL`).
    public var fields: [FormField: TextField]
    public var focus: FormField
    /// Inline errors per field.
    public var errors: [FormField: String] = [:]
    /// Errors about the form as a whole (missing task or user, server errors on `task_id` / `user_id`).
    public var formError: String?
    /// What the form held when it opened (with numbers filled in as they became known); nil when the form
    /// holds a draft already (restored, kept, or given back after a failed send). Only a form whose fields
    /// differ from its pre-fill is a draft (saved, kept on Esc, asked about on quit).
    public var prefill: LogDraft?
    /// True when the form edits a needs-attention outbox entry: the entry is its durable record, so the
    /// form never saves or clears the rep's draft (`IOEffect.saveDraft` / `.clearDraft`).
    public var fromOutbox = false

    /// The fields that take text.
    public static let textFields: [FormField] = [.to, .from, .duration, .notes, .callBack, .transcription, .recordingURL]

    /// A form showing `draft`. With `isDraft` false (a fresh form) `draft` is its pre-fill, and the form
    /// counts as a draft only once a field differs from it; with `isDraft` true it is a draft from the start.
    public init(draft: LogDraft, isDraft: Bool = false) {
        base = draft
        fields = [:]
        for f in Self.textFields { fields[f] = TextField(draft.text(of: f), allowsNewlines: f.usesEditor) }
        focus = .to
        focus = firstEmptyRequired ?? .to
        prefill = isDraft ? nil : self.draft
    }

    /// True when the form holds something the rep would lose by closing it: a field differs from the
    /// pre-fill (or it held a draft from the start).
    public var isChanged: Bool { prefill.map { $0 != draft } ?? true }

    /// The form as a draft, with the text typed so far.
    public var draft: LogDraft {
        var d = base
        d.to = fields[.to]?.text ?? ""; d.from = fields[.from]?.text ?? ""
        d.duration = fields[.duration]?.text ?? ""; d.notes = fields[.notes]?.text ?? ""
        d.transcription = fields[.transcription]?.text ?? ""; d.recordingURL = fields[.recordingURL]?.text ?? ""
        d.callBack = fields[.callBack]?.text ?? ""
        return d
    }

    /// The first required field (to, from, duration) that is still empty.
    public var firstEmptyRequired: FormField? {
        [FormField.to, .from, .duration].first { (fields[$0]?.text ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
    }
}
