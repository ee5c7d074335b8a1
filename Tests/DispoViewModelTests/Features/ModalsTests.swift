import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// What is drawn over the screen: the disposition and user pickers, confirmations, the help overlay.
@Suite("Modals") struct ModalsTests: SnapshotSuite {
    init() { useUTF8Locale() }

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

    @Test func dispositionPicker() {
        var s = Fixtures.ready()
        press(&s, .enter, .tab, .tab, .tab, .enter)  // To → From → Duration → Disposition, Enter opens the picker
        shot(s, "Modals/picker")
        type(&s, "in")
        shot(s, "Modals/picker-filtered")
    }

    @Test func userPicker() {
        var env = Fixtures.env
        env.configuredUserEmail = "nobody@acme.test"
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Self.small))
        _ = reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam]))
        assertSnapshot(render(s, size: Self.small, options: options), "Modals/user-picker-80x24")
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

    @Test func completeConfirmation() {
        var s = Fixtures.ready()
        press(&s, .enter)
        type(&s, "+351 912 000 111")
        press(&s, .tab, .tab)
        type(&s, "95")
        press(&s, .tab, .enter, .char("6"), .ctrl("s"))
        assertSnapshot(render(s, size: Self.small, options: options), "Modals/confirm-complete-80x24")
    }

    @Test func helpAndRepaint() {
        var s = Fixtures.ready()
        press(&s, .char("?"))
        #expect(s.modal == .help(top: 0))
        press(&s, .char("x"))
        #expect(s.modal == nil)
        #expect(press(&s, .ctrl("l")) == [.terminal(.repaint)])
    }

    @Test func asciiHelpHasNoUnicodeArrows() {
        var s = Fixtures.ready()
        press(&s, .enter, .function(1))
        let text = gridText(render(s, size: s.size, options: RenderOptions(unicode: false, colors: false)))
        #expect(text.contains("Tab Down / S-Tab Up"))
        #expect(!text.contains("?"), "no unrenderable glyph became ?")
    }

    @Test func help() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("?"))
        shot(s, "Modals/help-calls")
    }

    /// A letter bound to help is typed into the user picker's filter (names hold letters); `?` and F1
    /// still only say where help is.
    @Test func theUserPickerTakesALetterBoundToHelp() throws {
        var env = Fixtures.env
        env.configuredUserEmail = nil
        env.keymap = try Keymap(overrides: ["help": ["h"]])
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam, User(id: "u-3", name: "Hana Hill", email: "hana@acme.test")]))
        type(&s, "hana")
        guard case .userPicker(let p)? = s.modal else { Issue.record("no picker"); return }
        #expect(p.filter == "hana")
        press(&s, .function(1))
        guard case .userPicker(let q)? = s.modal else { Issue.record("no picker"); return }
        #expect(q.filter == "hana" && s.session.status?.text.hasPrefix("Help (F1) opens") == true)
    }

    /// Help that does not fit says how many keys are below and how to scroll to them.
    @Test func helpThatDoesNotFitSaysSo() {
        var s = Fixtures.ready(size: Size(cols: 60, rows: 16))
        press(&s, .char("2"), .char("?"))
        let text = screen(s, Size(cols: 60, rows: 16))
        #expect(text.contains("more below: j/k, PgUp/PgDn scroll"), "\(text)")
        var tallState = s
        _ = reduce(&tallState, .resize(Size(cols: 80, rows: 40)))
        #expect(!screen(tallState, Size(cols: 80, rows: 40)).contains("more below"))
    }
}
