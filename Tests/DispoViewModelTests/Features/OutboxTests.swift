import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The Outbox tab: what is still to send, editing a log that needs attention, discarding, the `/` filter.
@Suite("Outbox") struct OutboxTests: SnapshotSuite {
    init() { useUTF8Locale() }

    private func entry(_ id: String, _ state: OutboxEntry.State) -> OutboxEntry {
        let req = LogCallRequest(from: "+1 650 555 0100", to: "+351 912", duration: 95, answered: true, human: false,
                                 taskID: "t-1", userID: "u-1")
        return OutboxEntry(localID: id, request: req, summary: "Ana Lima · Busy", state: state, createdAt: fixtureNow)
    }

    @Test func outboxEditAndDiscard() {
        var s = Fixtures.ready()
        let req = LogCallRequest(from: "+1 650 555 0100", to: "+351 1", duration: 95, answered: true, human: false,
                                 taskID: "t-1", userID: "u-1", dispositionID: "d-vm", notes: "n")
        _ = reduce(&s, .outboxChanged([
            OutboxEntry(localID: "a", request: req, summary: "Ana Lima · Left voicemail", state: .needsAttention,
                        attempts: 2, lastError: "to: bad number", createdAt: fixtureNow),
            OutboxEntry(localID: "b", request: req, summary: "Ana Lima · Left voicemail", state: .sent(callID: "c"),
                        attempts: 1, createdAt: fixtureNow.addingTimeInterval(-5)),
        ]))
        #expect(s.outbox.queuedCount == 1)
        press(&s, .char("3"), .char("j"), .char("x"))
        #expect(s.modal == nil, "a sent log cannot be discarded")
        press(&s, .char("k"), .char("x"))
        #expect(s.modal == .confirm(.discardOutbox(localID: "a", summary: "Ana Lima · Left voicemail")))
        #expect(press(&s, .char("n")).isEmpty)
        press(&s, .char("x"))
        #expect(press(&s, .char("y")) == [.io(.discardOutboxEntry(localID: "a"))])
        press(&s, .enter)  // edit: the form comes back with the request's values and the same local id
        #expect(s.logForm.form?.base.localID == "a" && s.logForm.form?.fields[.duration]?.text == "95")
        #expect(s.logForm.form?.base.human == false && s.logForm.form?.formError == "to: bad number")
        #expect(press(&s, .ctrl("s")).isEmpty, "the number the server refused is refused here too")
        #expect(s.logForm.form?.errors[.to]?.hasPrefix("too short") == true)
        press(&s, .ctrl("u"))
        type(&s, "+351 912 345 678")
        guard case .io(.submitLog(let id, let r, _))? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        var fixed = req
        fixed.to = "+351912345678"
        fixed.from = "+16505550100"
        #expect(id == "a" && r == fixed)
    }

