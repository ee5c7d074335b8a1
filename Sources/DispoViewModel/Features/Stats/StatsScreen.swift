import Foundation
import AmplemarketModels

/// The Stats tab's keys: `t` / `w` / `m` pick the period (Today, This week, 30 days), `j` / `k` and the
/// page keys scroll when the tab does not fit, `R` reads the history again.
enum StatsScreen: TabScreen {
    static func bindings(_ state: AppState, _ context: FeatureContext) -> BindingTable<AppState> {
        let periods = StatsPeriod.allCases.map { p in
            Binding<StatsState>(keys: [.char(p.key)], hint: p == .today ? "today / week / 30 days" : nil, rank: 0,
                                hintKeys: "t/w/m", help: "show \(p.title.lowercased())") { s, c, _ in
                s.period = p
                s.scroll = 0
                s.recount(c)
                return .none
            }
        }
        let scroll = Binding<StatsState>([.down, .up, .pageDown, .pageUp, .top, .bottom], help: "scroll") { s, c, key in
            let page = max(1, c.frame.body.height - 1)
            switch c.keymap.listAction(key) {
            case .down?: s.scroll += 1
            case .up?: s.scroll -= 1
            case .pageDown?: s.scroll += page
            case .pageUp?: s.scroll -= page
            case .top?: s.scroll = 0
            default: s.scroll = Int.max / 2
            }
            let most = max(0, StatsView.lineCount(s, c) - c.frame.body.height)
            s.scroll = max(0, min(s.scroll, most))
            return .none
        }
        return BindingTable(periods + [scroll]).scoped(\AppState.stats) + BindingTable([CommonBindings.switchTab()])
            + BindingTable(CommonBindings.tail(refresh: 2, help: 3, quit: 4))
    }

    static func filter(_ state: AppState) -> (text: TextField, isEditing: Bool) { (TextField(), false) }
    static func editFilter(_ key: Key, _ state: inout AppState, _ context: FeatureContext) -> Reply { .none }
    static func mouse(_ event: MouseEvent, _ state: inout AppState, _ context: FeatureContext) -> Reply { .none }
    static func back(_ state: inout AppState, _ context: FeatureContext) -> Reply? { nil }

    static func reload(_ state: inout AppState, _ context: FeatureContext) -> [Effect] {
        state.stats.isStale = true
        state.stats.isLoading = false
        return state.stats.loadIfNeeded(context)
    }

    static func prefetch(_ state: inout AppState, _ context: FeatureContext) -> [Effect] {
        context.environment.keepsHistory ? state.stats.loadIfNeeded(context) : []
    }

    static func tabLabel(_ state: AppState, ellipsis: Character) -> String { "Stats" }

    static func tabBarNote(_ state: AppState, _ context: FeatureContext, dot: String) -> String? { nil }

    static func draw(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
        StatsView.draw(state.stats, context, &canvas)
    }
}
