import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The log form: fields, pre-filled numbers, validation, durations, the call timer, and sending: only the
/// send key sends, what completes a task or has an unknown effect asks first, what the server answers.
@Suite("Log form") struct LogFormTests: SnapshotSuite {
    init() { useUTF8Locale() }

    /// The shortest keystroke path from the Tasks tab: `1`, Enter, (to), Tab, Tab, (duration), Tab, Enter,
    /// `2`, Ctrl-S: 8 keys besides the typed number and duration, and exactly this request.
    @Test func eightKeystrokesFromATask() {
        var s = Fixtures.ready()
        var keys = 0
        var effects: [Effect] = []
        func key(_ k: Key) { keys += 1; effects += reduce(&s, .key(k)) }
        key(.char("1"))
        key(.enter)
        #expect(s.logForm.form?.focus == .to)
        // Bruno's earlier calls were looked up as soon as his task was selected (once).
        #expect(s.logForm.contactCallsRequested.contains("c-bruno"))
        #expect(!effects.contains(.io(.load(.contactCalls(contactID: "c-bruno", userID: "u-1")))))
        effects += type(&s, "+351 912 000 111")
        key(.tab)
        key(.tab)
        effects += type(&s, "1:35")
        key(.tab)
        key(.enter)
        key(.char("2"))
        key(.ctrl("s"))
        #expect(keys <= 8)
        // Numbers go out in E.164, however they were typed or stored.
        let expected = LogCallRequest(from: "+16505550100", to: "+351912000111", duration: 95, answered: false,
                                      human: false, taskID: "t-0", userID: "u-1", dispositionID: "d-busy")
        let submits = effects.compactMap { e -> LogCallRequest? in
            if case .io(.submitLog(_, let r, let summary)) = e { #expect(summary == "Bruno Costa · Busy"); return r }
            return nil
        }
        #expect(submits == [expected])
        #expect(!effects.contains(.io(.clearDraft)), "the runtime clears the draft with the outbox write")
        if case .io(.submitLog)? = effects.last {} else { Issue.record("submitLog is not the last effect") }
        #expect(effects.contains { if case .io(.saveDraft) = $0 { true } else { false } })
        #expect(s.logForm.form == nil && s.session.status?.text.hasPrefix("Sending") == true)
    }

    @Test func prefillsNumbersFromEarlierCalls() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)  // Ana: her last number and the rep's last from are known
        #expect(s.logForm.form?.fields[.to]?.text == "+351 912 345 678")
        #expect(s.logForm.form?.fields[.from]?.text == "+1 650-555-0100", "in one readable format")
        #expect(s.logForm.form?.focus == .duration)
        #expect(s.logForm.form?.base.taskID == "t-1" && s.logForm.form?.base.userID == "u-1" && s.logForm.form?.base.contactName == "Ana Lima")
    }

    @Test func contactCallsFillTheNumberLater() {
        var s = Fixtures.ready()
        press(&s, .enter)
        let effects = reduce(&s, .contactCallsLoaded(contactID: "c-bruno", calls: [
            Call(id: "old", to: "+55 11 0000", contact: Fixtures.bruno, startDate: date("2025-01-01T00:00:00Z")),
            Call(id: "new", to: "+55 11 9999", contact: Fixtures.bruno, startDate: date("2025-06-01T00:00:00Z")),
        ]))
        #expect(s.logForm.form?.fields[.to]?.text == "+55 11 9999")
        #expect(s.logForm.form?.focus == .duration)
        #expect(effects.isEmpty, "numbers filled in are pre-fill, not a draft to save")
    }

    @Test func logFromACallUsesItsTask() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("j"), .char("l"))
        #expect(s.logForm.form?.base.taskID == "t-2")
        #expect(s.logForm.form?.fields[.to]?.text == "+86 10 5555 0000")
    }

    @Test func togglesAndEditorHandOff() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter, .tab, .tab, .tab)
        #expect(s.logForm.form?.focus == .human)
        #expect(s.logForm.form?.base.human == nil && s.logForm.form?.base.answered == nil, "who answered starts unset")
        press(&s, .char(" "))
        #expect(s.logForm.form?.base.human == true && s.logForm.form?.base.answered == true, "a person means answered")
        press(&s, .up, .char(" "))
        #expect(s.logForm.form?.base.answered == false && s.logForm.form?.base.human == false, "not answered means no person")
        press(&s, .down, .down)
        #expect(s.logForm.form?.focus == .notes)
        type(&s, "draft")
        #expect(press(&s, .ctrl("e")) == [.terminal(.openEditor(field: .notes, text: "draft"))])
        _ = reduce(&s, .editorFinished(field: .notes, text: "line 1\nline 2\n"))
        #expect(s.logForm.form?.fields[.notes]?.text == "line 1\nline 2")
        _ = reduce(&s, .editorFinished(field: .notes, text: nil))
        #expect(s.logForm.form?.fields[.notes]?.text == "line 1\nline 2" && s.session.status?.isError == true)
    }

    @Test func requiredFieldsAndDurationValidation() {
        var s = Fixtures.ready()
        press(&s, .enter)
        _ = reduce(&s, .key(.ctrl("s")))
        #expect(s.logForm.form?.errors[.to] != nil)
        #expect(s.logForm.form?.errors[.duration] != nil)
        #expect(s.logForm.form?.errors[.from] == nil)  // prefilled
        #expect(s.logForm.form?.focus == .to)
        type(&s, "+1 415 555 0142")
        #expect(s.logForm.form?.errors[.to] == nil, "typing clears the field's error")
        press(&s, .tab, .ctrl("u"))  // empty From
        press(&s, .tab)
        type(&s, "-5")
        #expect(press(&s, .ctrl("s")).isEmpty)
        #expect(s.logForm.form?.errors[.from] != nil)
        #expect(s.logForm.form?.errors[.duration]?.contains("not a duration") == true)
        #expect(s.logForm.form?.focus == .from)
    }

    @Test func fixTheMarkedFieldsClearsOnceTheFormIsValid() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        press(&s, .ctrl("s"))
        #expect(s.session.status?.text.hasPrefix("Fix the marked fields") == true)
        personAnswered(&s)
        #expect(s.session.status?.text.hasPrefix("Fix the marked fields") == true, "the duration is still missing")
        press(&s, .paste("x9"))  // not a duration yet
        #expect(s.session.status?.text.hasPrefix("Fix the marked fields") == true)
        press(&s, .home, .delete)
        #expect(s.session.status == nil, "the form is valid now")
    }

    @Test func formRefusesImplausibleDurationsAndNumbers() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "25:00:00")
        press(&s, .ctrl("s"))
        #expect(s.logForm.form?.errors[.duration] == "longer than 24 h \u{2014} check the duration")
        // Read by libphonenumber in the rep's region (here US, from the From number +1 650…).
        for (number, ok) in [("12", false), ("+1 650 555 0100", true), ("(415) 555-0199 x123", true),
                             ("+44 20 7946 0958 ext 12", true), ("415.555.0199", true), ("call me", false),
                             ("123", false), ("12345678901234567890", false), ("+999 123", false)] {
            var form = s.logForm.form!
            form.fields[.to] = TextField(number)
            form.fields[.duration] = TextField("95")
            _ = form.validated(FormRules(defaultRegion: "US"))
            #expect((form.errors[.to] == nil) == ok, "\(number): \(form.errors[.to] ?? "ok")")
        }
        #expect(phoneNumberProblem("12345678901234567890", defaultRegion: "US") == "too long: 20 digits, at most 15 (E.164)")
        #expect(phoneNumberProblem("020 7946 0958", defaultRegion: nil)?.hasPrefix("no country code") == true)
        for (url, ok) in [("", true), ("https://rec.example.com/r/5.mp3", true), ("http://10.0.0.2/a.wav", true),
                          ("y", false), ("rec.example.com/r.mp3", false), ("ftp://x/y", false),
                          ("https://", false), ("https://a b/c", false)] {
            #expect((recordingURLProblem(url) == nil) == ok, "\(url)")
        }
    }

    @Test(arguments: [("95", 95), ("1:35", 95), ("1m35s", 95)])
    func durationsReachTheRequest(_ typed: String, _ seconds: Int) {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, typed)
        personAnswered(&s)
        let effects = press(&s, .ctrl("s"))
        guard case .io(.submitLog(_, let r, _))? = effects.first else { Issue.record("not sent: \(effects)"); return }
        #expect(r.duration == seconds)
        #expect(r.answered && r.human && r.dispositionID == nil && r.notes == nil)
    }

    @Test func logForm() {
        var s = Fixtures.ready()
        press(&s, .enter)      // Bruno: no number known, focus on To; From prefilled from the last call
        type(&s, "+351 912 000 111")
        press(&s, .tab, .tab)
        type(&s, "1:3")
        press(&s, .char("x"), .tab, .enter, .char("3"))  // "1:3x"; picker → No answer; focus moves to Notes
        type(&s, "Asked to call back; \u{1B}[1mbold?")
        press(&s, .ctrl("s"))  // duration error
        shot(s, "LogForm/form-errors")
    }

    @Test func startTickStopFillsDuration() {
        var s = Fixtures.ready()
        press(&s, .enter, .tab, .tab)
        #expect(s.logForm.form?.focus == .duration)
        #expect(s.nextTickDeadline == nil || s.session.status != nil)
        press(&s, .ctrl("t"))
        guard case .starting? = s.logForm.timer?.phase else { Issue.record("not starting"); return }
        // The front end must tick at once: the deadline is now.
        #expect(s.nextTickDeadline! <= s.environment.now)
        let t0 = fixtureNow.addingTimeInterval(0.4)
        _ = reduce(&s, .tick(t0))
        #expect(s.logForm.timer?.phase == .running(since: t0))
        #expect(s.nextTickDeadline == t0.addingTimeInterval(1))
        _ = reduce(&s, .tick(t0.addingTimeInterval(61.2)))
        #expect(s.nextTickDeadline == t0.addingTimeInterval(62))
        var text = gridText(render(s, size: s.size, options: RenderOptions()))
        #expect(text.contains("timer 1:01 running – Ctrl-T stops"))
        _ = reduce(&s, .tick(t0.addingTimeInterval(95.9)))
        let effects = press(&s, .ctrl("t"))
        #expect(s.logForm.timer == nil)
        #expect(s.logForm.form?.fields[.duration]?.text == "1:35")
        guard case .io(.saveDraft(let d))? = effects.first else { Issue.record("draft not saved"); return }
        #expect(d.duration == "1:35")
        text = gridText(render(s, size: s.size, options: RenderOptions()))
        #expect(text.contains("[1:35      ] = 95 s"))
    }

    @Test func timerSurvivesEscAndShowsInTheHeader() {
        var s = Fixtures.ready()
        press(&s, .enter, .ctrl("t"))
        _ = reduce(&s, .tick(fixtureNow))
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(12)))
        press(&s, .escape)
        #expect(s.logForm.form == nil && s.logForm.timer != nil)
        let header = gridText(render(s, size: s.size, options: RenderOptions())).split(separator: "\n").first!
        #expect(header.contains("timer 0:12"))
        press(&s, .enter)  // same task: the kept draft comes back
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(20)))
        press(&s, .ctrl("t"))
        #expect(s.logForm.form?.fields[.duration]?.text == "0:20")
    }

    @Test func sendingWithARunningTimerFillsAnEmptyDuration() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)  // Ana: numbers known
        press(&s, .ctrl("t"))
        _ = reduce(&s, .tick(fixtureNow))
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(42)))
        personAnswered(&s)
        let effects = press(&s, .ctrl("s"))
        guard case .io(.submitLog(_, let r, _))? = effects.first else { Issue.record("not sent: \(effects)"); return }
        #expect(r.duration == 42 && s.logForm.timer == nil)
    }

    /// A filled-in form (Ana: numbers known) with a duration typed, focus on the last field.
    private func formOnLastField() -> AppState {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        personAnswered(&s)
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

    @Test func completeDispositionAsksFirst() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "2m")
        press(&s, .tab, .enter, .char("6"))  // Interested: completes task + lead
        #expect(press(&s, .ctrl("s")).isEmpty)
        #expect(s.modal == .confirm(.sendComplete))
        #expect(press(&s, .char("n")).isEmpty && s.logForm.form != nil && s.modal == nil)
        press(&s, .ctrl("s"))
        let effects = press(&s, .char("y"))
        guard case .io(.submitLog(let id, let r, _))? = effects.first else { Issue.record("not sent"); return }
        #expect(r.dispositionID == "d-int" && r.duration == 120)
        // The server confirms: the call heads the list and the task leaves the Tasks list.
        let call = Call(id: "new-call", from: r.from, to: r.to, duration: 120, answered: true, human: true,
                        dispositionID: "d-int", taskID: "t-1", userID: "u-1", contact: Fixtures.ana, startDate: fixtureNow)
        _ = reduce(&s, .logSent(localID: id, call: call, notesStored: true))
        #expect(s.calls.list.items.first?.id == "new-call")
        #expect(!s.tasks.list.items.contains { $0.id == "t-1" })
        #expect(s.session.status?.text == "Logged: Ana Lima · Interested")
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

    @Test func offlineSendSaysQueued() {
        var s = Fixtures.ready()
        _ = reduce(&s, .connectionChanged(.offline("connection refused")))
        press(&s, .char("j"), .enter)
        type(&s, "95")
        personAnswered(&s)
        press(&s, .ctrl("s"))
        #expect(s.session.status?.text == "Queued: Ana Lima · no disposition (offline; it will be sent when the server is back)")
        _ = reduce(&s, .connectionChanged(.online))
        press(&s, .char("j"), .enter)
        type(&s, "95")
        personAnswered(&s)
        press(&s, .ctrl("s"))
        #expect(s.session.status?.text.hasPrefix("Sending") == true)
    }

    @Test func notesNotStoredIsSaidPlainly() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "10")
        personAnswered(&s)
        press(&s, .tab, .tab, .tab, .tab)
        #expect(s.logForm.form?.focus == .notes)
        type(&s, "call after 5")
        guard case .io(.submitLog(let id, let r, _))? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        #expect(r.notes == "call after 5")
        _ = reduce(&s, .logSent(localID: id, call: Call(id: "x", to: r.to, taskID: "t-1", contact: Fixtures.ana),
                                notesStored: false))
        #expect(s.session.status?.text.contains("notes were not stored by the server; kept locally") == true)
        #expect(s.tasks.list.items.contains { $0.id == "t-1" }, "no complete disposition: the task stays")
    }

    @Test func serverFieldErrorsReopenTheForm() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        personAnswered(&s)
        guard case .io(.submitLog(let id, _, _))? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        let failure = APIFailure(kind: .validation, status: 422, entries: [
            APIErrorEntry(code: "unsupported_value", detail: "to is not a valid phone number", source: .init(pointer: "/to")),
            APIErrorEntry(code: "not_found", detail: "task not found", source: .init(pointer: "/task_id")),
            APIErrorEntry(code: "unsupported_value", detail: "bad disposition", source: .init(pointer: "/disposition_id")),
        ], message: "refused")
        _ = reduce(&s, .logFailed(localID: id, failure: failure))
        let form = try! #require(s.logForm.form)
        #expect(form.fields[.to]?.text == "+351 912 345 678", "typed values are back")
        #expect(form.fields[.duration]?.text == "95")
        #expect(form.errors[.to] == "to is not a valid phone number")
        #expect(form.errors[.disposition] == "bad disposition")
        #expect(form.formError?.contains("task: task not found") == true)
        #expect(form.focus == .to)
        #expect(form.base.localID == id, "resubmitting replaces the same outbox entry")
    }

    @Test func otherFailuresStayInTheStatus() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        personAnswered(&s)
        guard case .io(.submitLog(let id, _, _))? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        _ = reduce(&s, .logFailed(localID: id, failure: APIFailure(kind: .uncertain, message: "timed out")))
        #expect(s.logForm.form == nil)
        #expect(s.session.status?.isError == true && s.session.status?.text.contains("Outbox") == true)
    }

    @Test func aLogThatCouldNotBeStoredComesBackToTheForm() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        personAnswered(&s)
        guard case .io(.submitLog(let id, _, _))? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        _ = reduce(&s, .logFailed(localID: id, failure: APIFailure(kind: .configuration, message: "disk full")))
        #expect(s.logForm.form?.fields[.duration]?.text == "95")
        #expect(s.session.status?.isError == true)
    }

    /// A contact with an e-mail but no name is named by the e-mail.
    @Test func aContactWithoutANameIsNamedByEmail() {
        let task = TaskRecord(id: "t-e", automatic: false, type: "phone_call", status: "scheduled", dueOn: fixtureNow,
                              sequenceName: "Q4", userID: "u-1", contact: Contact(id: "c-e", name: nil, email: "buyer@initech.test"))
        var s = Fixtures.ready(tasks: [task])
        press(&s, .enter)
        #expect(screen(s).contains("Log a call to buyer@initech.test"), "\(screen(s))")
        #expect(!screen(s).contains("(no contact)"))
    }

    /// Text typed on a yes/no field is not taken silently: the status line says where text goes.
    @Test func textTypedOnAToggleIsSaidNotSwallowed() {
        var s = Fixtures.ready()
        press(&s, .char("1"), .enter)
        while s.logForm.form?.focus != .answered { press(&s, .tab) }
        let before = s.logForm.form?.draft
        press(&s, .char("h"))
        #expect(s.logForm.form?.draft == before, "h does not toggle")
        #expect(s.session.status?.text.hasPrefix("Answered is yes or no") == true, "\(s.session.status?.text ?? "-")")
    }

    /// Two dispo processes on one state directory (each with its own random tag) open a log form in the
    /// same second: the local ids differ, so neither log can be taken for the other's outbox entry.
    @Test func twoRunsOpeningAFormInTheSameSecondGetDifferentLocalIDs() {
        var first = Fixtures.ready(), second = Fixtures.ready()
        first.environment.logIDTag = "1a2b3c4d"
        second.environment.logIDTag = "9f8e7d6c"
        _ = press(&first, .enter)
        _ = press(&second, .enter)
        let a = first.logForm.form?.base.localID, b = second.logForm.form?.base.localID
        #expect(a != nil && b != nil && a != b, "\(a ?? "-") and \(b ?? "-")")
        #expect(a?.hasPrefix("log-") == true && a?.contains("-1a2b3c4d-") == true, "\(a ?? "-")")
        // Without a tag (as in the other tests) the same second gives the same id in both.
        var plainFirst = Fixtures.ready(), plainSecond = Fixtures.ready()
        _ = press(&plainFirst, .enter)
        _ = press(&plainSecond, .enter)
        #expect(plainFirst.logForm.form?.base.localID == plainSecond.logForm.form?.base.localID)
    }
}
