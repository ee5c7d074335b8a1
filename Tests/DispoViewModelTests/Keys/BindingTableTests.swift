import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// A screen's binding table feeds dispatch, the hint line and the help overlay from the same rows: the
/// first row that answers a key runs; a disabled row says why and does nothing; a help-only row never
/// answers; hints are ordered by rank.
@Suite("Binding tables") struct BindingTableTests {
    init() { useUTF8Locale() }

    /// What the handlers did, in order.
    typealias Log = [String]

    private let context = FeatureContext(environment: Fixtures.env, session: SessionState(),
                                         frame: Frame(size: Size(cols: 80, rows: 24)))
    private var labels: KeyLabels { context.labels }

    private func row(_ name: String, _ actions: [KeyAction] = [], keys: [Key] = [], hint: String? = nil,
                     rank: Int = 50, disabled: String? = nil) -> Binding<Log> {
        Binding(actions, keys: keys, hint: hint, rank: rank, help: name, disabled: disabled) { log, _, key in
            log.append("\(name) \(keyLabel(key))")
            return .none
        }
    }

    /// The status line text a reply asks for, if any.
    private func statusText(_ reply: Reply?) -> String? {
        for request in reply?.requests ?? [] { if case .status(let text, _) = request { return text } }
        return nil
    }

    @Test func theFirstRowThatAnswersAKeyRuns() {
        let table = BindingTable<Log>([row("move", [.down]), row("j too", keys: [.char("j")]), row("other", [.up])])
        var log: Log = []
        #expect(table.dispatch(.char("j"), &log, context) != nil)
        #expect(table.dispatch(.down, &log, context) != nil, "the action's fixed key answers too")
        #expect(table.dispatch(.char("k"), &log, context) != nil)
        #expect(log == ["move j", "move ↓", "other k"])
        #expect(table.dispatch(.char("z"), &log, context) == nil, "no row answers")
        #expect(log.count == 3)
    }

    @Test func aDisabledRowSaysWhyAndChangesNothing() {
        let table = BindingTable<Log>([row("filters", [.filterMenu], disabled: "Filters are on the Calls tab."),
                                       row("f too", keys: [.char("f")])])
        var log: Log = []
        let reply = table.dispatch(.char("f"), &log, context)
        #expect(statusText(reply) == "Filters are on the Calls tab.")
        #expect(reply?.effects.isEmpty == true)
        #expect(log.isEmpty, "neither the disabled row nor a later one ran")
    }

    @Test func aDisabledRowOnAScreenSaysWhyOnTheStatusLine() {
        var s = Fixtures.ready()
        press(&s, .char("3"))
        let before = (s.tab, s.modal, s.calls.filter.filter, s.outbox.list.cursor)
        #expect(press(&s, .char("f")).isEmpty)
        #expect(s.tab == before.0 && s.modal == before.1 && s.calls.filter.filter == before.2
                && s.outbox.list.cursor == before.3)
        let lines = screen(s).split(separator: "\n")
        #expect(lines[22].contains("Filters by answer, disposition and date are on the Calls tab (2)"), "\(lines[22])")
    }

    @Test func aHelpOnlyRowNeverAnswersAKey() {
        let docs = Binding<Log>(keys: [.char("x"), .ctrl("a")], help: "documented only", run: nil)
        var log: Log = []
        #expect(BindingTable([docs]).dispatch(.char("x"), &log, context) == nil)
        #expect(BindingTable([docs]).dispatch(.ctrl("a"), &log, context) == nil)
        // A row after it that takes the same key runs instead.
        #expect(BindingTable([docs, row("real", keys: [.char("x")])]).dispatch(.char("x"), &log, context) != nil)
        #expect(log == ["real x"])
        // It is in the help overlay, not in the hints.
        #expect(BindingTable([docs]).helpLines(labels).map(\.0) == ["x Ctrl-A"])
        #expect(BindingTable([docs]).hints(labels) == "")
    }

    @Test func hintsAreOrderedByRankThenByTableOrder() {
        let table = BindingTable<Log>([
            row("a", [.log], hint: "third", rank: 3),
            row("b", [.down, .up], hint: "first", rank: 1),
            row("c", [.recording], hint: nil, rank: 0),
            row("d", [.filter], hint: "second", rank: 2),
            row("e", keys: [.escape], hint: "first too", rank: 1),
        ])
        #expect(table.hints(labels) == "j/k first  Esc first too  / second  l third")
        // Help keeps the table's order, with every key of each action.
        #expect(table.helpLines(labels).map(\.0) == ["l", "j/↓ k/↑", "r", "/", "Esc"])
    }

    @Test func theTasksHintLineFollowsTheRanksNotTheTableOrder() {
        let s = Fixtures.ready(size: Size(cols: 120, rows: 30))
        let hints = screen(s, s.size).split(separator: "\n").last!
        #expect(hints.hasPrefix("Enter log  n/v/b no ans/VM/busy  c done  s skip  f filter  ? help  j/k move  / search  "
                                + "1-4 tabs  R refresh  q quit"), "\(hints)")
    }
}
