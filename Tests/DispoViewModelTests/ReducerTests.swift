import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

@Suite struct StartupTests {
    @Test func firstResizeLoadsAccountUsersDispositionsOnce() {
        var s = AppState(environment: Fixtures.env)
        #expect(reduce(&s, .resize(Size(cols: 80, rows: 24))) == [.io(.load(.account)), .io(.load(.users)), .io(.load(.dispositions))])
        #expect(reduce(&s, .resize(Size(cols: 100, rows: 30))).isEmpty)
    }

    @Test func configuredUserIsPickedAndListsAreLoaded() {
        var s = AppState(environment: Fixtures.env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        let effects = reduce(&s, .usersLoaded([Fixtures.sam, Fixtures.rita]))
        #expect(s.session.user?.id == "u-1")
        #expect(effects == [.io(.load(.tasks(TaskListQuery(userID: "u-1", type: "phone_call", status: "scheduled")))),
                            .io(.load(.calls(CallListQuery(pageSize: 50, userID: "u-1"))))])
    }

    @Test func severalUsersAndNoneConfiguredAsksAndRemembers() {
        var env = Fixtures.env
        env.configuredUserEmail = nil
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        #expect(reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam])).isEmpty)
        guard case .userPicker? = s.modal else { Issue.record("no user picker"); return }
        let effects = press(&s, .down, .enter)
        #expect(s.session.user?.id == "u-2")
        #expect(s.modal == nil)
        #expect(effects.first == .io(.rememberUser(email: "sam@acme.test")))
        #expect(effects.contains(.io(.load(.calls(CallListQuery(pageSize: 50, userID: "u-2"))))))
    }

    @Test func singleUserIsUsedWithoutAsking() {
        var env = Fixtures.env
        env.configuredUserEmail = nil
        var s = AppState(environment: env)
        let effects = reduce(&s, .usersLoaded([Fixtures.sam]))
        #expect(s.session.user?.id == "u-2" && s.modal == nil && effects.count == 2)
    }

    @Test func unknownConfiguredEmailIsNamedAndPickerShown() {
        var env = Fixtures.env
        env.configuredUserEmail = "ghost@acme.test"
        var s = AppState(environment: env)
        _ = reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam]))
        #expect(s.session.user == nil)
        #expect(s.session.status?.isError == true && s.session.status?.text.contains("ghost@acme.test") == true)
        guard case .userPicker? = s.modal else { Issue.record("no user picker"); return }
        type(&s, "rit")
        #expect(press(&s, .enter).first == .io(.rememberUser(email: "rita@acme.test")))
    }

    @Test func failuresBecomeClearMessages() {
        var s = AppState(environment: Fixtures.env)
        _ = reduce(&s, .accountFailed(APIFailure(kind: .unauthorized, status: 401, message: "unauthorized")))
        #expect(s.session.paneError?.contains("AMPLEMARKET_API_KEY") == true)
        var t = AppState(environment: Fixtures.env)
        _ = reduce(&t, .usersFailed(APIFailure(kind: .notSent, message: "connection refused")))
        #expect(t.session.paneError?.hasPrefix("Cannot reach http://127.0.0.1:8080") == true)
        var u = AppState(environment: Fixtures.env)
        _ = reduce(&u, .accountFailed(APIFailure(kind: .notFound, status: 404, message: "not found")))
        #expect(u.session.paneError?.contains("does not look like the Amplemarket API") == true)
        var v = Fixtures.ready()
        _ = reduce(&v, .callsFailed(APIFailure(kind: .server, status: 503, message: "unavailable")))
        #expect(v.session.paneError == nil && v.session.status?.isError == true)
        press(&v, .escape)
        #expect(v.session.status == nil)
    }
}

@Suite struct ListTests {
    init() { useUTF8Locale() }

