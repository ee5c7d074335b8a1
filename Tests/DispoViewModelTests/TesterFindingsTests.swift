import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Fixes for what two testers found: nothing is sent or lost by accident (priority 1), and the screens
/// are honest and usable (priority 2).
@Suite struct NeverSendOrLoseTests {
    init() { useUTF8Locale() }

    private func isDraftEffect(_ e: Effect) -> Bool {
        switch e { case .io(.saveDraft), .io(.clearDraft): true; default: false }
    }

    /// A filled-in form (Ana: numbers known) with a duration typed, focus on the last field.
    private func formOnLastField() -> AppState {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        while s.logForm.form?.focus != .recordingURL { press(&s, .tab) }
        return s
    }

    @Test func enterOnTheLastFieldWrapsAndNeverSends() {
        var s = formOnLastField()
        let effects = press(&s, .enter)
        #expect(!effects.contains { if case .io(.submitLog) = $0 { true } else { false } })
        #expect(s.logForm.form?.focus == .to, "Enter wraps to the first field")
        #expect(s.modal == nil)
        // Only the send key sends.
        #expect(press(&s, .ctrl("s")).contains { if case .io(.submitLog) = $0 { true } else { false } })
    }

    /// Terminals without bracketed paste deliver a pasted multi-line text as characters and Enters.
    @Test func unbracketedPasteWithNewlinesDoesNotSend() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        while s.logForm.form?.focus != .notes { press(&s, .tab) }
        var effects: [Effect] = []
        // Pasted into Notes: each newline arrives as Enter, walking past the last field.
        for ch in "line one\nline two\nline three\nfour\n" {
            effects += reduce(&s, .key(ch == "\n" ? .enter : .char(ch)))
        }
        #expect(!effects.contains { if case .io(.submitLog) = $0 { true } else { false } })
        #expect(s.logForm.form != nil && s.modal == nil)
        #expect(s.logForm.form?.fields[.notes]?.text == "line one")
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
        #expect(press(&s, .escape).isEmpty && s.modal == nil && s.logForm.form != nil)
        press(&s, .ctrl("s"))
        #expect(press(&s, .char("y")).contains { if case .io(.submitLog) = $0 { true } else { false } })
    }

    @Test func unknownDispositionActionAsksBeforeSending() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        press(&s, .tab, .enter, .char("7"))  // Call back later: action "snooze", unknown
        #expect(s.logForm.form?.base.dispositionID == "d-odd")
        #expect(press(&s, .ctrl("s")).isEmpty)
        #expect(s.modal == .confirm(.sendUnknownEffect))
        let text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(text.contains("effect on the task is unknown"))
        #expect(press(&s, .char("n")).isEmpty && s.logForm.form != nil)
        press(&s, .ctrl("s"))
        #expect(press(&s, .char("y")).contains { if case .io(.submitLog) = $0 { true } else { false } })
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
        effects = press(&s, .ctrl("s"))
        #expect(effects.contains { if case .io(.submitLog(let id, _, _)) = $0 { id == "a" } else { false } })
        #expect(!effects.contains(where: isDraftEffect))
        #expect(s.logForm.keptDraft == kept, "re-sending an outbox entry keeps the rep's draft")
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

    @Test func aChangedFormIsStillKeptOnEsc() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "1")
        let effects = press(&s, .escape)
        #expect(effects.contains { if case .io(.saveDraft) = $0 { true } else { false } })
        #expect(s.logForm.keptDraft?.duration == "1")
    }

    @Test func quitAsksWhenLogsAreStillQueued() {
        var s = Fixtures.ready()
        var sending = needsAttentionEntry(); sending.localID = "s"; sending.state = .sending
        var pending = needsAttentionEntry(); pending.localID = "p"; pending.state = .pending
        _ = reduce(&s, .outboxChanged([needsAttentionEntry()]))
        #expect(press(&s, .char("q")).isEmpty, "a log needing attention asks too (a smoke tester quit past one)")
        #expect(gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions())).contains("1 log needs your attention"))
        press(&s, .char("n"))
        _ = reduce(&s, .outboxChanged([sending, pending]))
        #expect(press(&s, .char("q")).isEmpty)
        #expect(s.modal == .confirm(.quit))
        let text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(text.contains("2 logs are still queued; they are kept and sent next"))
        #expect(!text.contains("A log is not sent yet"))
        #expect(press(&s, .char("y")) == [.terminal(.quit)])
    }

    @Test func discardingAnEntryClearsADraftKeptForIt() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
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

    @Test func copiedTextIsCleanedForTheClipboard() {
        var s = Fixtures.ready(calls: [
            Call(id: "call-x\u{202E}", from: "+1", to: "  +1 555\nrm -rf ~\u{7}\u{1B}[0m\u{85}\u{2066} ", taskID: "t-1",
                 contact: Fixtures.ana, startDate: date("2025-11-29T15:00:00Z"))])
        press(&s, .char("2"))
        #expect(press(&s, .char("y")) == [.terminal(.copyToClipboard("+1 555rm -rf ~[0m"))])
        #expect(press(&s, .char("Y")) == [.terminal(.copyToClipboard("call-x"))])
        #expect(clipboardSafe("\n\t \u{200F}") == "")
    }
}

