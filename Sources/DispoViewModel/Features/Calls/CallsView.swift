import AmplemarketModels

/// The Calls tab: the list (when, contact, length, answered mark, disposition) and the selected call's
/// detail beside it when wide, or over it once opened when narrow.
enum CallsView {
    static func table(_ dateStyle: DateStyle) -> Table {
        Table(columns: [
            .init(title: "When", width: .fixed(dateStyle.width), gap: 2),
            .init(title: "Contact", width: .share(55), gap: 1),
            .init(title: "Length", width: .fixed(7), gap: 2, alignRight: true),
            .init(title: "Ans", width: .fixed(3), gap: 1),
            .init(title: "Disposition", width: .rest, gap: 0),
        ])
    }

    /// Who was called: the contact's name, else the number (international format, read in `region`),
    /// else `(no contact)`.
    static func contactLabel(_ c: Call, region: String?) -> String {
        if let n = c.contact?.name, !isBlank(n) { return n }
        if let to = c.to, !to.isEmpty { return shownNumber(to, defaultRegion: region) }
        return "(no contact)"
    }

    /// The answered mark, which does not rely on colour: `H` a person, `VM` voicemail or a machine, `–` no
    /// answer, `A` answered (by whom unknown), `?` unknown.
    static func mark(_ c: Call, _ g: Glyphs) -> String {
        switch (c.answered, c.human) {
        case (false?, _): g.dash
        case (true?, true?): "H"
        case (true?, false?): "VM"
        case (true?, nil): "A"
        default: "?"
        }
    }

    static func draw(_ calls: CallsState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let frame = context.frame
        if !frame.isSideBySide && calls.detail.isOpen, let c = calls.list.selected {
            CallDetailView.draw(c, calls, context, &canvas, in: frame.detail)
            return
        }
        let pane = frame.listBesideDetail
        let rows = frame.itemRows(of: pane)
        let env = context.environment
        let list = calls.list
        let g = canvas.glyphs
        let dispositions = context.session.dispositions
        let region = context.defaultRegion
        let cells = { (c: Call) -> [Table.Cell] in
            let m = mark(c, g)
            return [.init(text: env.listDateTime(c.startDate)),
                    .init(text: contactLabel(c, region: region), style: CellStyle(bold: true)),
                    .init(text: c.duration.map(formatDuration) ?? ""),
                    .init(text: m, style: CellStyle(role: m == "H" ? .success : m == "VM" ? .warning : .muted)),
                    .init(text: dispositions.name(id: c.dispositionID, fallback: c.dispositionName) ?? "")]
        }
        let visible = visibleCells(list, rows: rows, cells: cells)
        let table = table(env.dateStyle).sized(for: visible, width: pane.width)
        table.drawHeading(&canvas, row: pane.row, width: pane.width)
        if list.count == 0 {
            let empty = calls.filter.filter.isActive ? "No call matches the filters (Esc clears them)."
                : calls.serverFailure.map { "\(canvas.glyphs.error) Could not load calls: \($0) (\(context.labels.primary(.refresh)) retries)" }
                ?? "No calls yet. Log one from a task (tab \(context.labels.primary(.tasksTab)))."
            drawEmptyList(emptyListText(list, context, glyphs: canvas.glyphs, empty: empty), &canvas, rows: rows)
        }
        let drawn = drawListRows(list, table: table, &canvas, rows: rows, cells: visible)
        drawLoadingMore(list, drawn: drawn, &canvas, rows: rows)
        if let sep = frame.separatorColumn {
            for y in pane.row..<pane.row + pane.height { canvas.text(g.vertical, col: sep, row: y, style: CellStyle(role: .muted)) }
            if let c = list.selected { CallDetailView.draw(c, calls, context, &canvas, in: frame.detail) }
        }
    }
}

/// The selected call's detail, scrolled; its last row says when there is more and how to scroll.
enum CallDetailView {
    static func draw(_ c: Call, _ calls: CallsState, _ context: FeatureContext, _ canvas: inout Canvas, in rect: Rect) {
        guard rect.width > 10, rect.height > 0 else { return }
        let detail = CallDetail(call: c, localNotes: calls.journalNotes[c.id], context: context, glyphs: canvas.glyphs)
        let scroll = calls.detail.scroll
        let (lines, truncatedText) = detail.lines(width: rect.width, rows: scroll + 2 * rect.height)
        let top = max(0, min(scroll, lines.count - rect.height))
        let below = lines.count - top - rect.height
        for (i, (text, style)) in lines.dropFirst(top).prefix(rect.height).enumerated() {
            canvas.text(text, col: rect.col, row: rect.row + i, width: rect.width, style: style)
        }
        if below > 0 || truncatedText {
            let labels = context.labels
            let beside = CallsScreen.detailScrollKeys(context.keymap).map(labels.key).joined(separator: "/")
            let keys = context.frame.isSideBySide ? (beside.isEmpty ? "" : "\(beside) scroll")
                : "\(labels.primary(.down, .up)) PgDn/PgUp scroll"
            let more = truncatedText ? "more" : "\(below + 1) more lines"
            let how = keys.isEmpty ? "" : " \(canvas.glyphs.dot) \(keys)"
            canvas.field("\(canvas.unicode ? "↓" : "v") \(more)\(how)", col: rect.col,
                         row: rect.row + rect.height - 1, width: rect.width, style: CellStyle(role: .muted, bold: true))
        }
    }
}