    static func manyCalls(_ n: Int, from start: Int = 0) -> [Call] {
        (start..<start + n).map {
            Call(id: "c\($0)", from: "+1 555 0100", to: "+1 555 \($0)", duration: $0 % 400, answered: true,
                 human: $0 % 2 == 0, taskID: "t-1", userID: "u-1", contact: Contact(id: "k\($0 % 50)", name: "Contact \($0)", email: nil),
                 startDate: fixtureNow.addingTimeInterval(Double(-60 * $0)))
        }
    }

    @Test func navigationKeys() {
        var s = Fixtures.ready(calls: Self.manyCalls(50))
        press(&s, .char("2"))
        #expect(s.tab == .calls)
        press(&s, .char("j"), .down, .char("j"))
        #expect(s.calls.list.cursor == 3)
        press(&s, .char("k"))
        #expect(s.calls.list.cursor == 2)
        press(&s, .char("G"))
        #expect(s.calls.list.cursor == 49)
        press(&s, .char("g"))
        #expect(s.calls.list.cursor == 0 && s.calls.list.top == 0)
        press(&s, .pageDown)
        #expect(s.calls.list.cursor == s.frame.listRows.height)
        press(&s, .ctrl("u"))
        #expect(s.calls.list.cursor == s.frame.listRows.height - s.frame.listRows.height / 2)
        press(&s, .ctrl("d"), .ctrl("d"), .ctrl("d"), .ctrl("d"), .ctrl("d"))
        #expect(s.calls.list.cursor == 49)
        // The cursor is always on screen.
        #expect(s.calls.list.cursor >= s.calls.list.top && s.calls.list.cursor < s.calls.list.top + s.frame.listRows.height)
        press(&s, .char("k"), .char("k"), .char("k"), .char("k"), .char("k"), .up, .pageUp, .pageUp, .pageUp)
        #expect(s.calls.list.cursor == 0 && s.calls.list.top == 0)
    }

    @Test func tabSwitching() {
        var s = Fixtures.ready()
        #expect(s.tab == .tasks)
        press(&s, .tab); #expect(s.tab == .calls)
        press(&s, .tab); #expect(s.tab == .outbox)
        press(&s, .tab); #expect(s.tab == .tasks)
        press(&s, .backTab); #expect(s.tab == .outbox)
        press(&s, .char("2")); #expect(s.tab == .calls)
        press(&s, .char("1")); #expect(s.tab == .tasks)
    }

    @Test func pagingTriggersNearTheEndOnlyOnce() {
        var s = Fixtures.ready(callsNext: "/calls?page[size]=50&page[after]=c49", calls: Self.manyCalls(50))
        var effects = press(&s, .char("2"))
        #expect(effects.isEmpty)
        for _ in 0..<38 { effects += press(&s, .char("j")) }
        #expect(effects.isEmpty, "cursor 38 of 50 is more than 10 rows away")
        effects = press(&s, .char("j"))  // cursor 39: within 10 rows of the end
        #expect(effects == [.io(.load(.callsPage(href: "/calls?page[size]=50&page[after]=c49")))])
        #expect(press(&s, .char("j"), .char("G")).isEmpty, "nothing while a page is loading")
        _ = reduce(&s, .callsPageLoaded(Page(items: Self.manyCalls(50, from: 50), next: nil), replacing: false))
        #expect(s.calls.list.items.count == 100 && s.calls.list.cursor == 49)
        #expect(press(&s, .char("G")).isEmpty, "no next page: no request")
    }

    @Test func firstPageNeverRequestsAllPages() {
        var s = AppState(environment: Fixtures.env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .usersLoaded([Fixtures.rita]))
        let effects = reduce(&s, .callsPageLoaded(Page(items: Self.manyCalls(50), next: "/calls?next"), replacing: true))
        #expect(effects.isEmpty)
    }