@Suite struct HonestAndUsableTests {
    init() { useUTF8Locale() }

    private func screen(_ s: AppState, _ size: Size = Size(cols: 80, rows: 24)) -> String {
        gridText(render(s, size: size, options: RenderOptions()))
    }

    private func entry(_ id: String, _ state: OutboxEntry.State) -> OutboxEntry {
        let req = LogCallRequest(from: "+1 555 0100", to: "+351 912", duration: 95, answered: true, human: false,
                                 taskID: "t-1", userID: "u-1")
        return OutboxEntry(localID: id, request: req, summary: "Ana Lima · Busy", state: state, createdAt: fixtureNow)
    }

    @Test func aLaterSuccessfulLoadClearsThePaneError() {
        var s = AppState(environment: Fixtures.env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .accountFailed(APIFailure(kind: .notSent, message: "connection refused")))
        #expect(screen(s).contains("Cannot reach"))
        press(&s, .char("R"))
        _ = reduce(&s, .accountFailed(APIFailure(kind: .notSent, message: "connection refused")))
        #expect(s.session.paneError != nil)
        _ = reduce(&s, .accountLoaded(AccountInfo(raw: .object(["name": .string("Acme Inc")]))))
        _ = reduce(&s, .usersLoaded([Fixtures.rita]))
        #expect(s.session.paneError == nil)
        #expect(!screen(s).contains("Cannot reach"))
    }

