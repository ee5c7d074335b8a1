import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// A queue timed around `fixtureNow` (Sat 2025-11-29 11:00 in New York): overdue by days and by hours,
/// due later today (up to 23:59), due at midnight (tomorrow), automatic, and a completed task.
enum Queue {
    /// `2025-11-29T09:00` in New York, shifted by `hours`.
    static func ny(_ day: Int, _ hour: Int, _ minute: Int = 0, month: Int = 11) -> Date {
        var c = DateComponents(year: 2025, month: month, day: day, hour: hour, minute: minute)
        c.timeZone = TimeZone(identifier: "America/New_York")
        return Calendar(identifier: .gregorian).date(from: c)!
    }

    static func task(_ id: String, _ due: Date?, contact: Contact?, automatic: Bool = false, status: String = "scheduled",
                     sequence: String? = "Q4 Outbound") -> TaskRecord {
        TaskRecord(id: id, automatic: automatic, type: "phone_call", status: status, dueOn: due, sequenceName: sequence,
                   userID: "u-1", contact: contact)
    }

    static let ana = Fixtures.ana  // her last number is known from call-1
    static let tasks: [TaskRecord] = [
        // Server order is not queue order: the list sorts.
        task("q-later-auto", ny(1, 9, month: 12), contact: Fixtures.zoe, automatic: true),
        task("q-today", ny(29, 14, 30), contact: ana),
        task("q-days", ny(27, 14), contact: Fixtures.bruno),
        task("q-hours", ny(29, 9), contact: Fixtures.wang),
        task("q-2359", ny(29, 23, 59), contact: Fixtures.rtl),
        task("q-midnight", ny(30, 0), contact: Contact(id: "c-mid", name: "Mia Midnight", email: nil)),
    ]

    static func ready(size: Size = Size(cols: 80, rows: 24), advance: Bool = true) -> AppState {
        var s = Fixtures.ready(size: size, tasks: tasks)
        s.environment.advance = advance
        return s
    }

    static func ids(_ s: AppState) -> [String] { s.tasks.list.items.map(\.id) }
}

@Suite("Tasks as a queue") struct TaskQueueTests: SnapshotSuite {
    init() { useUTF8Locale() }

    // MARK: Grouping and order

    @Test func rowsAreInQueueOrderUnderTheirHeadingsInTheRepsZone() {
        let s = Queue.ready()
        #expect(Queue.ids(s) == ["q-days", "q-hours", "q-today", "q-2359", "q-midnight", "q-later-auto"])
        let clock = QueueClock(now: s.environment.now, zone: s.environment.timeZone)
        let sections = s.tasks.list.items.map { TaskSection.of($0, clock) }
        #expect(sections == [.overdue, .overdue, .today, .today, .later, .later], "23:59 is today, midnight is tomorrow")
        #expect(s.tasks.sections == [.overdue: 2, .today: 2, .later: 2])
        let text = screen(s)
        #expect(text.contains(" Overdue · 2") && text.contains(" Today · 2") && text.contains(" Later · 2"))
        // Due times in the rep's zone: a day ago and more as weekday or date, today as the time.
        #expect(text.contains("!Thu 14:00") && text.contains("!09:00") && text.contains(" 14:30") && text.contains(" Sun 00:00"))
    }

    @Test func theSameTasksGroupByTheRepsOwnDay() {
        var s = Queue.ready()
        // In Tokyo it is already Sun 01:00: Mia's midnight-in-New-York task (14:00 Tokyo) is today there.
        s.environment.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        _ = reduce(&s, .tasksPageLoaded(Page(items: Queue.tasks, next: nil), replacing: true))
        let clock = QueueClock(now: s.environment.now, zone: s.environment.timeZone)
        let mid = s.tasks.list.items.first { $0.id == "q-midnight" }!
        #expect(TaskSection.of(mid, clock) == .today)
        let late = s.tasks.list.items.first { $0.id == "q-2359" }!
        #expect(TaskSection.of(late, clock) == .today, "13:59 Sunday in Tokyo")
    }