    @Test func filterNarrowsAndEscClears() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("/"))
        type(&s, "王")
        #expect(s.calls.list.matches == [1])
        #expect(s.selectedCall?.id == "call-2")
        press(&s, .backspace)
        type(&s, "voicemail")  // disposition name
        #expect(s.calls.list.matches == [1])
        press(&s, .ctrl("u"))
        type(&s, "deck")  // notes
        #expect(s.calls.list.matches == [0])
        press(&s, .ctrl("u"))
        type(&s, "7946")  // number
        #expect(s.selectedCall?.id == "call-5")
        press(&s, .enter)
        #expect(!s.calls.list.isEditingFilter && s.calls.list.matches == [4])
        press(&s, .char("j"))  // keys work on the filtered list
        #expect(s.calls.list.cursor == 0)
        press(&s, .escape)
        #expect(s.calls.list.matches == nil && s.calls.list.filter.isEmpty)
    }

    @Test func copyKeys() {
        var s = Fixtures.ready()
        press(&s, .char("2"))
        #expect(press(&s, .char("y")) == [.terminal(.copyToClipboard("+351 912 345 678"))])
        #expect(press(&s, .char("Y")) == [.terminal(.copyToClipboard("call-1"))])
        press(&s, .char("G"))
        #expect(press(&s, .char("Y")) == [.terminal(.copyToClipboard("https://rec.example.com/r/5.mp3"))])
        _ = reduce(&s, .clipboardSent(description: "the number"))
        #expect(s.session.status?.text == "Copied the number")
    }

    @Test func recordingDownloadOrURL() {
        var calls = Fixtures.calls
        calls[3].recordingURL = "https://api.example/rec/4"
        var s = Fixtures.ready(calls: calls)
        press(&s, .char("2"), .char("j"), .char("j"), .char("j"))  // call-4: not external, with a recording
        #expect(press(&s, .char("r")) == [.io(.downloadRecording(callID: "call-4", path: "/home/rita/calls/call-call-4.mp3"))])
        press(&s, .char("j"))  // call-5: external with a URL
        #expect(press(&s, .char("r")).isEmpty)
        #expect(s.session.status?.text.contains("https://rec.example.com/r/5.mp3") == true)
    }

    @Test func quitAsksOnlyWithADraft() {
        var s = Fixtures.ready()
        #expect(press(&s, .char("q")) == [.terminal(.quit)])
        press(&s, .enter)
        type(&s, "+1 2")
        press(&s, .escape)
        #expect(s.logForm.keptDraft != nil)
        #expect(press(&s, .char("q")).isEmpty)
        #expect(s.modal == .confirm(.quit))
        #expect(press(&s, .char("n")).isEmpty && s.modal == nil)
        press(&s, .char("q"))
        #expect(press(&s, .char("y")) == [.terminal(.quit)])
    }

    @Test func helpAndRepaint() {
        var s = Fixtures.ready()
        press(&s, .char("?"))
        #expect(s.modal == .help)
        press(&s, .char("x"))
        #expect(s.modal == nil)
        #expect(press(&s, .ctrl("l")) == [.terminal(.repaint)])
    }

    @Test func refreshReloadsTheCurrentTab() {
        var s = Fixtures.ready()
        #expect(press(&s, .char("R")) == [.io(.load(.tasks(TaskListQuery(userID: "u-1", type: "phone_call", status: "scheduled"))))])
        press(&s, .char("2"))
        #expect(press(&s, .char("R")) == [.io(.load(.calls(CallListQuery(pageSize: 50, userID: "u-1"))))])
    }

    @Test func outboxEditAndDiscard() {
        var s = Fixtures.ready()
        let req = LogCallRequest(from: "+1 555 0100", to: "+351 1", duration: 95, answered: true, human: false,
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
        guard case .io(.submitLog(let id, let r, _))? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        #expect(id == "a" && r == req)
    }

    @Test func narrowDetailOpensAndEscBacksOut() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .enter)
        #expect(s.calls.detail.isOpen)
        press(&s, .escape)
        #expect(!s.calls.detail.isOpen)
    }
}

