import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The log form's drafts: kept on Esc when changed (never when unchanged), resumed, restored at start, and
/// never written by a form that edits an outbox entry.
@Suite("Log form: drafts") struct LogFormDraftTests {
    init() { useUTF8Locale() }

    private func isDraftEffect(_ e: Effect) -> Bool {
        switch e { case .io(.saveDraft), .io(.clearDraft): true; default: false }
    }

    @Test func escKeepsTheDraftAndTheSameTaskResumesIt() {
        var s = Fixtures.ready()
        press(&s, .enter)
        type(&s, "+1 999")
        press(&s, .escape)
        #expect(s.logForm.form == nil && s.logForm.keptDraft?.to == "+1 999")
        press(&s, .enter)
        #expect(s.logForm.form?.fields[.to]?.text == "+1 999")
        press(&s, .escape, .char("j"), .enter)  // another task: asks before replacing the draft
        #expect(s.modal == .confirm(.replaceDraft(s.modal.flatMap { if case .confirm(.replaceDraft(let d, _)) = $0 { d } else { nil } }!)))
        let effects = press(&s, .char("y"))
        #expect(effects.first == .io(.clearDraft))
        #expect(s.logForm.form?.base.taskID == "t-1")
    }

    /// A draft from the last run waits on the status line: the rep's first keys move the list, and `d`
    /// opens the form with the draft as it was typed.
    @Test func restoredDraftWaitsForItsKey() {
        var s = Fixtures.ready()
        let draft = LogDraft(localID: "log-1", taskID: "t-2", userID: "u-1", contactName: "王小明", to: "+86 10 5555 0000",
                             from: "+1 650 555 0100", duration: "1:00", answered: true, human: false)
        _ = reduce(&s, .draftRestored(draft))
        #expect(s.logForm.form == nil && s.logForm.keptDraft == draft)
        let text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(text.contains("An unsent log from last time (王小明) is waiting: d resumes it."), "\(text)")
        let cursor = s.tasks.list.cursor
        press(&s, .char("j"), .char("2"))
        #expect(s.logForm.form == nil && s.tab == .calls, "the first keys work the screen, not a field")
        #expect(s.tasks.list.cursor == cursor + 1, "j moved the cursor")
        #expect(s.logForm.keptDraft == draft, "nothing typed into the draft")
        press(&s, .char("d"))
        #expect(s.logForm.form?.draft == draft && s.logForm.keptDraft == nil)
        guard case .io(.submitLog(let id, let r, _))? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        #expect(id == "log-1" && r.duration == 60 && r.taskID == "t-2")
    }

    @Test func aKeptDraftIsNamedOnTheStatusLineAndDWithoutOneSaysSo() {
        var s = Fixtures.ready()
        press(&s, .char("d"))
        #expect(s.logForm.form == nil && s.session.status?.text == "No unsent draft to resume.")
        press(&s, .enter)
        type(&s, "+1 999")
        press(&s, .escape, .escape)  // Esc keeps the draft, the second clears the notice
        let text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(text.contains("kept; d resumes it."), "\(text)")
        press(&s, .char("j"), .char("d"))
        #expect(s.logForm.form?.fields[.to]?.text == "+1 999", "resumed from another row")
    }

    @Test func aChangedFormIsStillKeptOnEsc() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "1")
        let effects = press(&s, .escape)
        #expect(effects.contains { if case .io(.saveDraft) = $0 { true } else { false } })
        #expect(s.logForm.keptDraft?.duration == "1")
    }

    @Test func escOnAnUnchangedFormLeavesNoDraft() {
        var s = Fixtures.ready()
        press(&s, .char("j"))
        var effects = press(&s, .enter)  // Ana: numbers pre-filled
        effects += press(&s, .escape)
        #expect(!effects.contains { if case .io(.saveDraft) = $0 { true } else { false } })
        #expect(s.logForm.keptDraft == nil && s.logForm.form == nil)
        #expect(press(&s, .char("q")) == [.terminal(.quit)], "no unsent-draft prompt")
        let text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(!text.contains("Unsent draft"))
    }

    @Test func numbersFilledLaterAreStillPrefillNotADraft() {
        var s = Fixtures.ready()
        var effects = press(&s, .enter)  // Bruno: no number known yet
        effects += reduce(&s, .contactCallsLoaded(contactID: "c-bruno", calls: [
            Call(id: "x", to: "+55 11 9999", contact: Fixtures.bruno, startDate: date("2025-06-01T00:00:00Z"))]))
        #expect(s.logForm.form?.fields[.to]?.text == "+55 11 9999")
        effects += press(&s, .escape)
        #expect(!effects.contains { if case .io(.saveDraft) = $0 { true } else { false } })
        #expect(s.logForm.keptDraft == nil)
    }

    @Test func editingAnOutboxEntryLeavesTheRepsDraftAlone() {
        var s = Fixtures.ready()
        // The rep's own draft, kept with Esc.
        press(&s, .enter)
        type(&s, "+1 2")
        press(&s, .escape)
        let kept = s.logForm.keptDraft
        #expect(kept != nil)
        _ = reduce(&s, .outboxChanged([needsAttentionEntry()]))
        var effects = press(&s, .char("3"), .enter)
        #expect(s.logForm.form?.fromOutbox == true && s.logForm.form?.base.localID == "a")
        effects += type(&s, "9")
        effects += press(&s, .tab, .tab, .char(" "))
        effects += reduce(&s, .editorFinished(field: .notes, text: "new notes"))
        effects += press(&s, .escape)
        #expect(!effects.contains(where: isDraftEffect), "no draft effect from an outbox form: \(effects)")
        #expect(s.logForm.keptDraft == kept, "the rep's kept draft is untouched")
        press(&s, .enter)
        // The number the server refused is refused here too now; the rep fixes it and sends.
        effects = press(&s, .ctrl("s"))
        #expect(!effects.contains { if case .io(.submitLog) = $0 { true } else { false } })
        #expect(s.logForm.form?.errors[.to]?.hasPrefix("too short") == true, "\(String(describing: s.logForm.form?.errors))")
        effects += press(&s, .ctrl("u"))
        effects += type(&s, "+351 912 345 678")
        effects += press(&s, .ctrl("s"))
        #expect(effects.contains { if case .io(.submitLog(let id, _, _)) = $0 { id == "a" } else { false } })
        #expect(!effects.contains(where: isDraftEffect))
        #expect(s.logForm.keptDraft == kept, "re-sending an outbox entry keeps the rep's draft")
    }
}
