import Foundation
import AmplemarketModels

/// The Tasks tab's keys: moving, the `/` filter, the filter menu, logging a call for the row, the quick
/// outcomes, completing and skipping a task, dismissing a call back, the detail, copying.
enum TasksScreen: ListTabScreen {
    static let tab = Tab.tasks
    static var feature: WritableKeyPath<AppState, TasksState> { \.tasks }

    static func bindings(_ state: AppState, _ context: FeatureContext) -> BindingTable<AppState> {
        let labels = context.labels
        let covered = state.tasks.layout(context).detailCoversList && state.tasks.list.selected != nil
        var own: [Binding<TasksState>] = []
        if covered { own.append(scrollCovered().hinted("scroll", rank: 1, keys: labels.primary(.down, .up))) }
        own += ListKeys.navigation(moveRank: covered ? nil : 6)
        own.append(ListKeys.filter().hinted(covered ? nil : "search", rank: 8))
        let quickKeys = QuickOutcome.allCases.map { labels.primary($0.keyAction) }.filter { !$0.isEmpty }.joined(separator: "/")
        var actions: [Binding<TasksState>] = [
            Binding([.open, .log], hint: "log", rank: 0, hintKeys: labels.primary(.open),
                    help: "log a call for the task (or the call back)") { tasks, _, _ in
                guard let row = tasks.list.selected else {
                    return .status("No task selected: logging needs a task (every call belongs to one).")
                }
                if case .callBack(let c) = row { return .request(.logCallBack(c)) }
                return .request(.logTask(row.taskToLog))
            },
            Binding(QuickOutcome.allCases.map(\.keyAction), hint: covered ? nil : "no ans/VM/busy", rank: 1,
                    hintKeys: quickKeys, help: "log no answer / left voicemail / busy, form filled: check and send",
                    helpKeys: QuickOutcome.allCases.map { labels.all($0.keyAction) }.joined(separator: " ")) { tasks, c, key in
                guard let row = tasks.list.selected else { return .status("No task selected.") }
                guard let outcome = QuickOutcome.allCases.first(where: { c.keymap.listAction(key) == $0.keyAction }) else { return .none }
                return .request(.logQuick(row, outcome))
            },
            Binding([.complete], hint: "done", rank: 2, help: "complete the task (asks; the sequence lead too on request)") { tasks, c, _ in
                changeSelected(&tasks, .complete(lead: false), c)
            },
            Binding([.skip], hint: "skip", rank: 3, help: "skip the task (asks)") { tasks, c, _ in
                changeSelected(&tasks, .skip, c)
            },
            Binding([.discard], help: "dismiss the call back (asks)") { tasks, c, _ in
                guard let row = tasks.list.selected else { return .none }
                guard case .callBack(let cb) = row else {
                    return .status("\(c.labels.primary(.discard)) dismisses call backs; a task is skipped with \(c.labels.primary(.skip)).")
                }
                return .request(.present(.confirm(.dismissCallBack(cb))))
            },
            Binding([.filterMenu], hint: covered ? nil : "filter", rank: 4,
                    help: "filters: callable now, email tasks, completed, skipped") { tasks, _, _ in
                .request(.present(.taskFilterMenu(TaskFilterMenuState(filter: tasks.filter))))
            },
        ]
        if !state.tasks.layout(context).detailAlwaysShown {
            actions.append(Binding([.detail], hint: covered ? nil : "detail", rank: 5,
                                   help: "the task's detail (Esc back)") { tasks, _, _ in
                if tasks.list.selected != nil { tasks.detail.isOpen = true; tasks.detail.scroll = 0 }
                return .none
            })
        }
        let besideKeys = CallsScreen.detailScrollKeys(context.keymap)
        actions.append(Binding(keys: besideKeys, help: besideKeys.isEmpty ? nil : "scroll the detail",
                               helpKeys: besideKeys.map(labels.key).joined(separator: " / ")) { tasks, c, key in
            tasks.scrollDetail(by: key == .char("J") ? 1 : -1, c)
            return .none
        })
        actions.append(Binding([.copyNumber, .copyID], help: "copy last number / task id") { tasks, c, key in
            guard let row = tasks.list.selected else { return .none }
            if c.keymap.listAction(key) == .copyID { return .request(.copy(row.taskToLog.id)) }
            if let cid = row.contact?.id, let to = c.session.numbers.to(cid, region: c.defaultRegion) { return .request(.copy(to)) }
            if let n = row.callBack?.number { return .request(.copy(n)) }
            return .status("No number known for this contact yet (tasks carry none; log a call first).")
        })
        let tail = CommonBindings.tail(refresh: covered ? nil : 9, help: 4, quit: covered ? nil : 10)
            .map { $0.keys == [.escape] && covered ? $0.hinted("back", rank: 0) : $0 }
        return BindingTable(own).scoped(feature)
            + BindingTable([CommonBindings.switchTab().hinted(covered ? nil : "tabs", rank: 8, keys: CommonBindings.tabKeys(labels))])
            + BindingTable(actions).scoped(feature) + BindingTable(tail)
    }