@Suite struct LogFormTests {
    init() { useUTF8Locale() }

    /// The keystroke path of the brief from the Tasks tab: `1`, Enter, (to), Tab, Tab, (duration), Tab, Enter,
    /// `2`, Ctrl-S: 8 keys besides the typed number and duration, and exactly this request.
    @Test func eightKeystrokesFromATask() {
        var s = Fixtures.ready()
        var keys = 0
        var effects: [Effect] = []
        func key(_ k: Key) { keys += 1; effects += reduce(&s, .key(k)) }
        key(.char("1"))
        key(.enter)
        #expect(s.logForm.form?.focus == .to)
        #expect(effects.contains(.io(.load(.contactCalls(contactID: "c-bruno", userID: "u-1")))))
        effects += type(&s, "+351 912 000 111")
        key(.tab)
        key(.tab)
        effects += type(&s, "1:35")
        key(.tab)
        key(.enter)
        key(.char("2"))
        key(.ctrl("s"))
        #expect(keys <= 8)
        let expected = LogCallRequest(from: "+1 555 0100", to: "+351 912 000 111", duration: 95, answered: false,
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
        #expect(s.logForm.form?.fields[.from]?.text == "+1 555 0100")
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

    @Test func requiredFieldsAndDurationValidation() {
        var s = Fixtures.ready()
        press(&s, .enter)
        _ = reduce(&s, .key(.ctrl("s")))
        #expect(s.logForm.form?.errors[.to] != nil)
        #expect(s.logForm.form?.errors[.duration] != nil)
        #expect(s.logForm.form?.errors[.from] == nil)  // prefilled
        #expect(s.logForm.form?.focus == .to)
        type(&s, "+1 234")
        #expect(s.logForm.form?.errors[.to] == nil, "typing clears the field's error")
        press(&s, .tab, .ctrl("u"))  // empty From
        press(&s, .tab)
        type(&s, "-5")
        #expect(press(&s, .ctrl("s")).isEmpty)
        #expect(s.logForm.form?.errors[.from] != nil)
        #expect(s.logForm.form?.errors[.duration]?.contains("not a duration") == true)
        #expect(s.logForm.form?.focus == .from)
    }

    @Test(arguments: [("95", 95), ("1:35", 95), ("1m35s", 95)])
    func durationsReachTheRequest(_ typed: String, _ seconds: Int) {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, typed)
        let effects = press(&s, .ctrl("s"))
        guard case .io(.submitLog(_, let r, _))? = effects.first else { Issue.record("not sent: \(effects)"); return }
        #expect(r.duration == seconds)
        #expect(r.answered && r.human && r.dispositionID == nil && r.notes == nil)
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

    @Test func notesNotStoredIsSaidPlainly() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "10")
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
        guard case .io(.submitLog(let id, _, _))? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        _ = reduce(&s, .logFailed(localID: id, failure: APIFailure(kind: .uncertain, message: "timed out")))
        #expect(s.logForm.form == nil)
        #expect(s.session.status?.isError == true && s.session.status?.text.contains("Outbox") == true)
    }