    @Test func headingsMoveAsTheClockPasses() {
        var s = Queue.ready()
        #expect(s.tasks.sections[.overdue] == 2)
        _ = reduce(&s, .tick(Queue.ny(29, 14, 31)))  // 14:30 has passed
        #expect(s.tasks.sections[.overdue] == 3 && s.tasks.sections[.today] == 1)
    }

    @Test func theCursorStaysVisibleUnderHeadingsAtTheBottom() {
        var s = Fixtures.ready(size: Size(cols: 80, rows: 24), tasks: (0..<40).map {
            Queue.task("n\($0)", Queue.ny(29, 12).addingTimeInterval(Double($0) * 86_400 / 4), contact: Fixtures.ana)
        })
        for _ in 0..<25 { press(&s, .char("j")) }
        let lines = screen(s).split(separator: "\n").dropFirst(3).dropLast(2)
        #expect(lines.contains { $0.hasPrefix("▸") }, "the selected row is drawn")
    }

    // MARK: Complete and skip

    @Test func completeAsksThenSendsOnceAndTheNextTaskIsSelected() {
        var s = Queue.ready()
        #expect(press(&s, .char("c")).isEmpty)
        guard case .confirm(.completeTask(let t))? = s.modal else { Issue.record("no question: \(String(describing: s.modal))"); return }
        #expect(t.id == "q-days")
        #expect(screen(s).contains("Complete the task for Bruno Costa"))
        #expect(press(&s, .char("y")) == [.io(.changeTask(taskID: "q-days", change: .complete(lead: false)))])
        #expect(s.tasks.changing["q-days"] != nil && screen(s).contains("completing"))
        _ = reduce(&s, .taskChanged(taskID: "q-days", change: .complete(lead: false)))
        #expect(!Queue.ids(s).contains("q-days") && s.selectedTask?.id == "q-hours")
        #expect(s.session.status?.text.contains("is completed") == true)
    }

    @Test func lCompletesTheSequenceLeadToo() {
        var s = Queue.ready()
        press(&s, .char("c"))
        #expect(press(&s, .char("l")) == [.io(.changeTask(taskID: "q-days", change: .complete(lead: true)))])
    }

    @Test func skipAsksThenSendsAndNoMeansNothing() {
        var s = Queue.ready()
        press(&s, .char("j"))
        press(&s, .char("s"))
        #expect(s.modal == .confirm(.skipTask(Queue.tasks[3])))
        #expect(press(&s, .char("n")).isEmpty && s.modal == nil)
        press(&s, .char("s"))
        #expect(press(&s, .char("y")) == [.io(.changeTask(taskID: "q-hours", change: .skip))])
        _ = reduce(&s, .taskChanged(taskID: "q-hours", change: .skip))
        #expect(s.selectedTask?.id == "q-today")
    }

    @Test func aRefusedChangeKeepsTheTaskAndSaysTheServersWords() {
        var s = Queue.ready()
        press(&s, .char("c"), .char("y"))
        _ = reduce(&s, .taskChangeFailed(taskID: "q-days", change: .complete(lead: false),
                                         failure: APIFailure(kind: .validation, message: "Task is not eligible for completion")))
        #expect(Queue.ids(s).contains("q-days") && s.tasks.changing.isEmpty)
        #expect(s.session.status?.isError == true && s.session.status?.text.contains("Task is not eligible for completion") == true)
    }

    @Test func ineligibleTasksSendNothing() {
        var s = Queue.ready()
        press(&s, .char("G"))
        #expect(s.selectedTask?.automatic == true)
        #expect(press(&s, .char("c")).isEmpty && press(&s, .char("s")).isEmpty && s.modal == nil)
        #expect(s.session.status?.text.contains("automatic") == true && s.session.status?.text.contains("Not sent") == true)
        var done = Fixtures.ready(tasks: [Queue.task("q-done", Queue.ny(20, 9), contact: Queue.ana, status: "completed")])
        done.tasks.filter.completed = true
        _ = reduce(&done, .tasksPageLoaded(Page(items: [Queue.task("q-done", Queue.ny(20, 9), contact: Queue.ana, status: "completed")],
                                                next: nil), replacing: true))
        #expect(done.tasks.list.count == 1)
        #expect(press(&done, .char("c")).isEmpty && done.modal == nil)
        #expect(done.session.status?.text.contains("already completed") == true)
    }

