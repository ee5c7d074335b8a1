import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The smallest window dispo draws in (60×16): messages end at a word, the help scrolls, columns share
/// the width by what they hold.
@Suite("Narrow windows") struct NarrowWindowTests {
    init() { useUTF8Locale() }

    static let narrow = Size(cols: 60, rows: 16)
    var options: RenderOptions { RenderOptions(unicode: true, colors: true) }

    func text(_ s: AppState) -> String { gridText(render(s, size: s.size, options: options)) }

    @Test func helpScrollsWhenItDoesNotFit() {
        var s = Fixtures.ready(size: Self.narrow)
        press(&s, .char("?"))
        let count = s.helpLines(s.context).count
        let page = HelpView.page(lineCount: count, size: Self.narrow)
        #expect(page < count, "the Tasks keys do not fit 16 rows")
        assertSnapshot(render(s, size: Self.narrow, options: options), "Modals/help-tasks-60x16")
        #expect(text(s).contains("more below"))
        #expect(text(s).contains("j/k PgUp/PgDn scroll  any other key closes help"))

        press(&s, .char("j"))
        #expect(s.modal == .help(top: 1))
        press(&s, .down, .down)
        #expect(s.modal == .help(top: 3))
        press(&s, .char("k"))
        #expect(s.modal == .help(top: 2))
        press(&s, .pageDown)
        #expect(s.modal == .help(top: min(2 + page, count - page)))
        press(&s, .char("G"))
        #expect(s.modal == .help(top: count - page))
        assertSnapshot(render(s, size: Self.narrow, options: options), "Modals/help-tasks-60x16-end")
        #expect(!text(s).contains("more below") && text(s).contains("above"))
        press(&s, .char("j"), .pageDown)
        #expect(s.modal == .help(top: count - page), "never past the last key")
        press(&s, .pageUp, .pageUp, .pageUp, .pageUp, .pageUp)
        #expect(s.modal == .help(top: 0), "never before the first")
        press(&s, .char("x"))
        #expect(s.modal == nil, "any other key closes it")
    }

    @Test func helpThatFitsClosesOnAnyKey() {
        var s = Fixtures.ready(size: Size(cols: 120, rows: 40))
        press(&s, .char("?"))
        #expect(!text(s).contains("more below"))
        press(&s, .char("j"))
        #expect(s.modal == nil)
    }

    @Test func logFormFitsSixtyColumns() {
        var s = Fixtures.ready(size: Self.narrow)
        press(&s, .enter)
        type(&s, "+351 912 000 111")
        press(&s, .tab, .tab)
        type(&s, "1:3x")
        press(&s, .ctrl("s"))  // the duration's error
        let grid = render(s, size: Self.narrow, options: options)
        assertSnapshot(grid, "LogForm/form-errors-60x16")
        let lines = gridText(grid).split(separator: "\n")
        // The tab bar names the form in whole words, not "Log a ca".
        #expect(lines[1].contains("Log") && !lines[1].contains("Log a ca|"))
        #expect(!lines[1].hasSuffix("Log a c|") && !lines[1].hasSuffix("Log a|"))
    }

    @Test func formFooterFitsAndKeepsTheMeaningOfTheStar() {
        let g = Glyphs.unicode
        let short = LogFormView.footer(task: "task t-1", user: "rita@acme.test", width: 56, g)
        #expect(short == "task t-1 · user rita@acme.test · * required")
        let long = LogFormView.footer(task: "task 0f8c2a9e-4b7d-4c1e-9a3b-77d2c6e1f00a",
                                      user: "alexandra.johnson-whitfield@northwind-sandbox.example", width: 56, g)
        #expect(displayWidth(long) <= 56, "\(long)")
        #expect(long.hasSuffix(" · * required") && long.hasPrefix("task 0f8c") && long.contains(" · user alexandra"))
        #expect(long.filter { $0 == "…" }.count == 2, "both single words are shortened with a mark: \(long)")
    }

    @Test func outboxStateColumnGivesItsRoomToTheCall() {
        var s = Fixtures.ready(size: Self.narrow)
        let req = LogCallRequest(from: "+1 650 555 0100", to: "+351 912 345 678", duration: 95, answered: true, human: true,
                                 taskID: "t-1", userID: "u-1", dispositionID: "d-vm")
        _ = reduce(&s, .outboxChanged([
            OutboxEntry(localID: "a", request: req, summary: "Alexandra Johnson · Left voicemail", state: .pending,
                        attempts: 0, createdAt: fixtureNow),
            OutboxEntry(localID: "b", request: req, summary: "王小明 · Busy", state: .sent(callID: "c-1"), attempts: 1,
                        createdAt: fixtureNow.addingTimeInterval(-60)),
        ]))
        press(&s, .char("3"))
        assertSnapshot(render(s, size: Self.narrow, options: options), "Outbox/outbox-60x16")
        // State is as wide as "pending" (it was 15 columns, leaving the call 8: "Alexand…").
        #expect(text(s).contains("  State    Try  Call"))
        #expect(text(s).contains("Alexandra Johnson"), "the name is whole")
    }

    @Test func callsAtSixtyColumns() {
        var s = Fixtures.ready(size: Self.narrow)
        press(&s, .char("2"))
        assertSnapshot(render(s, size: Self.narrow, options: options), "Calls/calls-60x16")
    }
}

/// The log form in a short window: the focused field is always drawn, the fields above it scroll away.
@Suite("Narrow windows: the log form scrolls to its focus") struct LogFormScrollTests {
    init() { useUTF8Locale() }
    let narrow = Size(cols: 60, rows: 16)
    let options = RenderOptions()

    @Test func theFocusedFieldIsOnScreenAtEveryTab() {
        var s = Fixtures.ready(size: narrow)
        _ = reduce(&s, .key(.enter))
        for field in FormField.allCases.dropFirst() {
            _ = reduce(&s, .key(.tab))
            let text = gridText(render(s, size: narrow, options: options))
            let marked = text.split(separator: "\n").first { $0.hasPrefix("▸") }
            #expect(marked?.contains(field.label) == true, "\(field) not drawn:\n\(text)")
        }
    }

    @Test func afterAFailedSendTheFieldsBelowTheErrorsCanBeReached() {
        var s = Fixtures.ready(size: narrow)
        _ = reduce(&s, .key(.enter))
        _ = reduce(&s, .key(.ctrl("s")))  // every required field marked; the focus goes to the first (To)
        var text = gridText(render(s, size: narrow, options: options))
        #expect(text.split(separator: "\n").first { $0.hasPrefix("▸") }?.contains("To *") == true, "\(text)")
        for _ in 0..<7 { _ = reduce(&s, .key(.tab)) }  // down to Call back, below the marked fields
        text = gridText(render(s, size: narrow, options: options))
        #expect(text.split(separator: "\n").first { $0.hasPrefix("▸") }?.contains("Call back") == true, "\(text)")
        // The form no longer fits: the fields above are counted, not drawn.
        #expect(text.contains("fields above (S-Tab)") && !text.contains("To *"), "\(text)")
    }

    @Test func aTallWindowDrawsEveryFieldAndNoMark() {
        let tall = Size(cols: 80, rows: 30)
        var s = Fixtures.ready(size: tall)
        _ = reduce(&s, .key(.enter))
        for _ in 0..<9 { _ = reduce(&s, .key(.tab)) }
        let text = gridText(render(s, size: tall, options: options))
        #expect(text.contains("To *") && text.contains("Recording URL") && !text.contains("fields above"), "\(text)")
    }
}
