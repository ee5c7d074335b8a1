/// The Tasks tab's keys: moving, the `/` filter, logging a call for the task, copying.
enum TasksScreen: ListTabScreen {
    static let tab = Tab.tasks
    static var feature: WritableKeyPath<AppState, TasksState> { \.tasks }

    static func bindings(_ state: AppState, _ context: FeatureContext) -> BindingTable<AppState> {
        let labels = context.labels
        let own = BindingTable<TasksState>(ListKeys.navigation(moveRank: 1) + [ListKeys.filter().hinted("filter", rank: 2)])
        let actions = BindingTable<TasksState>([
            Binding([.open, .log], hint: "log", rank: 0, hintKeys: labels.primary(.open),
                    help: "log a call for the task") { tasks, _, _ in
                guard let task = tasks.list.selected else {
                    return .status("No task selected: logging needs a task (every call belongs to one).")
                }
                return .request(.logTask(task))
            },
            Binding([.copyNumber, .copyID], hint: "number", rank: 3, hintKeys: labels.primary(.copyNumber),
                    help: "copy last number / task id") { tasks, c, key in
                if c.keymap.listAction(key) == .copyID {
                    return tasks.list.selected.map { .request(.copy($0.id)) } ?? .none
                }
                if let cid = tasks.list.selected?.contact?.id, let to = c.session.numbers.lastTo[cid] {
                    return .request(.copy(to))
                }
                return .status("No number known for this contact yet (tasks carry none; log a call first).")
            },
            Binding([.filterMenu], disabled: "Filters by answer, disposition and date are on the Calls tab "
                        + "(\(labels.primary(.callsTab))); \(labels.primary(.filter)) filters text here.") { _, _, _ in .none },
        ])
        return own.scoped(feature)
            + BindingTable([CommonBindings.switchTab().hinted("tabs", rank: 5, keys: CommonBindings.tabKeys(labels))])
            + actions.scoped(feature)
            + BindingTable(CommonBindings.tail(refresh: 4, help: 6, quit: 7))
    }

    static func draw(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
        TasksView.draw(state.tasks, context, &canvas)
    }
}
