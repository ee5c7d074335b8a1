import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Fixes for what two testers found: nothing is sent or lost by accident (priority 1), and the screens
/// are honest and usable (priority 2).
@Suite struct NeverSendOrLoseTests {
    init() { useUTF8Locale() }

    private func isDraftEffect(_ e: Effect) -> Bool {
        switch e { case .saveDraft, .clearDraft: true; default: false }
    }

    /// A filled-in form (Ana: numbers known) with a duration typed, focus on the last field.
    private func formOnLastField() -> AppState {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        while s.form?.focus != .recordingURL { press(&s, .tab) }
        return s
    }

    @Test func enterOnTheLastFieldWrapsAndNeverSends() {
        var s = formOnLastField()
        let effects = press(&s, .enter)
        #expect(!effects.contains { if case .submitLog = $0 { true } else { false } })
        #expect(s.form?.focus == .to, "Enter wraps to the first field")
        #expect(s.modal == nil)
        // Only the send key sends.
        #expect(press(&s, .ctrl("s")).contains { if case .submitLog = $0 { true } else { false } })
    }

    /// Terminals without bracketed paste deliver a pasted multi-line text as characters and Enters.
    @Test func unbracketedPasteWithNewlinesDoesNotSend() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        var effects: [Effect] = []
        for ch in "95\nline one\nline two\nline three\nfour\nfive\nsix\nseven\neight\nnine\nten\n" {
            effects += reduce(&s, .key(ch == "\n" ? .enter : .char(ch)))
            if s.modal != nil { effects += press(&s, .escape) }
        }
        #expect(!effects.contains { if case .submitLog = $0 { true } else { false } })
        #expect(s.form != nil)
    }

    @Test func formHelpAndHintsSayOnlyTheSendKeySends() {
        var s = formOnLastField()
        let hints = gridText(render(s, size: Size(cols: 120, rows: 30), options: RenderOptions())).split(separator: "\n").last!
        #expect(hints.contains("Tab/Enter next") && hints.contains("Ctrl-S send"))
        press(&s, .function(1))
        let help = gridText(render(s, size: Size(cols: 120, rows: 40), options: RenderOptions()))
        #expect(help.contains("send (the only key that sends)"))
        #expect(help.contains("next field (wraps)"))
        #expect(!help.contains("Enter on the last field"))
    }

    @Test func confirmationsIgnoreEnterAndPaste() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        press(&s, .tab, .enter, .char("6"))  // Interested: completes task + lead
        press(&s, .ctrl("s"))
        #expect(s.modal == .confirm(.sendComplete))
        #expect(press(&s, .paste("y")).isEmpty && s.modal == .confirm(.sendComplete))
        #expect(press(&s, .paste("yes\n")).isEmpty && s.modal == .confirm(.sendComplete))
        #expect(press(&s, .enter).isEmpty && s.modal == .confirm(.sendComplete), "Enter does not answer")
        #expect(press(&s, .char("x")).isEmpty && s.modal == .confirm(.sendComplete))
        #expect(press(&s, .escape).isEmpty && s.modal == nil && s.form != nil)
        press(&s, .ctrl("s"))
        #expect(press(&s, .char("y")).contains { if case .submitLog = $0 { true } else { false } })
    }

    @Test func unknownDispositionActionAsksBeforeSending() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        press(&s, .tab, .enter, .char("7"))  // Call back later: action "snooze", unknown
        #expect(s.form?.base.dispositionID == "d-odd")
        #expect(press(&s, .ctrl("s")).isEmpty)
        #expect(s.modal == .confirm(.sendUnknownEffect))
        let text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(text.contains("effect on the task is unknown"))
        #expect(press(&s, .char("n")).isEmpty && s.form != nil)
        press(&s, .ctrl("s"))
        #expect(press(&s, .char("y")).contains { if case .submitLog = $0 { true } else { false } })
    }

    private func needsAttentionEntry() -> OutboxEntry {
        let req = LogCallRequest(from: "+1 555 0100", to: "+351 1", duration: 95, answered: true, human: false,
                                 taskID: "t-1", userID: "u-1", dispositionID: "d-vm", notes: "n")
        return OutboxEntry(localID: "a", request: req, summary: "Ana Lima · Left voicemail", state: .needsAttention,
                           attempts: 2, lastError: "to: bad number", createdAt: fixtureNow)
    }

    @Test func editingAnOutboxEntryLeavesTheRepsDraftAlone() {
        var s = Fixtures.ready()
        // The rep's own draft, kept with Esc.
        press(&s, .enter)
        type(&s, "+1 2")
        press(&s, .escape)
        let kept = s.keptDraft
        #expect(kept != nil)
        _ = reduce(&s, .outboxChanged([needsAttentionEntry()]))
        var effects = press(&s, .char("3"), .enter)
        #expect(s.form?.fromOutbox == true && s.form?.base.localID == "a")
        effects += type(&s, "9")
        effects += press(&s, .tab, .tab, .char(" "))
        effects += reduce(&s, .editorFinished(field: .notes, text: "new notes"))
        effects += press(&s, .escape)
        #expect(!effects.contains(where: isDraftEffect), "no draft effect from an outbox form: \(effects)")
        #expect(s.keptDraft == kept, "the rep's kept draft is untouched")
        press(&s, .enter)
        effects = press(&s, .ctrl("s"))
        #expect(effects.contains { if case .submitLog(let id, _, _) = $0 { id == "a" } else { false } })
        #expect(!effects.contains(where: isDraftEffect))
        #expect(s.keptDraft == kept, "re-sending an outbox entry keeps the rep's draft")
    }

    @Test func escOnAnUnchangedFormLeavesNoDraft() {
        var s = Fixtures.ready()
        press(&s, .char("j"))
        var effects = press(&s, .enter)  // Ana: numbers pre-filled
        effects += press(&s, .escape)
        #expect(!effects.contains { if case .saveDraft = $0 { true } else { false } })
        #expect(s.keptDraft == nil && s.form == nil)
        #expect(press(&s, .char("q")) == [.quit], "no unsent-draft prompt")
        let text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(!text.contains("Unsent draft"))
    }

    @Test func numbersFilledLaterAreStillPrefillNotADraft() {
        var s = Fixtures.ready()
        var effects = press(&s, .enter)  // Bruno: no number known yet
        effects += reduce(&s, .contactCallsLoaded(contactID: "c-bruno", calls: [
            Call(id: "x", to: "+55 11 9999", contact: Fixtures.bruno, startDate: date("2025-06-01T00:00:00Z"))]))
        #expect(s.form?.fields[.to]?.text == "+55 11 9999")
        effects += press(&s, .escape)
        #expect(!effects.contains { if case .saveDraft = $0 { true } else { false } })
        #expect(s.keptDraft == nil)
    }

    @Test func aChangedFormIsStillKeptOnEsc() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "1")
        let effects = press(&s, .escape)
        #expect(effects.contains { if case .saveDraft = $0 { true } else { false } })
        #expect(s.keptDraft?.duration == "1")
    }

    @Test func quitAsksWhenLogsAreStillQueued() {
        var s = Fixtures.ready()
        var sending = needsAttentionEntry(); sending.localID = "s"; sending.state = .sending
        var pending = needsAttentionEntry(); pending.localID = "p"; pending.state = .pending
        _ = reduce(&s, .outboxChanged([needsAttentionEntry()]))
        #expect(press(&s, .char("q")) == [.quit], "a needs-attention entry alone does not ask")
        _ = reduce(&s, .outboxChanged([sending, pending]))
        #expect(press(&s, .char("q")).isEmpty)
        #expect(s.modal == .confirm(.quit))
        let text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(text.contains("2 logs are still queued; they are kept and sent next"))
        #expect(!text.contains("A log is not sent yet"))
        #expect(press(&s, .char("y")) == [.quit])
    }

    @Test func discardingAnEntryClearsADraftKeptForIt() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        guard case .submitLog(let id, _, _)? = press(&s, .ctrl("s")).last else { Issue.record("not sent"); return }
        _ = reduce(&s, .logFailed(localID: id, failure: APIFailure(kind: .validation, status: 422, entries: [
            APIErrorEntry(code: "invalid", detail: "bad number", source: .init(pointer: "/to"))], message: "bad")))
        #expect(s.form != nil)
        press(&s, .escape)
        #expect(s.keptDraft?.localID == id)
        var entry = needsAttentionEntry(); entry.localID = id
        _ = reduce(&s, .outboxChanged([entry]))
        press(&s, .char("3"), .char("x"))
        let effects = press(&s, .char("y"))
        #expect(effects == [.discardOutboxEntry(localID: id), .clearDraft])
        #expect(s.keptDraft == nil)
        #expect(press(&s, .char("q")) == [.quit])
    }

    @Test func copiedTextIsCleanedForTheClipboard() {
        var s = Fixtures.ready(calls: [
            Call(id: "call-x\u{202E}", from: "+1", to: "  +1 555\nrm -rf ~\u{7}\u{1B}[0m\u{85}\u{2066} ", taskID: "t-1",
                 contact: Fixtures.ana, startDate: date("2025-11-29T15:00:00Z"))])
        press(&s, .char("2"))
        #expect(press(&s, .char("y")) == [.copyToClipboard("+1 555rm -rf ~[0m")])
        #expect(press(&s, .char("Y")) == [.copyToClipboard("call-x")])
        #expect(clipboardSafe("\n\t \u{200F}") == "")
    }
}
