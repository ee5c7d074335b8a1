import Foundation
import AmplemarketModels

/// The Tasks list: rows under section headings (Callbacks, Overdue, Today, Later), each with its due time
/// in the rep's zone (overdue ones marked `!`, which needs no colour), the contact, the sequence,
/// manual or automatic in words, and the last call to the task; the selected task's detail beside or
/// below it.
enum TasksView {
    /// One line of the list: a section heading or a list row.
    enum Line: Equatable {
        case heading(TaskSection)
        case row(Int)
    }

    /// Panes narrower than this leave the last call to the detail.
    static let lastCallFromWidth = 72

    /// The columns for a pane `width` wide: the last call only where it fits (the detail shows it too),
    /// the mode in full words from 96 columns.
    static func table(width: Int) -> Table {
        let longMode = width >= 96
        var columns: [Table.Column] = [
            .init(title: "Due", width: .fixed(10), gap: 1),
            .init(title: "Contact", width: .share(width >= lastCallFromWidth ? 34 : 55), gap: 1),
            .init(title: "Sequence / note", width: width >= lastCallFromWidth ? .share(30) : .rest, gap: 1),
            .init(title: "Mode", width: .fixed(longMode ? 15 : 6), gap: 1),
        ]
        if width >= lastCallFromWidth { columns.append(.init(title: "Last call", width: .rest, gap: 0)) }
        return Table(columns: columns)
    }

    /// The lines drawn from the list's top: the heading of the top row's section first (so the rows in
    /// view always sit under their heading), then a heading wherever the section changes.
    static func lines(_ tasks: TasksState, _ context: FeatureContext, height: Int) -> [Line] {
        let list = tasks.list
        let clock = QueueClock(now: context.now, zone: context.zone)
        var out: [Line] = []
        var previous: TaskSection?
        var row = list.top
        while out.count < height, let item = list.item(atRow: row) {
            let section = TaskSection.of(item, clock)
            if section != previous {
                // A heading on the last line would head nothing: the line stays empty.
                if out.count + 1 >= height && !out.isEmpty { break }
                out.append(.heading(section))
                previous = section
                if out.count >= height { break }
            }
            out.append(.row(row))
            row += 1
        }
        return out
    }

    static func draw(_ tasks: TasksState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let layout = tasks.layout(context)
        if layout.detailCoversList {
            if let row = tasks.list.selected { TaskDetailView.draw(row, tasks, context, &canvas, in: layout.detail ?? context.frame.body) }
            return
        }
        let pane = layout.list
        let rows = layout.itemRows
        let table = table(width: pane.width)
        table.drawHeading(&canvas, row: pane.row, width: pane.width)
        let list = tasks.list
        let g = canvas.glyphs
        if list.count == 0 {
            let keys = context.labels
            let what = tasks.filter.isActive ? "No task matches the filters (\(keys.primary(.filterMenu)) changes them)."
                : "No open phone tasks. \(keys.primary(.refresh)) refreshes; calls are on tab \(keys.primary(.callsTab))."
            drawEmptyList(emptyListText(list, context, glyphs: g, empty: what), &canvas, rows: rows)
        } else {
            let env = context.environment
            let clock = QueueClock(now: context.now, zone: context.zone)
            let dispositions = context.session.dispositions
            let history = context.session.history
            var y = rows.row
            let columns = table.layout(width: rows.width)
            for line in lines(tasks, context, height: rows.height) {
                switch line {
                case .heading(let section):
                    let count = tasks.sections[section] ?? 0
                    let text = "\(section.title) \(g.dot) \(count)"
                    let role: ColorRole = section == .overdue ? .warning : .accent
                    canvas.field(text, col: rows.col + 1, row: y, width: rows.width - 1,
                                 style: CellStyle(role: role, bold: true, underline: true))
                case .row(let row):
                    guard let item = list.item(atRow: row) else { break }
                    let section = TaskSection.of(item, clock)
                    table.drawRow(cells(item, section, tasks, env, dispositions, history, longMode: pane.width >= 96, g),
                                  &canvas, row: y, col: rows.col, width: rows.width, selected: row == list.cursor,
                                  layout: columns)
                }
                y += 1
            }
            drawLoadingMore(list, drawn: y - rows.row, &canvas, rows: rows)
        }
        if let sep = layout.separatorColumn {
            for y in pane.row..<pane.row + pane.height { canvas.text(g.vertical, col: sep, row: y, style: CellStyle(role: .muted)) }
        }
        if let sepRow = layout.separatorRow {
            canvas.text(String(repeating: g.horizontal, count: pane.width), col: pane.col, row: sepRow, width: pane.width,
                        style: CellStyle(role: .muted))
        }
        if layout.detailAlwaysShown, let detail = layout.detail, let row = list.selected {
            TaskDetailView.draw(row, tasks, context, &canvas, in: detail)
        }
    }

    /// The cells of one row.
    static func cells(_ item: TaskRow, _ section: TaskSection, _ tasks: TasksState, _ env: AppEnvironment,
                      _ dispositions: Dispositions, _ history: CallHistory, longMode: Bool, _ g: Glyphs) -> [Table.Cell] {
        let late = section == .overdue || (section == .callBacks && (item.due ?? .distantFuture) <= env.now)
        let due = (late ? "!" : " ") + env.dueText(item.due)
        let dueStyle = CellStyle(role: late ? .warning : .normal, bold: late)
        let name = contactName(item.contact)
        switch item {
        case .callBack(let c):
            return [.init(text: due, style: dueStyle), .init(text: name, style: CellStyle(bold: true)),
                    .init(text: c.note.flatMap { isBlank($0) ? nil : $0 } ?? c.sequenceName ?? ""),
                    .init(text: longMode ? "call back" : "back", style: CellStyle(role: .accent)),
                    .init(text: "set " + env.dueText(c.createdAt), style: CellStyle(role: .muted))]
        case .task(let t):
            let mode = t.automatic == true ? (longMode ? "auto (sequence)" : "auto") : t.automatic == false ? "manual" : ""
            var last = ""
            var lastStyle = CellStyle(role: .muted)
            if let change = tasks.changing[t.id] {
                last = (change == .skip ? "skipping" : "completing") + String(g.ellipsis)
                lastStyle = CellStyle(role: .warning, bold: true)
            } else if let status = t.status, !t.isScheduled {
                last = status
            } else if let call = history.lastByTask[t.id] {
                last = env.dueText(call.startDate) + " " + call.outcomeWords(dispositions)
            }
            return [.init(text: due, style: dueStyle), .init(text: name, style: CellStyle(bold: true)),
                    .init(text: t.sequenceName ?? (t.type == "email" ? "(email task)" : "")),
                    .init(text: mode, style: CellStyle(role: .muted)), .init(text: last, style: lastStyle)]
        }
    }

    /// The contact's name, else e-mail, else `(no contact)`.
    static func contactName(_ c: Contact?) -> String {
        c?.name.flatMap { isBlank($0) ? nil : $0 } ?? c?.email.flatMap { isBlank($0) ? nil : $0 } ?? "(no contact)"
    }
}
