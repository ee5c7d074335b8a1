import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Who answered is an outcome the rep or the disposition gives, never a default: what each disposition
/// sets, the contradictions marked and confirmed, the refusal with nothing chosen, `require_disposition`,
/// and a task already completed.
@Suite("Outcome rules") struct OutcomeRulesTests {
    /// Ana's form (numbers known) with a duration typed, focus on Duration's next field.
    private func anaForm(duration: String = "95", environment: AppEnvironment = Fixtures.env,
                         tasks: [TaskRecord] = Fixtures.tasks) -> AppState {
        useUTF8Locale()
        var s = Fixtures.ready(tasks: tasks)
        s.environment = environment
        press(&s, .char("j"), .enter)
        type(&s, duration)
        return s
    }

    private func pick(_ s: inout AppState, _ digit: Character) {
        while s.logForm.form?.focus != .disposition { press(&s, .tab) }
        press(&s, .enter, .char(digit))
    }

    private func outcome(_ s: AppState) -> (Bool?, Bool?) { (s.logForm.form?.base.answered, s.logForm.form?.base.human) }

    private func sent(_ effects: [Effect]) -> LogCallRequest? {
        for e in effects { if case .io(.submitLog(_, let r, _)) = e { return r } }
        return nil
    }

    @Test func aNewFormSaysNothingOfWhoAnswered() {
        let s = anaForm()
        #expect(outcome(s) == (nil, nil))
        let text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(text.contains("Answered       [?] not set") && text.contains("Human          [?] not set"))
    }

    @Test(arguments: [
        ("1", "d-vm", true, false),    // Left voicemail: a machine answered
        ("2", "d-busy", false, false), // Busy: not answered
        ("3", "d-na", false, false),   // No answer: not answered
        ("4", "d-wrong", true, true),  // Wrong number: a person said so
        ("5", "d-ni", true, true),     // Not interested
        ("6", "d-int", true, true),    // Interested
        ("7", "d-odd", true, true),    // Call back later: a person asked for it
    ] as [(Character, String, Bool, Bool)])
    func eachDefaultDispositionSetsWhoAnswered(_ digit: Character, _ id: String, _ answered: Bool, _ human: Bool) {
        var s = anaForm()
        pick(&s, digit)
        #expect(s.logForm.form?.base.dispositionID == id)
        #expect(outcome(s) == (answered, human))
    }

    @Test func aWorkspacesOwnNamesAreReadByTheirWordsAndAnUnknownOneSetsNothing() {
        let own = [
            Disposition(id: "o-msg", name: "Left message", slug: nil, action: .nextStage),
            Disposition(id: "o-gk", name: "Gatekeeper", slug: "gatekeeper", action: .nextStage),
            Disposition(id: "o-nurture", name: "Nurture", slug: "nurture", action: .nextStage),
            Disposition(id: "o-np", name: "No pick-up", slug: nil, action: .nextStage),
        ]
        #expect(own.map(\.impliedOutcome) == [.machine, .person, nil, .notAnswered])
        var s = anaForm()
        _ = reduce(&s, .dispositionsLoaded(own))
        press(&s, .tab)  // Disposition
        press(&s, .tab, .char("n"))  // Answered: no
        #expect(outcome(s) == (false, false))
        pick(&s, "3")  // Nurture says nothing: what the rep set stays
        #expect(s.logForm.form?.base.dispositionID == "o-nurture" && outcome(s) == (false, false))
        pick(&s, "2")  // Gatekeeper: a person
        #expect(outcome(s) == (true, true))
    }

    @Test func sendingWithNothingChosenIsRefusedOnThoseFields() {
        var s = anaForm()
        #expect(sent(press(&s, .ctrl("s"))) == nil)
        let form = try! #require(s.logForm.form)
        #expect(form.errors[.disposition] == "required: a disposition, or who answered below")
        #expect(form.errors[.answered] == "not set: y answered, n not answered")
        #expect(form.focus == .disposition && s.modal == nil)
        #expect(s.session.status?.text == "Fix the marked fields, then Ctrl-S.")
    }

    @Test func aDispositionThatSaysNothingNeedsWhoAnswered() {
        var s = anaForm()
        _ = reduce(&s, .dispositionsLoaded([Disposition(id: "o-nurture", name: "Nurture", slug: "nurture", action: .nextStage)]))
        pick(&s, "1")
        #expect(sent(press(&s, .ctrl("s"))) == nil)
        #expect(s.logForm.form?.errors[.answered] == "not set (the disposition does not say): y answered, n not")
        #expect(s.logForm.form?.errors[.disposition] == nil)
        press(&s, .char("y"))  // focus is on Answered
        #expect(sent(press(&s, .ctrl("s"))) == nil)
        #expect(s.logForm.form?.errors[.human] == "not set: y a person, n a machine (voicemail)")
        #expect(s.logForm.form?.focus == .human, "focus goes to the field to fix")
        press(&s, .char("n"))
        let r = try! #require(sent(press(&s, .ctrl("s"))))
        #expect(r.answered && !r.human && r.dispositionID == "o-nurture")
    }

    @Test func yesNoAndBackspaceSetAndUnsetTheToggles() {
        var s = anaForm()
        while s.logForm.form?.focus != .human { press(&s, .tab) }
        press(&s, .char("n"))
        #expect(outcome(s) == (nil, false), "a machine or no one: Answered still to say")
        press(&s, .backTab, .char("n"))
        #expect(outcome(s) == (false, false))
        press(&s, .tab, .char("y"))
        #expect(outcome(s) == (true, true), "a person answered means answered")
        press(&s, .backspace)
        #expect(outcome(s) == (true, nil))
    }

