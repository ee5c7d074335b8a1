/// The Tasks list: due day (overdue ones marked), contact, sequence, manual or automatic.
enum TasksView {
    static let table = Table(columns: [
        .init(title: "Due", width: .fixed(6), gap: 2),
        .init(title: "Contact", width: .share(55), gap: 2),
        .init(title: "Sequence", width: .rest, gap: 2),
        .init(title: "Mode", width: .fixed(6), gap: 0),
    ])

    static func draw(_ tasks: TasksState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let frame = context.frame
        table.drawHeading(&canvas, row: frame.list.row, width: frame.list.width)
        let list = tasks.list
        if list.count == 0 {
            let keys = context.labels
            drawEmptyList(emptyListText(list, context, glyphs: canvas.glyphs,
                                        empty: "No open phone tasks. \(keys.primary(.refresh)) refreshes; calls are on "
                                            + "tab \(keys.primary(.callsTab))."),
                          &canvas, rows: frame.listRows)
            return
        }
        let now = context.now
        drawListRows(list, table: table, &canvas, rows: frame.listRows) { t in
            let overdue = t.dueOn.map { $0 < now } ?? false
            let name = t.contact?.name.flatMap { $0.isEmpty ? nil : $0 } ?? t.contact?.email ?? "(no contact)"
            let mode = t.automatic == true ? "auto" : t.automatic == false ? "manual" : ""
            return [.init(text: context.environment.shortDate(t.dueOn), style: CellStyle(role: overdue ? .warning : .normal)),
                    .init(text: name, style: CellStyle(bold: true)),
                    .init(text: t.sequenceName ?? ""),
                    .init(text: mode, style: CellStyle(role: .muted))]
        }
    }
}