    @Test func aWorkspaceWithoutUsersStaysSaidAfterOtherLoads() {
        var env = Fixtures.env
        env.configuredUserEmail = nil
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .usersLoaded([]))
        _ = reduce(&s, .dispositionsLoaded(Fixtures.dispositions))
        #expect(s.session.paneError?.contains("no users") == true)
    }

    @Test func offlineSendSaysQueued() {
        var s = Fixtures.ready()
        _ = reduce(&s, .connectionChanged(.offline("connection refused")))
        press(&s, .char("j"), .enter)
        type(&s, "95")
        press(&s, .ctrl("s"))
        #expect(s.session.status?.text == "Queued: Ana Lima · no disposition (offline; it will be sent when the server is back)")
        _ = reduce(&s, .connectionChanged(.online))
        press(&s, .char("j"), .enter)
        type(&s, "95")
        press(&s, .ctrl("s"))
        #expect(s.session.status?.text.hasPrefix("Sending") == true)
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

    @Test func stackedDetailScrollsWithJKAndPages() {
        let long = (1...80).map { "Line \($0) of the notes." }.joined(separator: "\n")
        var calls = Fixtures.calls
        calls[0].notes = long
        var s = Fixtures.ready(calls: calls)
        press(&s, .char("2"), .enter)
        #expect(s.calls.detail.isOpen)
        var text = screen(s)
        #expect(text.contains("↓") && text.contains("j/k PgDn/PgUp scroll"))
        #expect(!text.contains("Line 30 of the notes."))
        press(&s, .char("j"))
        #expect(s.calls.detail.scroll == 1 && s.selectedCall?.id == "call-1", "j scrolls, the call stays")
        press(&s, .pageDown, .char(" "))
        text = screen(s)
        #expect(text.contains("Line 40 of the notes."))
        press(&s, .pageUp, .pageUp, .char("k"), .char("k"))
        #expect(s.calls.detail.scroll == 0)
        for _ in 0..<200 { press(&s, .char("j")) }
        text = screen(s)
        #expect(text.contains("Line 80 of the notes.") && text.contains("Call id"))
        #expect(!text.contains("more lines"))
        press(&s, .escape)
        #expect(!s.calls.detail.isOpen)
    }

    @Test func sideBySideDetailScrollsWithShiftJK() {
        let long = (1...80).map { "Line \($0) of the notes." }.joined(separator: "\n")
        var calls = Fixtures.calls
        calls[0].notes = long
        let size = Size(cols: 120, rows: 30)
        var s = Fixtures.ready(size: size, calls: calls)
        press(&s, .char("2"))
        #expect(screen(s, size).contains("J/K scroll"))
        press(&s, .char("J"), .char("J"), .char("J"))
        #expect(s.calls.detail.scroll == 3 && s.calls.list.cursor == 0)
        press(&s, .char("K"))
        #expect(s.calls.detail.scroll == 2)
        press(&s, .char("j"))  // another call: its detail starts at the top
        #expect(s.calls.list.cursor == 1 && s.calls.detail.scroll == 0)
        press(&s, .char("?"))
        #expect(screen(s, Size(cols: 120, rows: 40)).contains("scroll the detail beside the list"))
    }

    @Test func recordingLineAndSavedMessage() {
        var calls = Fixtures.calls
        calls[3].recordingURL = "https://api.example/rec/4"  // call-4: Amplemarket's own, with a recording
        var s = Fixtures.ready(size: Size(cols: 120, rows: 30), calls: calls)
        press(&s, .char("2"), .char("j"), .char("j"), .char("j"))
        #expect(screen(s, Size(cols: 120, rows: 30)).contains("r downloads it to /home/rita/calls"))
        #expect(press(&s, .char("r")) == [.io(.downloadRecording(callID: "call-4", path: "/home/rita/calls/call-call-4.mp3"))])
        _ = reduce(&s, .recordingSaved(callID: "call-4", path: "/home/rita/calls/call-call-4.mp3", bytes: 2048))
        #expect(s.session.status?.text == "Saved recording to /home/rita/calls/call-call-4.mp3 (2.0 KB)")
        press(&s, .char("j"))  // call-5: external with a URL
        #expect(screen(s, Size(cols: 120, rows: 30)).contains("https://rec.example.com/r/5.mp3 (Y"))
        press(&s, .char("k"), .char("k"))  // call-3: external without a URL
        let text = screen(s, Size(cols: 120, rows: 30))
        #expect(text.contains("no recording") && !text.contains("downloads it"))
        s = Fixtures.ready(size: Size(cols: 120, rows: 30))
        press(&s, .char("2"), .char("j"), .char("j"), .char("j"))  // call-4 without a recording URL
        #expect(press(&s, .char("r")).isEmpty)
        #expect(s.session.status?.text == "This call has no recording.")
    }

    @Test func statusMessagesExpireAndStayOnTheirTab() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("R"))
        #expect(s.session.status?.text == "Refreshing…")
        // Stamped by the next tick (the clock may be stale until then), then expiring 5 s later.
        #expect(s.nextTickDeadline == nil, "no wake-up of its own: the tick after the key stamps it")
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(30)))
        #expect(s.session.status?.text == "Refreshing…", "a new message is not expired by a stale clock")
        #expect(s.nextTickDeadline == fixtureNow.addingTimeInterval(35))
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(35)))
        #expect(s.session.status == nil)
        press(&s, .char("R"))
        press(&s, .char("1"))
        #expect(s.session.status == nil, "a non-error message does not follow to another tab")
        _ = reduce(&s, .statusMessage("Could not load calls", isError: true))
        press(&s, .char("2"))
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(600)))
        #expect(s.session.status?.isError == true, "errors stay until Esc")
        press(&s, .escape)
        #expect(s.session.status == nil)
    }

    @Test func fixTheMarkedFieldsClearsOnceTheFormIsValid() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        press(&s, .ctrl("s"))
        #expect(s.session.status?.text.hasPrefix("Fix the marked fields") == true)
        press(&s, .paste("x9"))  // not a duration yet
        #expect(s.session.status?.text.hasPrefix("Fix the marked fields") == true)
        press(&s, .home, .delete)
        #expect(s.session.status == nil, "the form is valid now")
    }

    @Test func tooSmallTerminalIgnoresAllButQuitAndRedraw() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "9")
        _ = reduce(&s, .resize(Size(cols: 40, rows: 10)))
        let before = s.logForm.form
        #expect(press(&s, .char("5"), .ctrl("s"), .escape, .enter, .paste("x\ny")).isEmpty)
        #expect(s.logForm.form == before && s.modal == nil)
        #expect(press(&s, .ctrl("l")) == [.terminal(.repaint)])
        #expect(press(&s, .ctrl("c")).isEmpty && s.modal == .confirm(.quit))
        #expect(press(&s, .char("y")).isEmpty, "a confirmation the rep cannot see is not answered")
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        #expect(screen(s).contains("Quit? y/n"))
        #expect(press(&s, .char("y")) == [.terminal(.quit)])
        var t = Fixtures.ready(size: Size(cols: 30, rows: 8))
        #expect(press(&t, .char("q")) == [.terminal(.quit)])
    }

    @Test func durationForms() {
        #expect(parseDuration("1m35") == 95)
        #expect(parseDuration("95s") == 95)
        #expect(parseDuration("1m35s") == 95)
        #expect(parseDuration("1:75") == nil)
        #expect(parseDuration("1m75") == nil)
        #expect(parseDuration("-5") == nil)
        #expect(parseDuration("-1:00") == nil)
    }

    @Test func formRefusesImplausibleDurationsAndNumbers() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "25:00:00")
        press(&s, .ctrl("s"))
        #expect(s.logForm.form?.errors[.duration] == "longer than 24 h \u{2014} check the duration")
        for (number, ok) in [("12", false), ("+1 555 0100", true), ("(415) 555-0199 x123", true),
                             ("+44 20 7946.0000 ext 12", true), ("555/0100", true), ("call me", false),
                             ("+1 555 0100; rm", false), ("1-800-FLOWERS", false)] {
            var form = s.logForm.form!
            form.fields[.to] = TextField(number)
            form.fields[.duration] = TextField("95")
            _ = form.validated()
            #expect((form.errors[.to] == nil) == ok, "\(number): \(form.errors[.to] ?? "ok")")
        }
        #expect(phoneNumberProblem("12") == "too short for a phone number (at least 3 digits)")
    }

    @Test func unknownConfiguredUserIsSaidInThePicker() {
        var env = Fixtures.env
        env.configuredUserEmail = "ana@x.com"
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam]))
        #expect(s.modal == .userPicker(PickerState()))
        #expect(screen(s).contains("No user ana@x.com in this workspace – pick who you are"))
    }
}

