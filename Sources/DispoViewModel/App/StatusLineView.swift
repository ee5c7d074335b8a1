/// The status line: the `/` filter while it is typed; else the status message (errors marked); else the
/// filter that applies, or that a draft is kept.
enum StatusLineView {
    static func draw(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let row = context.frame.status.row
        let cols = canvas.cols
        let g = canvas.glyphs
        let filter = state.tab.screen.filter(state)
        let onScreen = state.logForm.form == nil
        let labels = context.labels
        if onScreen && state.modal == nil && filter.isEditing {
            canvas.text("/", col: 0, row: row, style: CellStyle(role: .accent, bold: true))
            let (vis, cur) = filter.text.visible(width: cols - 2)
            canvas.text(vis, col: 1, row: row)
            canvas.restyle(col: 1 + cur, row: row, width: 1, style: CellStyle(reverse: true))
            return
        }
        if let s = context.session.status {
            if s.isError {
                canvas.message(g.error + " " + s.text, col: 0, row: row, width: cols, style: CellStyle(role: .danger, bold: true))
            } else {
                canvas.message(s.text, col: 0, row: row, width: cols, style: CellStyle(role: .success))
            }
            return
        }
        if onScreen && !filter.text.isEmpty {
            canvas.message("filter: " + filter.text.text + "  (Esc clears, \(labels.primary(.filter)) edits)", col: 0, row: row,
                           width: cols, style: CellStyle(role: .muted))
        } else if onScreen, let kept = state.logForm.keptDraft {
            let who = kept.contactName ?? kept.to
            canvas.message("Unsent draft for \(who) kept; \(labels.primary(.resumeDraft)) resumes it.", col: 0, row: row,
                           width: cols, style: CellStyle(role: .warning))
        }
    }
}

/// The key hints on the last row: from the binding table of what has focus, cut between hints to fit.
enum HintLine {
    static func text(_ state: AppState, _ context: FeatureContext) -> String {
        let labels = context.labels
        if let modal = state.modal {
            switch modal {
            case .help:
                let count = state.helpLines(context).count
                guard HelpView.page(lineCount: count, size: context.frame.size) < count else { return "any key closes help" }
                return "\(labels.primary(.down))/\(labels.primary(.up)) PgUp/PgDn scroll  any other key closes help"
            case .confirm(.completeTask): return "y complete the task  l task and its sequence lead  n/Esc no"
            case .confirm: return "y yes  n/Esc no"
            case .regionPicker: return "type a country, code or +NN  j/k move  Enter choose  Esc not now"
            case .taskFilterMenu: return "c e d s toggle  j/k move  Space toggle  x clear all  Esc apply"
            case .dispositionPicker: return "1-9 pick  j/k move  type to filter  Enter choose  Esc cancel"
            case .userPicker: return "j/k move  type to filter  Enter choose  Ctrl-C quit"
            case .filterMenu:
                return "a h d t change  j/k move  Space/\(context.unicode ? "←/→" : "Left/Right") cycle  x clear all  Esc close"
            }
        }
        if state.logForm.form != nil { return LogFormKeys.bindings(state.logForm, context).hints(labels) }
        if state.session.paneError != nil { return "\(labels.primary(.refresh)) retry  \(labels.primary(.quit)) quit" }
        let screen = state.tab.screen
        if screen.filter(state).isEditing { return "type to filter  Enter keep  Esc clear" }
        return screen.bindings(state, context).hints(labels)
    }

    static func draw(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let cols = canvas.cols
        canvas.field(fit(text(state, context), width: cols, ellipsis: canvas.glyphs.ellipsis), col: 0,
                     row: context.frame.hints.row, width: cols, style: CellStyle(role: .muted, dim: true))
    }

    /// Hints (two spaces apart) cut to `width` columns between hints, with `…` marking the cut, rather
    /// than mid-word.
    static func fit(_ text: String, width: Int, ellipsis: Character) -> String {
        guard displayWidth(text) > width, width > 1 else { return text }
        var kept = ""
        for part in text.components(separatedBy: "  ") where !part.isEmpty {
            let next = kept.isEmpty ? part : kept + "  " + part
            if displayWidth(next) + 2 > width { break }
            kept = next
        }
        if kept.isEmpty { return text }  // one hint wider than the line: cut with `…` by `field`
        return kept + " " + String(ellipsis)
    }
}
