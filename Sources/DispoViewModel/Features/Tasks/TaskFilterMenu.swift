import Foundation
import AmplemarketModels

/// The Tasks filter menu (`f` on Tasks): a row per choice, toggled with Space; closing it applies what
/// changed (the tasks load again with the new query).
public struct TaskFilterMenuState: Sendable, Hashable {
    /// The rows, in screen order.
    enum Row: Int, CaseIterable {
        case callableNow, emailTasks, completed, skipped

        /// The key that toggles the row directly.
        var quickKey: Character {
            switch self {
            case .callableNow: "c"
            case .emailTasks: "e"
            case .completed: "d"
            case .skipped: "s"
            }
        }

        func label(_ hours: CallingHours) -> String {
            switch self {
            case .callableNow: "Callable now: contacts whose local time is \(hours) (the server's filter)"
            case .emailTasks: "Email tasks too"
            case .completed: "Completed tasks too"
            case .skipped: "Skipped tasks too"
            }
        }

        func isOn(_ f: TaskQueueFilter) -> Bool {
            switch self {
            case .callableNow: f.callableNow
            case .emailTasks: f.emailTasks
            case .completed: f.completed
            case .skipped: f.skipped
            }
        }

        func toggle(_ f: inout TaskQueueFilter) {
            switch self {
            case .callableNow: f.callableNow.toggle()
            case .emailTasks: f.emailTasks.toggle()
            case .completed: f.completed.toggle()
            case .skipped: f.skipped.toggle()
            }
        }
    }

    var cursor = Row.callableNow
    /// The filter as the menu has it (applied on close).
    public var filter: TaskQueueFilter

    public init(filter: TaskQueueFilter) { self.filter = filter }

    enum Outcome { case open, closed, quit }

    /// `j`/`k` (↓/↑, Tab) move; Space, Enter or → toggles the row; a row's letter toggles it; `x` clears
    /// every choice; Esc, `f`, `q` close.
    mutating func handle(_ key: Key) -> Outcome {
        let rows = Row.allCases
        switch key {
        case .escape, .char("q"), .char("f"): return .closed
        case .ctrl("c"): return .quit
        case .char("j"), .down, .tab: cursor = rows[(cursor.rawValue + 1) % rows.count]
        case .char("k"), .up, .backTab: cursor = rows[(cursor.rawValue + rows.count - 1) % rows.count]
        case .char(" "), .enter, .right, .left: cursor.toggle(&filter)
        case .char("x"): filter = TaskQueueFilter()
        case .char(let c):
            guard let row = rows.first(where: { $0.quickKey == c }) else { return .open }
            cursor = row
            row.toggle(&filter)
        default: break
        }
        return .open
    }
}

/// The Tasks filter menu over the list.
enum TaskFilterMenuView {
    static func draw(_ m: TaskFilterMenuState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let w = min(76, context.frame.size.cols - 2)
        let rows = TaskFilterMenuState.Row.allCases
        let inner = canvas.centeredBox(width: w, height: rows.count + 4, title: "Show tasks")
        let hours = context.environment.callingHours
        for (i, row) in rows.enumerated() {
            let y = inner.row + i
            let focused = row == m.cursor
            if focused { canvas.text(canvas.glyphs.marker, col: inner.col - 1, row: y, style: CellStyle(role: .accent, bold: true)) }
            let box = row.isOn(m.filter) ? "[x]" : "[ ]"
            canvas.field("\(row.quickKey) \(box) \(row.label(hours))", col: inner.col, row: y, width: inner.width,
                         style: CellStyle(role: focused ? .accent : .normal, bold: focused))
        }
        canvas.text("Space toggles \(canvas.glyphs.dot) x clears \(canvas.glyphs.dot) Esc applies and closes",
                    col: inner.col, row: inner.row + rows.count + 1, width: inner.width, style: CellStyle(role: .muted))
    }
}