    // MARK: Quick outcomes and moving on

    @Test func noAnswerIsTwoKeysAndLandsOnTheNextTask() {
        var s = Queue.ready()
        press(&s, .char("j"), .char("j"))  // Ana: her number is known from an earlier call
        #expect(s.selectedTask?.id == "q-today")
        #expect(press(&s, .char("n")).isEmpty)
        let form = s.logForm.form!
        #expect(form.base.dispositionID == "d-na" && form.base.answered == false && form.base.human == false)
        #expect(form.fields[.duration]?.text == "0" && form.fields[.to]?.text == "+351 912 345 678")
        #expect(!form.isChanged, "the fill is the form's pre-fill: Esc leaves no draft")
        let effects = press(&s, .ctrl("s"))
        guard case .io(.submitLog(_, let request, _))? = effects.first else { Issue.record("not sent: \(effects)"); return }
        #expect(request.dispositionID == "d-na" && request.duration == 0 && !request.answered && request.taskID == "q-today")
        #expect(s.logForm.form == nil && s.selectedTask?.id == "q-2359", "on the next task")
    }

    @Test func withAdvanceOffTheCursorStays() {
        var s = Queue.ready(advance: false)
        press(&s, .char("j"), .char("j"), .char("n"), .ctrl("s"))
        #expect(s.selectedTask?.id == "q-today")
    }

    @Test func voicemailAndBusyFillTheirOutcome() {
        var s = Queue.ready()
        press(&s, .char("j"), .char("j"), .char("v"))
        var form = s.logForm.form!
        #expect(form.base.dispositionID == "d-vm" && form.base.answered == true && form.base.human == false)
        #expect(form.fields[.duration]?.text == "" && form.focus == .duration, "a voicemail's length is the rep's to type")
        press(&s, .escape)
        #expect(s.logForm.keptDraft == nil)
        press(&s, .char("b"))
        form = s.logForm.form!
        #expect(form.base.dispositionID == "d-busy" && form.base.answered == false && form.fields[.duration]?.text == "0")
    }

    /// A draft kept for another task: `n` asks before replacing it, and `y` opens the form filled with the
    /// outcome, as `n` does with no draft kept; `n` to the question keeps the draft and opens nothing.
    @Test func aQuickOutcomeOverAKeptDraftFillsTheFormOnceTheRepAgrees() {
        var s = Queue.ready()
        press(&s, .enter)  // the first task's form, then a typed number and Esc: a draft is kept
        type(&s, "+1 999")
        press(&s, .escape)
        let kept = s.logForm.keptDraft
        #expect(kept?.to == "+1 999")
        press(&s, .char("j"), .char("j"))  // Ana's task
        #expect(s.selectedTask?.id == "q-today")
        press(&s, .char("n"))
        guard case .confirm(.replaceDraft(_, then: .noAnswer))? = s.modal else {
            Issue.record("no question carrying the outcome: \(String(describing: s.modal))"); return
        }
        press(&s, .char("n"))
        #expect(s.modal == nil && s.logForm.form == nil && s.logForm.keptDraft == kept, "no keeps the draft")
        press(&s, .char("n"))
        let effects = press(&s, .char("y"))
        #expect(effects.first == .io(.clearDraft))
        let form = s.logForm.form!
        #expect(form.base.taskID == "q-today" && form.base.dispositionID == "d-na" && form.base.answered == false)
        #expect(form.fields[.duration]?.text == "0" && form.fields[.to]?.text == "+351 912 345 678")
        #expect(!form.isChanged, "the fill is the form's pre-fill, as without a kept draft")
        let sent = press(&s, .ctrl("s"))
        guard case .io(.submitLog(_, let request, _))? = sent.first else { Issue.record("not sent: \(sent)"); return }
        #expect(request.dispositionID == "d-na" && request.duration == 0 && request.taskID == "q-today")
    }

