import Foundation
import AmplemarketModels

/// The Stats tab's keys: `t` / `w` / `m` show a period (Today, This week, 30 days), `←` / `→` step through
/// them, `j` / `k` and the page keys scroll when the tab does not fit, `R` reads the history again.
/// A period key only picks numbers counted already (its work does not grow with the calls).
enum StatsScreen: TabScreen {
    static func bindings(_ state: AppState, _ context: FeatureContext) -> BindingTable<AppState> {
        let labels = context.labels
        // A period's letter gives way to an action the rep bound to it in `[keys]` (← / → still step).
        let free = StatsPeriod.allCases.filter { context.keymap.listAction(.char($0.key)) == nil }
        let periods = free.map { p in
            Binding<StatsState>(keys: [.char(p.key)], hint: p == free.first ? free.map(\.hintWord).joined(separator: "/") : nil,
                                rank: 0, hintKeys: free.map { String($0.key) }.joined(separator: "/"),
                                help: "show \(p == .today ? "today" : p == .week ? "this week (from Monday)" : "the last 30 days")") { s, _, _ in
                s.show(p)
                return .none
            }
        }
        let step = Binding<StatsState>(keys: [.left, .right], help: "previous / next period",
                                       helpKeys: labels.key(.left) + " " + labels.key(.right)) { s, _, key in
            let all = StatsPeriod.allCases
            let i = all.firstIndex(of: s.period) ?? 0
            s.show(all[(i + (key == .left ? all.count - 1 : 1)) % all.count])
            return .none
        }
        let scroll = Binding<StatsState>([.down, .up, .pageDown, .pageUp, .halfPageDown, .halfPageUp, .top, .bottom],
                                         help: "scroll (when the tab does not fit)",
                                         helpKeys: "\(labels.primary(.down, .up)) \(labels.primary(.pageDown, .pageUp)) \(labels.primary(.top, .bottom))") { s, c, key in
            let page = max(1, c.frame.body.height - 1)
            switch c.keymap.listAction(key) {
            case .down?: s.scroll += 1
            case .up?: s.scroll -= 1
            case .pageDown?: s.scroll += page
            case .pageUp?: s.scroll -= page
            case .halfPageDown?: s.scroll += max(1, page / 2)
            case .halfPageUp?: s.scroll -= max(1, page / 2)
            case .top?: s.scroll = 0
            default: s.scroll = Int.max / 2
            }
            s.scroll = max(0, min(s.scroll, StatsView.maxScroll(s, c)))
            return .none
        }
        return BindingTable(periods + [step, scroll]).scoped(\AppState.stats)
            + BindingTable([CommonBindings.switchTab().hinted("tabs", rank: 3, keys: CommonBindings.tabKeys(labels))])
            + BindingTable(CommonBindings.tail(refresh: 1, help: 2, quit: 4))
    }

    static func filter(_ state: AppState) -> (text: TextField, isEditing: Bool) { (TextField(), false) }
    static func editFilter(_ key: Key, _ state: inout AppState, _ context: FeatureContext) -> Reply { .none }
    static func mouse(_ event: MouseEvent, _ state: inout AppState, _ context: FeatureContext) -> Reply {
        switch event.kind {
        case .wheelDown: state.stats.scroll = min(state.stats.scroll + 3, StatsView.maxScroll(state.stats, context))
        case .wheelUp: state.stats.scroll = max(0, state.stats.scroll - 3)
        case .press: break
        }
        return .none
    }
    static func back(_ state: inout AppState, _ context: FeatureContext) -> Reply? { nil }

    /// `R`: the tallies read again, even when one read is still out.
    static func reload(_ state: inout AppState, _ context: FeatureContext) -> [Effect] {
        state.stats.isStale = true
        state.stats.isLoading = false
        return state.stats.loadIfNeeded(context)
    }

    /// Showing the tab reads the tallies when none were read or the mirror changed since.
    static func prefetch(_ state: inout AppState, _ context: FeatureContext) -> [Effect] {
        state.stats.loadIfNeeded(context)
    }

    static func tabLabel(_ state: AppState, ellipsis: Character) -> String { "Stats" }

    static func tabBarNote(_ state: AppState, _ context: FeatureContext, dot: String) -> String? { nil }

    static func draw(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
        StatsView.draw(state.stats, context, &canvas)
    }
}

extension StatsPeriod {
    /// The period in the hint line (`today/week/30 days`).
    fileprivate var hintWord: String {
        switch self { case .today: "today"; case .week: "week"; case .month: "30 days" }
    }
}