    @Test func aLogThatCouldNotBeStoredComesBackToTheForm() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)
        type(&s, "95")
        guard case .io(.submitLog(let id, _, _))? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        _ = reduce(&s, .logFailed(localID: id, failure: APIFailure(kind: .configuration, message: "disk full")))
        #expect(s.logForm.form?.fields[.duration]?.text == "95")
        #expect(s.session.status?.isError == true)
    }

    @Test func pickerFilterDigitsAndEsc() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter, .tab, .enter)
        guard case .dispositionPicker? = s.modal else { Issue.record("no picker"); return }
        press(&s, .escape)
        #expect(s.modal == nil && s.logForm.form?.base.dispositionID == nil && s.logForm.form?.focus == .disposition)
        press(&s, .enter, .char("j"), .char("j"), .char("k"))
        guard case .dispositionPicker(let p)? = s.modal else { Issue.record("no picker"); return }
        #expect(p.cursor == 1)
        type(&s, "vo")  // filter: letters now filter instead of moving
        guard case .dispositionPicker(let q)? = s.modal else { Issue.record("no picker"); return }
        #expect(q.filter == "vo" && PickerState.dispositions(s.session.dispositions.list, matching: q.filter).map(\.id) == ["d-vm"])
        press(&s, .char("1"))
        #expect(s.modal == nil && s.logForm.form?.base.dispositionID == "d-vm")
        #expect(s.logForm.form?.base.answered == true && s.logForm.form?.base.human == false)  // voicemail defaults
        #expect(s.logForm.form?.focus == .duration, "focus moves on to the first empty required field")
        press(&s, .tab, .enter, .char("9"))  // no 9th disposition: nothing happens
        #expect(s.modal != nil)
        press(&s, .char("3"))
        #expect(s.logForm.form?.base.dispositionID == "d-na" && s.logForm.form?.base.answered == false && s.logForm.form?.base.human == false)
    }

    @Test func togglesAndEditorHandOff() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter, .tab, .tab, .tab)
        #expect(s.logForm.form?.focus == .human)
        press(&s, .char(" "))
        #expect(s.logForm.form?.base.human == false && s.logForm.form?.base.answered == true)
        press(&s, .up, .char(" "))
        #expect(s.logForm.form?.base.answered == false)
        press(&s, .down, .down)
        #expect(s.logForm.form?.focus == .notes)
        type(&s, "draft")
        #expect(press(&s, .ctrl("e")) == [.terminal(.openEditor(field: .notes, text: "draft"))])
        _ = reduce(&s, .editorFinished(field: .notes, text: "line 1\nline 2\n"))
        #expect(s.logForm.form?.fields[.notes]?.text == "line 1\nline 2")
        _ = reduce(&s, .editorFinished(field: .notes, text: nil))
        #expect(s.logForm.form?.fields[.notes]?.text == "line 1\nline 2" && s.session.status?.isError == true)
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
        #expect(s.modal == .confirm(.replaceDraft(s.modal.flatMap { if case .confirm(.replaceDraft(let d)) = $0 { d } else { nil } }!)))
        let effects = press(&s, .char("y"))
        #expect(effects.first == .io(.clearDraft))
        #expect(s.logForm.form?.base.taskID == "t-1")
    }

    @Test func restoredDraftOpensTheForm() {
        var s = Fixtures.ready()
        let draft = LogDraft(localID: "log-1", taskID: "t-2", userID: "u-1", contactName: "王小明", to: "+86 1",
                             from: "+1 555", duration: "1:00")
        _ = reduce(&s, .draftRestored(draft))
        #expect(s.logForm.form?.draft == draft)
        guard case .io(.submitLog(let id, let r, _))? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        #expect(id == "log-1" && r.duration == 60 && r.taskID == "t-2")
    }

    @Test func readlineKeysInAFormField() {
        var s = Fixtures.ready()
        press(&s, .enter)
        type(&s, "+1 555 0100 ext")
        press(&s, .ctrl("w"))
        #expect(s.logForm.form?.fields[.to]?.text == "+1 555 0100 ")
        press(&s, .ctrl("a"), .alt("f"), .alt("d"))
        #expect(s.logForm.form?.fields[.to]?.text == "+1 0100 ")
        press(&s, .ctrl("e"), .backspace, .ctrl("y"))
        #expect(s.logForm.form?.fields[.to]?.text == "+1 0100 555")
        press(&s, .paste("\n22"))
        #expect(s.logForm.form?.fields[.to]?.text == "+1 0100 555 22")
    }
}

// Key → frame time with 100 000 calls is measured by `dispo-bench` (docs/performance.md), not here:
// timed unit tests flake on shared machines.