    @Test func noAnswerWithAPersonIsMarkedAndAskedBeforeSending() {
        var s = anaForm()
        pick(&s, "3")  // No answer
        while s.logForm.form?.focus != .human { press(&s, .tab) }
        press(&s, .char("y"))  // the rep says a person answered
        let clash = try! #require(s.logForm.form?.contradictions(s.session.dispositions).first)
        #expect(clash.field == .answered)
        #expect(clash.contradiction == .disposition(name: "No answer", says: .notAnswered, chosen: .person))
        let text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(text.contains("! No answer means not answered, but the log says a person… "))
        #expect(sent(press(&s, .ctrl("s"))) == nil)
        #expect(s.modal == .confirm(.sendContradicting(["No answer means not answered, but the log says a person answered"])))
        let question = gridText(render(s, size: Size(cols: 120, rows: 30), options: RenderOptions()))
        #expect(question.contains("Send anyway? y/n"))
        #expect(sent(press(&s, .char("n"))) == nil && s.logForm.form != nil && s.modal == nil)
        press(&s, .ctrl("s"))
        let r = try! #require(sent(press(&s, .char("y"))))
        #expect(r.answered && r.human && r.dispositionID == "d-na", "the rep confirmed what they chose")
    }

    @Test func voicemailWithAPersonIsMarkedOnHuman() {
        var s = anaForm()
        pick(&s, "1")
        while s.logForm.form?.focus != .human { press(&s, .tab) }
        press(&s, .char("y"))
        #expect(s.logForm.form?.contradictions(s.session.dispositions).map(\.field) == [.human])
    }

    @Test func notAnsweredForMoreThanTwoMinutesIsMarkedOnDuration() {
        var s = anaForm(duration: "3:00")
        while s.logForm.form?.focus != .answered { press(&s, .tab) }
        press(&s, .char("n"))
        let clashes = s.logForm.form!.contradictions(s.session.dispositions)
        #expect(clashes.map(\.field) == [.duration])
        #expect(clashes.first?.contradiction == .longUnanswered(seconds: 180))
        #expect(sent(press(&s, .ctrl("s"))) == nil)
        guard case .confirm(.sendContradicting(let concerns))? = s.modal else { Issue.record("not asked"); return }
        #expect(concerns == ["not answered, yet 180 s long (an unanswered call rings 2 min at most)"])
        // Two minutes exactly is not a contradiction.
        var t = anaForm(duration: "2:00")
        while t.logForm.form?.focus != .answered { press(&t, .tab) }
        press(&t, .char("n"))
        #expect(t.logForm.form!.contradictions(t.session.dispositions).isEmpty)
        #expect(sent(press(&t, .ctrl("s")))?.answered == false)
    }

    @Test func aContradictionAndACompletingDispositionAreOneQuestion() {
        var s = anaForm()
        pick(&s, "6")  // Interested: a person, completes the task
        while s.logForm.form?.focus != .answered { press(&s, .tab) }
        press(&s, .char("n"))
        press(&s, .ctrl("s"))
        guard case .confirm(.sendContradicting(let concerns))? = s.modal else { Issue.record("not asked"); return }
        #expect(concerns == ["Interested means a person answered, but the log says not answered",
                             "Interested completes the task and its sequence lead (cannot be undone here)"])
        #expect(sent(press(&s, .char("y")))?.dispositionID == "d-int", "one yes sends")
    }

    @Test func requireDispositionRefusesALogWithoutOne() {
        var env = Fixtures.env
        env.requireDisposition = true
        var s = anaForm(environment: env)
        personAnswered(&s)
        #expect(sent(press(&s, .ctrl("s"))) == nil)
        #expect(s.logForm.form?.errors[.disposition] == "required: your workspace asks for a disposition on every call")
        #expect(s.logForm.form?.errors[.answered] == nil)
        pick(&s, "1")
        #expect(sent(press(&s, .ctrl("s")))?.dispositionID == "d-vm")
        // Without the setting the same log goes without a disposition.
        var t = anaForm()
        personAnswered(&t)
        #expect(sent(press(&t, .ctrl("s")))?.dispositionID == nil)
    }

    @Test func aCompletedTaskIsSaidToStayCompletedAndNothingClaimsToCompleteIt() {
        // Ana's task left the Tasks tab (scheduled tasks only) when her call was logged as Interested,
        // which completes it; logging again from that call in the Calls tab:
        useUTF8Locale()
        var s = Fixtures.ready(tasks: Fixtures.tasks.filter { $0.id != "t-1" })
        press(&s, .char("2"), .char("l"))
        #expect(s.logForm.form?.base.taskID == "t-1")
        type(&s, "95")
        #expect(s.logForm.form?.base.taskIsCompleted == true)
        var text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(text.contains("This task is already completed: logging a call keeps it completed."))
        while s.logForm.form?.focus != .disposition { press(&s, .tab) }
        press(&s, .enter)
        text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(text.contains("Disposition (task already completed)"))
        #expect(!text.contains("completes task + lead") && text.contains("task stays completed"))
        press(&s, .char("6"))  // Interested
        text = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(text.contains("Interested – task stays completed"))
        #expect(sent(press(&s, .ctrl("s")))?.dispositionID == "d-int", "no question: it completes nothing")
        // On an open task the same disposition still asks.
        var t = anaForm()
        pick(&t, "6")
        #expect(sent(press(&t, .ctrl("s"))) == nil && t.modal == .confirm(.sendComplete))
    }
}
