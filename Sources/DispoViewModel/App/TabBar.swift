import AmplemarketModels

/// The tab bar: each tab's key and label (`1 Tasks 12+`), the current one bracketed; after them, "Log a
/// call" while the form is open, or what the current screen says of itself (the Calls tab's filters).
enum TabBar {
    /// A tab's label and where it is drawn: these columns are also where a click picks the tab.
    struct Item {
        let tab: Tab
        let text: String
        let col: Int
        let width: Int
        let isCurrent: Bool
    }

    /// The labels as drawn, left to right, each followed by a blank column.
    static func layout(_ state: AppState, _ labels: KeyLabels, ellipsis: Character) -> [Item] {
        var x = 0
        return Tab.allCases.map { tab in
            let label = "\(labels.primary(tab.keyAction)) \(tab.screen.tabLabel(state, ellipsis: ellipsis))"
            let current = tab == state.tab && state.logForm.form == nil
            let text = current ? "[\(label)]" : " \(label) "
            let item = Item(tab: tab, text: text, col: x, width: displayWidth(text), isCurrent: current)
            x += item.width + 1
            return item
        }
    }

    static func draw(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let row = context.frame.tabBar.row
        var x = 0
        for item in layout(state, context.labels, ellipsis: canvas.glyphs.ellipsis) {
            let style = item.isCurrent ? CellStyle(role: .accent, bold: true, reverse: true) : CellStyle(role: .muted)
            x = item.col + canvas.text(item.text, col: item.col, row: row, style: style)
            x += canvas.text(" ", col: x, row: row)
        }
        // What follows the tabs is shortened at a word (with `…`), or left out when not even a word fits.
        if state.logForm.form != nil {
            let room = canvas.cols - x - 2
            if let label = ["Log a call", "Log"].first(where: { displayWidth($0) <= room }) {
                canvas.text(label, col: x + 2, row: row, style: CellStyle(role: .accent, bold: true))
            }
        } else if let note = state.tab.screen.tabBarNote(state, context, dot: canvas.glyphs.dot) {
            canvas.message(note, col: x + 1, row: row, width: canvas.cols - x - 1, style: CellStyle(role: .warning, bold: true))
        }
    }
}

/// The header: dispo, the workspace and the rep on the left; connection, the store when it cannot save,
/// another dispo sending the outbox, a running timer, queued and needs-attention counts and the last
/// refresh on the right; at the end, which server when it is not Amplemarket (`SANDBOX`, `TEST host:port`).
enum HeaderView {
    static func draw(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let env = context.environment
        let session = context.session
        let g = canvas.glyphs
        let cols = canvas.cols
        let header = CellStyle(role: .header, reverse: true)
        canvas.fill(col: 0, row: 0, width: cols, height: 1, style: header)
        var right: [String] = []
        switch session.connection {
        case .online: right.append("online")
        case .retrying(let n): right.append("retrying (\(n))")
        case .offline(let why): right.append("offline: \(why)")
        case .keyRejected: right.append("key rejected")
        case .refused: right.append("access refused")
        }
        if let cannotSave = session.store.cannotSaveText { right.append(cannotSave) }
        if let other = session.store.otherSenderText { right.append(other) }
        if state.logForm.form == nil, let t = state.logForm.timerText(at: env.now) { right.append("timer \(t)") }
        let queued = state.outbox.unsentCount
        if queued > 0 { right.append("\(queued) queued") }
        let attention = state.outbox.needsAttentionCount
        if attention > 0 { right.append("\(attention) needs attention") }
        if let history = historyText(session.historyProgress, state, env) { right.append(history) }
        if let t = session.lastRefresh { right.append("refreshed \(env.hourMinute(t))") }
        let rightText = right.joined(separator: " \(g.dot) ") + " "
        var left = " dispo"
        if let w = session.account?.workspaceName { left += " \(g.dot) \(w)" }
        if let u = session.user { left += " \(g.dot) \(u.email ?? u.name ?? u.id)" }
        var x = cols
        if let name = env.serverTag ?? (env.isSandbox ? "SANDBOX" : nil) {
            // A long host takes at most a third of the header, ending with `…`.
            let tag = " " + sanitize(name) + " "
            let width = min(displayWidth(tag), max(9, cols / 3))
            x -= width
            canvas.field(tag, col: x, row: 0, width: width, style: CellStyle(role: .sandbox, bold: true, reverse: false))
        }
        let rw = displayWidth(rightText)
        var rightStyle = header
        switch session.connection {
        case .offline, .keyRejected, .refused: rightStyle.role = .danger; rightStyle.bold = true
        default: break
        }
        if case .retrying = session.connection { rightStyle.role = .warning; rightStyle.bold = true }
        if session.store.cannotSaveText != nil { rightStyle.role = .danger; rightStyle.bold = true }
        let leftWidth = max(0, x - rw - 1)
        canvas.field(left, col: 0, row: 0, width: leftWidth, style: CellStyle(role: .header, bold: true, reverse: true))
        canvas.field(rightText, col: x - min(rw, x), row: 0, width: min(rw, x), style: rightStyle)
    }

    /// The mirror's progress while it is incomplete (`history 12 400 to Sep 3`); offline, the age of what
    /// it holds when nothing was refreshed this run (`history of Nov 28 16:02`); else nothing.
    static func historyText(_ progress: HistoryProgress?, _ state: AppState, _ env: AppEnvironment) -> String? {
        guard env.keepsHistory, let p = progress else { return nil }
        if !p.isComplete {
            var text = "history \(groupedCount(p.mirrored))"
            if let oldest = p.oldestStart { text += " to " + env.shortDate(oldest).split(separator: " ").joined(separator: " ") }
            return p.isSyncing ? text + "…" : text
        }
        if case .offline = state.session.connection, state.session.lastRefresh == nil, let at = p.syncedAt {
            return "history of \(env.shortDate(at)) \(env.hourMinute(at))"
        }
        return nil
    }
}

/// `12400` as `12 400` (a space between thousands, readable in every locale).
public func groupedCount(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(" ") }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}