@Suite struct AccentFoldingFilterTests {
    init() { useUTF8Locale() }

    private static let people: [Call] = [
        Call(id: "g", to: "+34 600 000 001", taskID: "t-1", contact: Contact(id: "c-g", name: "José García", email: nil),
             startDate: date("2025-11-29T15:00:00Z")),
        Call(id: "f", to: "+33 600 000 002", taskID: "t-1", contact: Contact(id: "c-f", name: "François Dupont", email: nil),
             startDate: date("2025-11-29T14:00:00Z")),
        Call(id: "j", to: "+49 600 000 003", taskID: "t-1", contact: Contact(id: "c-j", name: "JÜRGEN Weiß", email: nil),
             startDate: date("2025-11-29T13:00:00Z")),
        Call(id: "l", to: "+33 600 000 004", taskID: "t-1", contact: Contact(id: "c-l", name: "Léa Martin", email: nil),
             startDate: date("2025-11-29T12:00:00Z")),
    ]

    @Test func filterFoldsAccentsAndCase() {
        var s = Fixtures.ready(calls: Self.people)
        press(&s, .char("2"), .char("/"))
        for (typed, id) in [("garcia", "g"), ("francois", "f"), ("jurgen", "j"), ("lea", "l"), ("GARCÍA", "g"),
                            ("weiss", "j"), ("Léa", "l")] {
            press(&s, .ctrl("u"))
            type(&s, typed)
            #expect(s.calls.list.matches.map { $0.map { s.calls.list.items[$0].id } } == [id], "\(typed)")
        }
    }