    @Test func aRunningTimerGivesTheDuration() {
        var s = Queue.ready()
        press(&s, .char("j"), .char("j"), .enter, .ctrl("t"), .escape)  // a timer started for the call
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(7)))
        press(&s, .char("n"))
        #expect(s.logForm.form?.fields[.duration]?.text == "", "the timer fills it when the log is sent")
    }

    @Test func theSelectedContactsNumberIsLookedUpBeforeTheRepAsks() {
        var s = Fixtures.ready(tasks: [])
        let bruno = Queue.task("b", Queue.ny(29, 9), contact: Fixtures.bruno)  // no call to him is loaded
        let effects = reduce(&s, .tasksPageLoaded(Page(items: [bruno, Queue.task("a", Queue.ny(29, 10), contact: Queue.ana)], next: nil),
                                                  replacing: true))
        #expect(effects.contains(.io(.load(.contactCalls(contactID: "c-bruno", userID: "u-1")))))
        #expect(!press(&s, .char("j"), .char("k")).contains { if case .io(.load(.contactCalls)) = $0 { true } else { false } },
                "once per contact, and none for Ana, whose number is known")
        let earlier = Call(id: "old", from: "+351 21 340 0100", to: "+351 912 000 111", duration: 5, answered: false, human: false,
                           taskID: "b", userID: "u-1", contact: Fixtures.bruno, startDate: fixtureNow.addingTimeInterval(-86_400))
        _ = reduce(&s, .contactCallsLoaded(contactID: "c-bruno", calls: [earlier]))
        press(&s, .char("n"))
        #expect(s.logForm.form?.fields[.to]?.text == "+351 912 000 111", "n then Ctrl-S finds the number filled in")
    }

    @Test func quickOutcomesFindDispositionsByNameOrSayTheWorkspaceHasNone() {
        var s = Queue.ready()
        _ = reduce(&s, .dispositionsLoaded([Disposition(id: "x-na", name: "No Answer", slug: nil, action: .nextStage),
                                            Disposition(id: "x-int", name: "Interested", slug: "interested", action: .complete)]))
        press(&s, .char("n"))
        #expect(s.logForm.form?.base.dispositionID == "x-na", "found by name")
        press(&s, .escape)
        #expect(press(&s, .char("b")).isEmpty && s.logForm.form == nil)
        #expect(s.session.status?.text.contains("no \u{201C}Busy\u{201D} disposition") == true, "\(s.session.status?.text ?? "")")
    }

    @Test func lastCallShowsOnKeptOpenTasks() {
        var s = Queue.ready()
        press(&s, .char("j"), .char("j"), .char("n"), .ctrl("s"))
        let localID = s.logForm.submitted.keys.first!
        let call = Call(id: "new-call", from: "+1 650 555 0100", to: "+351912345678", duration: 0, answered: false, human: false,
                        dispositionID: "d-na", taskID: "q-today", userID: "u-1", contact: Queue.ana, startDate: fixtureNow)
        _ = reduce(&s, .logSent(localID: localID, call: call, notesStored: true))
        let row = screen(s).split(separator: "\n").first { $0.contains("Ana Lima") }.map(String.init) ?? ""
        #expect(row.contains("11:00 No answer"), "\(row)")
    }

    // MARK: Call backs

    static func callBack(_ id: String, due: Date, note: String? = nil) -> CallBack {
        CallBack(id: id, taskID: "q-today", contact: Queue.ana, number: "+351912345678", sequenceName: "Q4 Outbound",
                 due: due, note: note, createdAt: fixtureNow.addingTimeInterval(-3600))
    }

    @Test func callBacksHeadTheQueueDueOnesFirstAndMarked() {
        var s = Queue.ready()
        _ = reduce(&s, .callBacksLoaded([Self.callBack("later", due: Queue.ny(2, 10, month: 12), note: "send pricing"),
                                         Self.callBack("due", due: Queue.ny(29, 10, 30), note: "asked for Tuesday")]))
        #expect(Array(Queue.ids(s).prefix(2)) == ["callback:due", "callback:later"])
        let text = screen(s)
        #expect(text.contains(" Callbacks · 2") && text.contains("!10:30") && text.contains("asked for Tuesday"))
        #expect(s.tasks.list.cursor == 0)
    }

    @Test func enterOnACallBackLogsItsTaskAndTheCallBackIsDone() {
        var s = Queue.ready()
        _ = reduce(&s, .callBacksLoaded([Self.callBack("cb1", due: Queue.ny(29, 10, 30))]))
        press(&s, .enter)
        #expect(s.logForm.form?.base.taskID == "q-today" && s.logForm.form?.base.callBackID == "cb1")
        personAnswered(&s)
        while s.logForm.form?.focus != .duration { press(&s, .tab) }
        type(&s, "95")
        let effects = press(&s, .ctrl("s"))
        #expect(effects.contains(.io(.removeCallBack(id: "cb1"))), "\(effects)")
        #expect(!Queue.ids(s).contains("callback:cb1"))
    }

    @Test func xDismissesACallBackAfterAsking() {
        var s = Queue.ready()
        _ = reduce(&s, .callBacksLoaded([Self.callBack("cb1", due: Queue.ny(29, 10, 30))]))
        press(&s, .char("x"))
        #expect(s.modal == .confirm(.dismissCallBack(Self.callBack("cb1", due: Queue.ny(29, 10, 30)))))
        #expect(press(&s, .char("y")) == [.io(.removeCallBack(id: "cb1"))])
        #expect(!Queue.ids(s).contains("callback:cb1"))
        press(&s, .char("x"))
        #expect(s.modal == nil && s.session.status?.text.contains("skipped with s") == true, "x on a task explains")
    }

    @Test func theFormsCallBackFieldKeepsACallBack() {
        var s = Queue.ready()
        press(&s, .char("j"), .char("j"), .char("n"))
        while s.logForm.form?.focus != .callBack { press(&s, .tab) }
        type(&s, "soon")
        #expect(press(&s, .ctrl("s")).isEmpty)
        #expect(s.logForm.form?.errors[.callBack]?.contains("not a time dispo reads") == true)
        press(&s, .ctrl("u"))
        while !(s.logForm.form?.fields[.callBack]?.isEmpty ?? true) { press(&s, .backspace) }
        type(&s, "+2h")
        let effects = press(&s, .ctrl("s"))
        let saved = effects.compactMap { e -> CallBack? in if case .io(.saveCallBack(let c)) = e { return c }; return nil }
        #expect(saved.count == 1 && saved.first?.due == fixtureNow.addingTimeInterval(7200) && saved.first?.taskID == "q-today")
        #expect(saved.first?.number == "+351912345678" && saved.first?.contact?.name == "Ana Lima")
        #expect(Queue.ids(s).first == saved.first.map { "callback:" + $0.id })
    }

    // MARK: Paging

    @Test func gLoadsToTheRealEnd() {
        var s = Fixtures.ready(tasks: [])
        let first = (0..<30).map { Queue.task("p\($0)", Queue.ny(29, 12).addingTimeInterval(Double($0) * 3600), contact: Queue.ana) }
        _ = reduce(&s, .tasksPageLoaded(Page(items: first, next: "/tasks?page[after]=p29"), replacing: true))
        let effects = press(&s, .char("G"))
        #expect(effects == [.io(.load(.tasksPage(href: "/tasks?page[after]=p29")))] && s.tasks.list.seekingEnd)
        #expect(screen(s).contains("loading to the end: 30 loaded"))
        let second = (30..<60).map { Queue.task("p\($0)", Queue.ny(29, 12).addingTimeInterval(Double($0) * 3600), contact: Queue.ana) }
        let more = reduce(&s, .tasksPageLoaded(Page(items: second, next: "/tasks?page[after]=p59"), replacing: false))
        #expect(more == [.io(.load(.tasksPage(href: "/tasks?page[after]=p59")))] && s.tasks.list.cursor == 59)
        _ = reduce(&s, .tasksPageLoaded(Page(items: [Queue.task("p60", Queue.ny(8, 9, month: 12), contact: Queue.ana)], next: nil),
                                        replacing: false))
        #expect(s.tasks.list.cursor == 60 && !s.tasks.list.seekingEnd && s.selectedTask?.id == "p60")
    }

    @Test func aTallWindowFetchesUntilItIsFull() {
        var s = Fixtures.ready(size: Size(cols: 160, rows: 48), tasks: [])
        let page = (0..<20).map { Queue.task("p\($0)", Queue.ny(29, 12).addingTimeInterval(Double($0) * 3600), contact: Queue.ana) }
        let effects = reduce(&s, .tasksPageLoaded(Page(items: page, next: "/tasks?page[after]=p19"), replacing: true))
        #expect(effects.first == .io(.load(.tasksPage(href: "/tasks?page[after]=p19"))), "20 rows do not fill 43")
    }

    // MARK: Filters

    @Test func callableNowAsksTheServerWithTheCallingHours() {
        var s = Queue.ready()
        s.environment.callingHours = CallingHours(startHour: 9, endHour: 17)
        press(&s, .char("f"), .char("c"))
        let effects = press(&s, .escape)
        #expect(effects == [.io(.load(.tasks(TaskListQuery(userID: "u-1", type: "phone_call", status: "scheduled",
                                                            contactLocalTimeFrom: 9, contactLocalTimeTo: 16))))])
        #expect(screen(s).contains("callable now"))
        press(&s, .char("f"), .char("d"))
        #expect(press(&s, .escape) == [.io(.load(.tasks(TaskListQuery(userID: "u-1", type: "phone_call", status: nil,
                                                                       contactLocalTimeFrom: 9, contactLocalTimeTo: 16))))])
        // Completed tasks are listed now, under their own heading; skipped ones were not asked for.
        _ = reduce(&s, .tasksPageLoaded(Page(items: Queue.tasks + [Queue.task("q-done", Queue.ny(20, 9), contact: Queue.ana, status: "completed"),
                                                                    Queue.task("q-skip", Queue.ny(20, 9), contact: Queue.ana, status: "skipped")],
                                             next: nil), replacing: true))
        #expect(Queue.ids(s).last == "q-done" && !Queue.ids(s).contains("q-skip"))
    }

    @Test func callingHoursReadTheConfigForm() throws {
        #expect(try CallingHours(parsing: "9-17").apiBounds == (9, 16))
        #expect(try CallingHours(parsing: "08:00 - 20:00").apiBounds == (8, 19))
        #expect(try CallingHours(parsing: "22-6").apiBounds == (22, 5))
        for bad in ["9", "9-9", "25-3", "nine-five", ""] {
            #expect(throws: CallingHoursError.self) { try CallingHours(parsing: bad) }
        }
    }

    // MARK: The contact's local time

    @Test func theServersContactHourIsAskedOnceAndShownAsAnHour() {
        var s = Fixtures.ready(tasks: [])
        let effects = reduce(&s, .tasksPageLoaded(Page(items: Queue.tasks, next: nil), replacing: true))
        #expect(effects.contains(.io(.load(.contactHours(userID: "u-1")))))
        #expect(!reduce(&s, .tasksPageLoaded(Page(items: Queue.tasks, next: nil), replacing: true))
            .contains(.io(.load(.contactHours(userID: "u-1")))), "once, not on every page")
        _ = reduce(&s, .contactHoursLoaded(["c-ana": 16], checkedAt: fixtureNow))
        press(&s, .char("j"), .char("j"))  // Ana: a Portuguese number (Portugal has three zones)
        let detail = screen(s, Size(cols: 120, rows: 40))
        #expect(detail.contains("Their time 16:00–16:59 at 11:00 (the hour the server"), "\(detail)")
        // Half an hour later a refresh asks again.
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(31 * 60)))
        #expect(reduce(&s, .tasksPageLoaded(Page(items: Queue.tasks, next: nil), replacing: true))
            .contains(.io(.load(.contactHours(userID: "u-1")))))
    }

    // MARK: Snapshots

    @Test func queueSnapshots() {
        var s = Queue.ready()
        _ = reduce(&s, .callBacksLoaded([Self.callBack("cb1", due: Queue.ny(29, 10, 30), note: "asked for Tuesday")]))
        for size in [Size(cols: 80, rows: 24), Size(cols: 160, rows: 48), Size(cols: 80, rows: 40)] {
            var t = s
            _ = reduce(&t, .resize(size))
            press(&t, .char("j"), .char("j"), .char("j"))  // Ana's task: a known number, a call loaded
            assertSnapshot(render(t, size: size, options: options), "Tasks/queue-\(size.cols)x\(size.rows)")
        }
        var narrow = s
        press(&narrow, .char("j"), .char("j"), .char("j"), .char("i"))
        assertSnapshot(render(narrow, size: narrow.size, options: options), "Tasks/task-detail-80x24")
        let noColor = render(s, size: s.size, options: RenderOptions(unicode: true, colors: false))
        #expect(noColor.cells.allSatisfy { $0.style.role == .normal })
        assertTextSnapshot(textAndStyles(noColor), "Tasks/no-color-queue-80x24")
        let ascii = render(s, size: s.size, options: RenderOptions(unicode: false, colors: false))
        #expect(gridText(ascii).contains("!Thu 14:00"), "the overdue mark is a character, not a colour")
    }
}

