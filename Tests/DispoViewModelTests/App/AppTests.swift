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
        press(&s, .tab); #expect(s.tab == .stats)
        press(&s, .tab); #expect(s.tab == .tasks)
        press(&s, .backTab); #expect(s.tab == .stats)
        press(&s, .char("3")); #expect(s.tab == .outbox)
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
                || hints.dropLast(2).hasSuffix("number") || hints.dropLast(2).hasSuffix("help")
                || hints.dropLast(2).hasSuffix("skip") || hints.dropLast(2).hasSuffix("filter")
                || hints.dropLast(2).hasSuffix("detail") || hints.dropLast(2).hasSuffix("done"), "cut between hints: \(hints)")
        press(&s, .char("j"), .char("j"), .char("j"), .enter)  // Zoë 🎉 Party <zoe@party.test> · Events 👋 follow-up
        lines = gridText(render(s, size: Size(cols: 60, rows: 16), options: RenderOptions())).split(separator: "\n")
        #expect(lines[2].contains("…"), "\(lines[2])")
    }

    // MARK: Mouse (the app's `--mouse` mode)

    /// A workspace with long counts: 120 tasks and 100 calls loaded, each with a next page, 12 logs queued.
    private func busy(_ size: Size) -> AppState {
        let tasks = (0..<120).map {
            TaskRecord(id: "t\($0)", automatic: false, type: "phone_call", status: "scheduled", dueOn: date("2025-11-29"),
                       sequenceName: "Q4 Outbound", userID: "u-1", contact: Contact(id: "k\($0)", name: "Contact \($0)", email: nil))
        }
        var s = Fixtures.ready(size: size, callsNext: "/calls?page[after]=c99", calls: Fixtures.manyCalls(100))
        _ = reduce(&s, .tasksPageLoaded(Page(items: tasks, next: "/tasks?page[after]=t119"), replacing: true))
        let req = LogCallRequest(from: "+1 555 0100", to: "+351 1", duration: 9, answered: true, human: true,
                                 taskID: "t0", userID: "u-1")
        _ = reduce(&s, .outboxChanged((0..<12).map {
            OutboxEntry(localID: "o\($0)", request: req, summary: "Contact \($0) · Busy", createdAt: fixtureNow)
        }))
        return s
    }

    /// Each tab label as drawn on the tab bar (row 1 of the rendered grid): its title and the columns of its
    /// first and last character (`[` … `]` around the current tab, a blank either side of the others).
    private func drawnTabLabels(_ s: AppState) -> [(title: String, first: Int, last: Int)] {
        let grid = render(s, size: s.size, options: RenderOptions())
        let row = (0..<grid.size.cols).map { grid[$0, 1].text }
        #expect(!row.contains(""), "the tab bar holds no wide character, so a cell is a column")
        return ["Tasks", "Calls", "Outbox", "Stats"].compactMap { title in
            let chars = Array(title)
            guard let start = (0...(row.count - chars.count)).first(where: { i in
                chars.indices.allSatisfy { row[i + $0] == String(chars[$0]) } && row[i - 1] == " "
            }) else { Issue.record("no \(title) on the tab bar: \(row.joined())"); return nil }
            // Left over the blank and the tab's key; right over the blank and the count, when there is one
            // (Stats has none).
            var first = start - 2
            while first > 0 && row[first - 1] != " " && row[first - 1] != "[" { first -= 1 }
            first -= 1
            var last = start + chars.count
            let countStart = last + 1
            if row[last] == " ", countStart < row.count, let c = row[countStart].first, c.isNumber || c == "…" {
                last = countStart
                while last + 1 < row.count && row[last + 1] != " " && row[last + 1] != "]" { last += 1 }
                last += 1
            }
            let bracketed = row[first] == "[" && row[last] == "]"
            #expect(bracketed || (row[first] == " " && row[last] == " "), "\(title): \(row[first])…\(row[last])")
            #expect(bracketed == (s.tab.title == title), "only the current tab is bracketed")
            return (title, first, last)
        }
    }

    private func click(_ s: inout AppState, col: Int, row: Int) -> [Effect] {
        press(&s, .mouse(MouseEvent(kind: .press, col: col, row: row)))
    }

    @Test(arguments: [Size(cols: 80, rows: 24), Size(cols: 160, rows: 48)])
    func aClickOnATabLabelPicksThatTab(_ size: Size) {
        let s = busy(size)
        let bar = screen(s, size).split(separator: "\n")[1]
        #expect(bar.contains("[1 Tasks 120+]") && bar.contains(" 2 Calls 100+ ") && bar.contains(" 3 Outbox 12 "), "\(bar)")
        for tab in Tab.allCases {
            for from in Tab.allCases where from != tab {
                var t = s
                t.tab = from
                guard let label = drawnTabLabels(t).first(where: { $0.title == tab.title }) else { continue }
                for col in [label.first, label.last] {
                    var u = t
                    _ = click(&u, col: col, row: 1)
                    #expect(u.tab == tab, "\(size): a click on column \(col) of \(tab.title), from \(from.title)")
                }
            }
        }
    }

    @Test(arguments: [Size(cols: 80, rows: 24), Size(cols: 160, rows: 48)])
    func aClickBesideTheLabelsPicksNothing(_ size: Size) {
        for from in Tab.allCases {
            var s = busy(size)
            s.tab = from
            let labels = drawnTabLabels(s)
            let lastColumn = labels.map(\.last).max() ?? 0
            for col in lastColumn + 1..<size.cols {
                var t = s
                #expect(click(&t, col: col, row: 1).isEmpty)
                #expect(t.tab == from, "\(size): column \(col), past the last label")
            }
            // The blank column between two labels belongs to neither.
            for (a, b) in zip(labels, labels.dropFirst()) where b.first == a.last + 2 {
                var t = s
                _ = click(&t, col: a.last + 1, row: 1)
                #expect(t.tab == from, "\(size): the gap after \(a.title)")
            }
        }
    }

    @Test func aClickOnAListRowSelectsIt() {
        var s = busy(Size(cols: 80, rows: 24))
        let rows = s.frame.listRows
        // The first line under the column heading is the section heading: rows start one line lower.
        _ = click(&s, col: 10, row: rows.row + 5)
        #expect(s.tasks.list.cursor == 4 && s.selectedTask?.id == "t4")
        #expect(screen(s).split(separator: "\n")[rows.row + 5].contains("▸"))
        _ = click(&s, col: 10, row: rows.row - 1)  // the column heading
        #expect(s.tasks.list.cursor == 4)
        _ = click(&s, col: 10, row: rows.row)  // the section heading
        #expect(s.tasks.list.cursor == 4)
        press(&s, .char("G"))
        let top = s.tasks.list.top
        #expect(top > 0)
        _ = click(&s, col: 10, row: rows.row + 1)
        #expect(s.tasks.list.cursor == top, "a click picks the row as drawn, scrolled")
    }

    @Test func aClickOnTheDetailBesideTheListDoesNotMoveTheCursor() {
        var s = busy(Size(cols: 160, rows: 48))
        press(&s, .char("2"))
        let rows = s.frame.itemRows(of: s.frame.listBesideDetail)
        _ = click(&s, col: 20, row: rows.row + 7)
        #expect(s.calls.list.cursor == 7 && s.selectedCall?.id == "c7")
        for (col, row) in [(s.frame.detail.col, rows.row + 2), (120, rows.row + 20), (159, rows.row),
                           (s.frame.separatorColumn!, rows.row + 3)] {
            _ = click(&s, col: col, row: row)
            #expect(s.calls.list.cursor == 7 && s.calls.detail.scroll == 0, "a click at \(col),\(row)")
        }
    }
}