    /// `c` / `s` on the selected row: a question for a task the API can change, else why not (nothing is sent).
    static func changeSelected(_ tasks: inout TasksState, _ change: TaskChange, _ c: FeatureContext) -> Reply {
        guard let row = tasks.list.selected else { return .status("No task selected.") }
        guard case .task(let t) = row else {
            return .status("A call back: \(c.labels.primary(.open)) logs its task, \(c.labels.primary(.discard)) dismisses it.")
        }
        if let why = t.whyNotChangeable {
            return .status("Not sent: \(why).")
        }
        if tasks.changing[t.id] != nil { return .status("Already on its way to the server.") }
        switch change {
        case .complete: return .request(.present(.confirm(.completeTask(t))))
        case .skip: return .request(.present(.confirm(.skipTask(t))))
        }
    }

    /// With the detail over the list, the moving keys (and Space) scroll it.
    static func scrollCovered() -> Binding<TasksState> {
        Binding([.down, .up, .pageDown, .pageUp, .halfPageDown, .halfPageUp], keys: [.char(" ")]) { tasks, c, key in
            let page = max(1, c.frame.body.height - 1)
            let delta: Int
            switch c.keymap.listAction(key) {
            case .down?: delta = 1
            case .up?: delta = -1
            case .pageDown?, .halfPageDown?: delta = page / 2
            case .pageUp?, .halfPageUp?: delta = -page / 2
            default: delta = page
            }
            tasks.scrollDetail(by: delta, c)
            return .none
        }
    }

    static func back(_ state: inout AppState, _ context: FeatureContext) -> Reply? {
        if state.tasks.detail.isOpen { state.tasks.detail.isOpen = false; return Reply.none }
        if ListKeys.clearFilter(&state.tasks, context) { return Reply.none }
        return nil
    }

    /// The active filters in words.
    static func tabBarNote(_ state: AppState, _ context: FeatureContext, dot: String) -> String? {
        let words = state.tasks.filter.summary(context.environment.callingHours)
        guard !words.isEmpty else { return nil }
        return "Showing: " + words.joined(separator: " \(dot) ") + "  (\(context.labels.primary(.filterMenu)) changes)"
    }

    /// The mouse: the wheel scrolls the detail under the pointer; otherwise the list answers.
    static func mouse(_ event: MouseEvent, _ state: inout AppState, _ context: FeatureContext) -> Reply {
        let layout = state.tasks.layout(context)
        let overDetail = layout.detailCoversList
            || (layout.detailAlwaysShown && layout.detail?.contains(col: event.col, row: event.row) == true)
        guard overDetail, state.tasks.list.selected != nil else { return ListKeys.mouse(&state.tasks, event, context) }
        switch event.kind {
        case .wheelDown: state.tasks.scrollDetail(by: 3, context)
        case .wheelUp: state.tasks.scrollDetail(by: -3, context)
        case .press: break
        }
        return .none
    }

    static func draw(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
        TasksView.draw(state.tasks, context, &canvas)
    }
}
