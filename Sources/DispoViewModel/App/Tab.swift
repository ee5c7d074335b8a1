/// The tabs of the main screen, in key order (`1`–`4` by default).
///
/// Adding a tab: a case here and its line in `descriptor`; its screen (a `TabScreen`) and state in a
/// folder of its own under `Features/`; the state's property in `AppState`; a `KeyAction` for its key.
public enum Tab: Int, Sendable, Hashable, CaseIterable {
    case tasks, calls, outbox, stats

    /// The tab's title, the action whose key shows it, and the screen drawn and keyed while it is shown.
    private var descriptor: (title: String, key: KeyAction, screen: any TabScreen.Type) {
        switch self {
        case .tasks: ("Tasks", .tasksTab, TasksScreen.self)
        case .calls: ("Calls", .callsTab, CallsScreen.self)
        case .outbox: ("Outbox", .outboxTab, OutboxScreen.self)
        case .stats: ("Stats", .statsTab, StatsScreen.self)
        }
    }

    public var title: String { descriptor.title }
    /// The action whose key shows this tab.
    var keyAction: KeyAction { descriptor.key }
    /// The screen drawn and keyed while this tab is shown.
    var screen: any TabScreen.Type { descriptor.screen }

    /// The tab `step` places on (wrapping).
    func moved(by step: Int) -> Tab {
        let all = Tab.allCases
        return all[((rawValue + step) % all.count + all.count) % all.count]
    }
}

/// A tab's screen: what the root needs to route keys to it, draw it in the body and name it in the tab bar.
protocol TabScreen {
    /// The binding table of the screen as it is now (the root's own rows included), in help order.
    static func bindings(_ state: AppState, _ context: FeatureContext) -> BindingTable<AppState>
    /// The screen's `/` filter: its text and whether it is being typed (keys then go to it first).
    static func filter(_ state: AppState) -> (text: TextField, isEditing: Bool)
    /// A key while the filter is being typed.
    static func editFilter(_ key: Key, _ state: inout AppState, _ context: FeatureContext) -> Reply
    /// The mouse over the body.
    static func mouse(_ event: MouseEvent, _ state: inout AppState, _ context: FeatureContext) -> Reply
    /// Esc, once no error is on the status line: backs out of what the screen shows (a detail, a filter);
    /// nil when there is nothing to back out of.
    static func back(_ state: inout AppState, _ context: FeatureContext) -> Reply?
    /// `R`: the effects that load the screen again (none for a screen that updates by itself).
    static func reload(_ state: inout AppState, _ context: FeatureContext) -> [Effect]
    /// The next page ahead of the cursor, if due.
    static func prefetch(_ state: inout AppState, _ context: FeatureContext) -> [Effect]
    /// The label in the tab bar after the tab's key (`Tasks 12+`).
    static func tabLabel(_ state: AppState, ellipsis: Character) -> String
    /// What the tab bar says after the tabs about this screen's state (its active filters); nil: nothing.
    static func tabBarNote(_ state: AppState, _ context: FeatureContext, dot: String) -> String?
    /// Draws the screen into the frame's body.
    static func draw(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas)
}

/// A tab screen that shows one `ListFeature`: filter, mouse and prefetch come from the list.
protocol ListTabScreen: TabScreen {
    associatedtype Feature: ListFeature
    /// The tab this screen is drawn for.
    static var tab: Tab { get }
    /// Where the feature's state lives in `AppState`.
    static var feature: WritableKeyPath<AppState, Feature> { get }
}

extension ListTabScreen {
    static func filter(_ state: AppState) -> (text: TextField, isEditing: Bool) {
        let list = state[keyPath: feature].list
        return (list.filter, list.isEditingFilter)
    }
    static func editFilter(_ key: Key, _ state: inout AppState, _ context: FeatureContext) -> Reply {
        ListKeys.editFilter(&state[keyPath: feature], key, context)
    }
    static func mouse(_ event: MouseEvent, _ state: inout AppState, _ context: FeatureContext) -> Reply {
        ListKeys.mouse(&state[keyPath: feature], event, context)
    }
    static func prefetch(_ state: inout AppState, _ context: FeatureContext) -> [Effect] {
        state[keyPath: feature].prefetch(context)
    }
    static func back(_ state: inout AppState, _ context: FeatureContext) -> Reply? {
        ListKeys.clearFilter(&state[keyPath: feature], context) ? Reply.none : nil
    }
    static func reload(_ state: inout AppState, _ context: FeatureContext) -> [Effect] {
        guard let user = state.session.user else { return [] }
        return state[keyPath: feature].reload(userID: user.id, context)
    }
    static func tabBarNote(_ state: AppState, _ context: FeatureContext, dot: String) -> String? { nil }
    /// The tab's title and how many items its list holds (`Tasks 12+`, `Calls 3/50`).
    static func tabLabel(_ state: AppState, ellipsis: Character) -> String {
        tab.title + " " + state[keyPath: feature].list.countLabel(ellipsis: ellipsis)
    }
}