    @Test func searchTextIsFoldedOnceWhenAPageArrives() {
        var s = Fixtures.ready(calls: Self.people)
        #expect(s.calls.list.searchText.count == 4)
        #expect(foldedSearchText(s.calls.list, id: "g")?.hasPrefix("jose garcia") == true)
        _ = reduce(&s, .callsPageLoaded(Page(items: [Call(id: "z", contact: Contact(id: "c-z", name: "Zoë", email: nil))], next: nil),
                                        replacing: false))
        #expect(foldedSearchText(s.calls.list, id: "z") == "zoe")
        #expect(s.tasks.list.searchText.count == Fixtures.tasks.count)
        press(&s, .char("1"), .char("/"))
        type(&s, "zoe")
        #expect(s.tasks.list.matches.map { $0.map { s.tasks.list.items[$0].id } } == ["t-3"])
    }

    @Test func foldingFunction() {
        #expect(foldForSearch("José GARCÍA") == "jose garcia")
        #expect(foldForSearch("Øresund Straße") == "oresund strasse")
        #expect(foldForSearch("王小明") == "王小明")
    }
}

@Suite struct NarrowWidthTests {
    init() { useUTF8Locale() }

    @Test func hintsAndFormTitleAreCutWithAMark() {
        var s = Fixtures.ready(size: Size(cols: 60, rows: 16))
        var lines = gridText(render(s, size: Size(cols: 60, rows: 16), options: RenderOptions())).split(separator: "\n")
        let hints = String(lines[15].dropLast()).trimmingCharacters(in: .whitespaces)
        #expect(hints.hasSuffix("…"), "\(hints)")
        #expect(hints.dropLast(2).hasSuffix("refresh") || hints.dropLast(2).hasSuffix("tabs")
                || hints.dropLast(2).hasSuffix("number") || hints.dropLast(2).hasSuffix("help"), "cut between hints: \(hints)")
        press(&s, .char("j"), .char("j"), .char("j"), .enter)  // Zoë 🎉 Party <zoe@party.test> · Events 👋 follow-up
        lines = gridText(render(s, size: Size(cols: 60, rows: 16), options: RenderOptions())).split(separator: "\n")
        #expect(lines[2].contains("…"), "\(lines[2])")
    }

    @Test func helpKeyIsNotTypedIntoTheUserPickerFilter() {
        var env = Fixtures.env
        env.configuredUserEmail = nil
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam]))
        press(&s, .char("?"))
        #expect(s.modal == .userPicker(PickerState()))
        #expect(s.session.status?.text.contains("once you have picked who you are") == true)
        type(&s, "sam")
        guard case .userPicker(let p)? = s.modal else { Issue.record("picker closed"); return }
        #expect(p.filter == "sam")
    }
}

@Suite struct TooSmallPickerTests {
    init() { useUTF8Locale() }

    @Test func quitFromTheUserPickerWhileTooSmallDoesNotLoseThePicker() {
        var env = Fixtures.env
        env.configuredUserEmail = nil
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Size(cols: 40, rows: 10)))
        _ = reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam]))
        #expect(press(&s, .char("j"), .enter).isEmpty)
        #expect(s.modal == .userPicker(PickerState()) && s.session.user == nil, "keys ignored while too small")
        #expect(press(&s, .char("q")) == [.terminal(.quit)])
    }
}

@Suite struct LoadErrorStatusTests {
    init() { useUTF8Locale() }

    @Test func aLoadErrorGoesWhenThatLoadSucceeds() {
        var s = Fixtures.ready()
        _ = reduce(&s, .callsFailed(APIFailure(kind: .server, status: 500, message: "server error")))
        #expect(s.session.status?.text.hasPrefix("Could not load calls") == true)
        _ = reduce(&s, .tasksPageLoaded(Page(items: Fixtures.tasks, next: nil), replacing: true))
        #expect(s.session.status?.isError == true, "another load succeeding does not clear it")
        _ = reduce(&s, .callsPageLoaded(Page(items: Fixtures.calls, next: nil), replacing: true))
        #expect(s.session.status == nil)
        _ = reduce(&s, .dispositionsFailed(APIFailure(kind: .server, status: 500, message: "server error")))
        _ = reduce(&s, .dispositionsLoaded(Fixtures.dispositions))
        #expect(s.session.status == nil)
    }
}