@Suite("Call-back times") struct CallBackTimeTests {
    static let zone = TimeZone(identifier: "America/New_York")!

    @Test(arguments: [
        ("tomorrow 10:00", Queue.ny(30, 10)),
        ("Tomorrow 9", Queue.ny(30, 9)),
        ("today 16:00", Queue.ny(29, 16)),
        ("tue 14:30", Queue.ny(2, 14, 30, month: 12)),
        ("tuesday 9:00", Queue.ny(2, 9, month: 12)),
        ("sat 10:00", Queue.ny(6, 10, month: 12)),  // today's 10:00 has passed: next Saturday
        ("sat 12:00", Queue.ny(29, 12)),
        ("fri", Queue.ny(5, 9, month: 12)),
        ("+2h", fixtureNow.addingTimeInterval(7200)),
        ("+30m", fixtureNow.addingTimeInterval(1800)),
        ("+3d", fixtureNow.addingTimeInterval(3 * 86_400)),
        ("2026-12-03 09:00", Queue.ny(3, 9, month: 12).addingTimeInterval(365 * 86_400)),
        ("15:00", Queue.ny(29, 15)),
        ("09:00", Queue.ny(30, 9)),
    ])
    func readsEachForm(_ text: String, _ expected: Date) {
        #expect(CallBackTime.parse(text, now: fixtureNow, timeZone: Self.zone) == .success(expected), "\(text)")
    }

    @Test(arguments: [
        ("", "no call-back time"),
        ("soon", "not a time dispo reads"),
        ("tomorrow 25:00", "not a time of day"),
        ("tue 9:7", "not a time of day"),
        ("2025-11-28 10:00", "already passed"),
        ("2025-02-30 10:00", "not a time dispo reads"),
        ("+0h", "not a time dispo reads"),
        ("+2x", "not a time dispo reads"),
        ("next week sometime", "not a time dispo reads"),
    ])
    func badInputSaysWhatIsWrong(_ text: String, _ message: String) {
        guard case .failure(let why) = CallBackTime.parse(text, now: fixtureNow, timeZone: Self.zone) else {
            Issue.record("accepted \(text)"); return
        }
        #expect(why.description.contains(message), "\(text): \(why)")
    }
}
