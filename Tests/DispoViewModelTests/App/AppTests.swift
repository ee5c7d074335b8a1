import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The root: keys go to what has focus; tabs, refresh and quit; a terminal below the minimum size; the hint
/// line cut to fit.
@Suite("App") struct AppTests {
    init() { useUTF8Locale() }

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

    @Test func refreshReloadsTheCurrentTab() {
        var s = Fixtures.ready()
        #expect(press(&s, .char("R")) == [.io(.load(.tasks(TaskListQuery(userID: "u-1", type: "phone_call", status: "scheduled"))))])
        press(&s, .char("2"))
        #expect(press(&s, .char("R")) == [.io(.load(.calls(CallListQuery(pageSize: 50, userID: "u-1"))))])
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
}
