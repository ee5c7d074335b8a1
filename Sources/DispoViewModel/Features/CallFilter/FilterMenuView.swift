/// The filter menu over the Calls tab: a row per filter with each value and its count, the current value
/// bracketed; then how many loaded calls show.
enum FilterMenuView {
    static func draw(_ m: FilterMenuState, _ calls: CallsState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let size = context.frame.size
        let w = min(76, size.cols - 2)
        let inner = canvas.centeredBox(width: w, height: FilterRow.allCases.count + 4, title: "Filter calls")
        let labelW = 16
        let current = calls.filter.filter
        let dispositions = context.session.dispositions
        for (i, row) in FilterRow.allCases.enumerated() {
            let y = inner.row + i
            let focused = row == m.cursor
            if focused { canvas.text(canvas.glyphs.marker, col: inner.col - 1, row: y, style: CellStyle(role: .accent, bold: true)) }
            canvas.field("\(row.quickKey) \(row.label)", col: inner.col, row: y, width: labelW,
                         style: CellStyle(role: focused ? .accent : .normal, bold: focused))
            var x = inner.col + labelW
            let limit = inner.col + inner.width
            func option(_ word: String, _ count: Int?, selected: Bool) {
                guard x < limit else { return }
                // No count (over the whole mirrored history): the word alone.
                let label = count.map { "\(word) \($0)" } ?? word
                let text = selected ? "[\(label)]" : " \(label) "
                x += canvas.text(text, col: x, row: y, width: limit - x,
                                 style: selected ? CellStyle(role: .selection, bold: true, reverse: focused) : CellStyle(role: .muted))
                x += canvas.text(" ", col: x, row: y, width: max(0, limit - x))
            }
            switch row {
            case .answered:
                for v in CallFilter.Answered.allCases { option(v.word, m.answeredCounts[v], selected: current.answered == v) }
            case .party:
                for v in CallFilter.Party.allCases { option(v.word, m.partyCounts[v], selected: current.party == v) }
            case .date:
                for v in CallFilter.DateRange.allCases { option(v.word, m.dateCounts[v], selected: current.dateRange == v) }
            case .disposition:
                let v = current.disposition
                let (l, r) = canvas.unicode ? ("◂", "▸") : ("<", ">")
                x += canvas.text(l + " ", col: x, row: y, width: max(0, limit - x), style: CellStyle(role: .muted))
                option(CallFilterState.word(v, dispositions), m.dispositionCounts[v], selected: true)
                canvas.text(r, col: x, row: y, width: max(0, limit - x), style: CellStyle(role: .muted))
            }
        }
        let list = calls.list
        let more = list.next != nil ? " (more pages load as you scroll)" : ""
        let summary = list.window != nil ? "\(groupedCount(list.count)) calls in the whole history match."
            : "Showing \(list.count) of \(list.items.count) loaded calls\(more)."
        canvas.text(summary, col: inner.col,
                    row: inner.row + FilterRow.allCases.count + 1, width: inner.width, style: CellStyle(role: .muted))
    }
}