    @Test func discardingAnEntryClearsADraftKeptForIt() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        personAnswered(&s)
        guard case .io(.submitLog(let id, _, _))? = press(&s, .ctrl("s")).last else { Issue.record("not sent"); return }
        _ = reduce(&s, .logFailed(localID: id, failure: APIFailure(kind: .validation, status: 422, entries: [
            APIErrorEntry(code: "invalid", detail: "bad number", source: .init(pointer: "/to"))], message: "bad")))
        #expect(s.logForm.form != nil)
        press(&s, .escape)
        #expect(s.logForm.keptDraft?.localID == id)
        var entry = needsAttentionEntry(); entry.localID = id
        _ = reduce(&s, .outboxChanged([entry]))
        press(&s, .char("3"), .char("x"))
        let effects = press(&s, .char("y"))
        #expect(effects == [.io(.discardOutboxEntry(localID: id)), .io(.clearDraft)])
        #expect(s.logForm.keptDraft == nil)
        entry.state = .discarded  // what the runtime reports once the store has discarded it
        _ = reduce(&s, .outboxChanged([entry]))
        #expect(press(&s, .char("q")) == [.terminal(.quit)])
    }

    @Test func headerAndOutboxTabCountWhatIsStillToSend() {
        var s = Fixtures.ready()
        _ = reduce(&s, .outboxChanged([entry("p", .pending), entry("n", .needsAttention),
                                       entry("s", .sent(callID: "c")), entry("d", .discarded)]))
        let text = screen(s, Size(cols: 120, rows: 30))
        let lines = text.split(separator: "\n")
        #expect(lines[0].contains("1 queued · 1 needs attention"))
        #expect(lines[1].contains("3 Outbox 2 "))
    }

    @Test func outbox() {
        var s = Fixtures.ready()
        let req = LogCallRequest(from: "+1 650 555 0100", to: "+351 912 345 678", duration: 95, answered: true, human: true,
                                 taskID: "t-1", userID: "u-1", dispositionID: "d-vm")
        _ = reduce(&s, .outboxChanged([
            OutboxEntry(localID: "a", request: req, summary: "Ana Lima · Left voicemail", state: .needsAttention,
                        attempts: 3, lastError: "to: unsupported value", createdAt: fixtureNow),
            OutboxEntry(localID: "b", request: req, summary: "王小明 · Busy", state: .pending, attempts: 0,
                        createdAt: fixtureNow.addingTimeInterval(-60)),
            OutboxEntry(localID: "c", request: req, summary: "Zoë 🎉 Party · Busy", state: .sent(callID: "call-9"),
                        attempts: 1, createdAt: fixtureNow.addingTimeInterval(-120)),
        ]))
        press(&s, .char("3"))
        shot(s, "Outbox/outbox")
    }

    @Test func slashFiltersTheOutbox() {
        var s = Fixtures.ready()
        let req = LogCallRequest(from: "+1 650 555 0100", to: "+351 912 345 678", duration: 95, answered: true, human: true,
                                 taskID: "t-1", userID: "u-1")
        var wang = req; wang.to = "+86 10 5555 0000"
        _ = reduce(&s, .outboxChanged([
            OutboxEntry(localID: "a", request: req, summary: "Ana Lima · Busy", state: .pending, createdAt: fixtureNow),
            OutboxEntry(localID: "b", request: wang, summary: "王小明 · Left voicemail", state: .needsAttention, attempts: 2,
                        lastError: "to: unsupported value", createdAt: fixtureNow.addingTimeInterval(-60)),
            OutboxEntry(localID: "c", request: req, summary: "Zoë 🎉 Party · Busy", state: .sent(callID: "call-9"),
                        attempts: 1, createdAt: fixtureNow.addingTimeInterval(-120)),
        ]))
        press(&s, .char("3"), .char("/"))
        type(&s, "zoe")  // folded: Zoë
        #expect(s.outbox.list.count == 1 && s.outbox.list.selected?.localID == "c")
        var text = screen(s)
        #expect(text.contains("▸ Nov 29 10:58  sent") && text.contains("Zoë 🎉 Party"), "\(text)")
        #expect(!text.contains("Ana Lima") && !text.contains("王小明"), "\(text)")
        press(&s, .enter)
        #expect(!s.outbox.list.isEditingFilter && s.outbox.list.count == 1)
        #expect(screen(s).split(separator: "\n")[22].hasPrefix("filter: zoe  (Esc clears, / edits)"))
        press(&s, .escape)
        #expect(s.outbox.list.count == 3 && s.outbox.list.filter.isEmpty)
        // The number and the last error are searched too.
        press(&s, .char("/"))
        type(&s, "5555")
        #expect(s.outbox.list.count == 1 && s.outbox.list.selected?.localID == "b")
        press(&s, .ctrl("u"))
        type(&s, "unsupported")
        #expect(s.outbox.list.count == 1 && s.outbox.list.selected?.localID == "b")
        press(&s, .ctrl("u"))
        type(&s, "nobody")
        text = screen(s)
        #expect(s.outbox.list.count == 0 && text.contains("No match for \u{201C}nobody\u{201D} (Esc clears the filter)"))
        press(&s, .escape)
        #expect(s.outbox.list.count == 3)
    }

    /// An entry reopened while its task is not loaded names the number called, not the outbox summary.
    @Test func anEditedEntryWithoutItsTaskNamesTheNumber() {
        var s = Fixtures.ready(tasks: [])
        var e = needsAttentionEntry()
        e.request.taskID = "t-gone"
        _ = reduce(&s, .outboxChanged([e]))
        press(&s, .char("3"), .enter)
        #expect(s.logForm.form?.base.contactName == nil)
        #expect(screen(s).contains("Log a call to +351 1"), "\(screen(s))")
    }
}
