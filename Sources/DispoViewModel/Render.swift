import Foundation
import AmplemarketModels

/// Renders the whole screen for `state` at `size` into a grid of cells (design.md §2–§3).
///
/// Layout: row 0 header, row 1 tabs, rows 2…rows-3 the body (lists, detail, form, errors), row rows-2 the
/// status message, row rows-1 the key hints. Modals (pickers, help, confirmations) are drawn on top.
/// Below `AppState.minimumSize` (60×16) only "terminal too small (need 60×16)" is drawn, as much as fits.
/// Only visible rows are drawn, so the cost does not grow with the number of loaded calls.
public func render(_ state: AppState, size: Size, options: RenderOptions) -> Grid {
    var r = Renderer(state: state, canvas: Canvas(size: size, options: options))
    r.draw()
    return r.canvas.grid
}

struct Renderer {
    let state: AppState
    var canvas: Canvas

    init(state: AppState, canvas: Canvas) {
        self.state = state
        self.canvas = canvas
    }

    var g: Glyphs { canvas.glyphs }
    var cols: Int { canvas.cols }
    var rows: Int { canvas.rows }

    // MARK: formatting

    var dateStyle: DateStyle { state.environment.dateStyle }
    var zone: TimeZone { state.environment.timeZone }
    var keymap: Keymap { state.environment.keymap }

    /// A list date and time in the rep's time zone and date style (`Nov 29 15:32`).
    func shortDateTime(_ d: Date?) -> String { dateStyle.listDateTime(d, zone: zone) }

    /// A due day (`Nov 29`).
    func shortDate(_ d: Date?) -> String { dateStyle.shortDate(d, zone: zone) }

    /// `2025-11-29 15:32:08 UTC-05:00`.
    func longDateTime(_ d: Date?) -> String { dateStyle.detailDateTime(d, zone: zone) }

    /// `15:32` (`3:32 PM` with the 12-hour style).
    func hourMinute(_ d: Date) -> String {
        let c = CivilTime(d, zone: zone)
        if dateStyle == .monthDay12h { return String(c.hour12) + ":" + pad2(c.minute, "0") + " " + c.amPM }
        return pad2(c.hour, "0") + ":" + pad2(c.minute, "0")
    }

    /// Answered/human mark that does not rely on colour: `H` a person, `VM` voicemail/machine, `–` no answer.
    func mark(_ c: Call) -> String {
        switch (c.answered, c.human) {
        case (false?, _): g.dash
        case (true?, true?): "H"
        case (true?, false?): "VM"
        case (true?, nil): "A"
        default: "?"
        }
    }

    func actionWords(_ a: DispositionAction) -> String {
        switch a {
        case .complete: "completes task + lead"
        case .nextStage: "keeps task open"
        case .unknown: "unknown effect"
        }
    }

    func contactLabel(_ c: Call) -> String {
        if let n = c.contact?.name, !isBlank(n) { return n }
        if let to = c.to, !to.isEmpty { return to }
        return "(no contact)"
    }

    // MARK: frame

    mutating func draw() {
        if rows <= 0 || cols <= 0 { return }
        if Layout.isTooSmall(canvas.grid.size) { drawTooSmall(); return }
        drawHeader()
        drawTabs()
        let body = (row: 2, height: rows - Layout.chromeRows)
        if let err = state.paneError {
            drawMessage(err, isError: true, row: body.row, height: body.height)
        } else if let form = state.form {
            drawForm(form, row: body.row, height: body.height)
        } else {
            switch state.tab {
            case .tasks: drawTasks(row: body.row, height: body.height)
            case .calls: drawCalls(row: body.row, height: body.height)
            case .outbox: drawOutbox(row: body.row, height: body.height)
            }
        }
        drawStatus()
        drawHints()
        if let modal = state.modal { drawModal(modal) }
    }

    mutating func drawTooSmall() {
        let need = AppState.minimumSize
        let msg = "terminal too small (need \(need.cols)\(canvas.unicode ? "×" : "x")\(need.rows))"
        let lines = wrapText(msg, width: cols)
        let top = max(0, (rows - lines.count) / 2)
        for (i, line) in lines.prefix(rows).enumerated() {
            canvas.text(line, col: max(0, (cols - displayWidth(line)) / 2), row: top + i)
        }
    }

    mutating func drawHeader() {
        let env = state.environment
        let header = CellStyle(role: .header, reverse: true)
        canvas.fill(col: 0, row: 0, width: cols, height: 1, style: header)
        var right: [String] = []
        switch state.connection {
        case .online: right.append("online")
        case .retrying(let n): right.append("retrying (\(n))")
        case .offline(let why): right.append("offline: \(why)")
        }
        if state.form == nil, let t = state.timerText { right.append("timer \(t)") }
        let queued = state.unsentCount
        if queued > 0 { right.append("\(queued) queued") }
        let attention = state.needsAttentionCount
        if attention > 0 { right.append("\(attention) needs attention") }
        if let t = state.lastRefresh { right.append("refreshed \(hourMinute(t))") }
        let rightText = right.joined(separator: " \(g.dot) ") + " "
        var left = " dispo"
        if let w = state.account?.workspaceName { left += " \(g.dot) \(w)" }
        if let u = state.user { left += " \(g.dot) \(u.email ?? u.name ?? u.id)" }
        var x = cols
        if env.isSandbox {
            let tag = " SANDBOX "
            x -= displayWidth(tag)
            var s = CellStyle(role: .sandbox, bold: true, reverse: false)
            s.underline = false
            canvas.text(tag, col: x, row: 0, style: s)
        }
        let rw = displayWidth(rightText)
        var rightStyle = header
        if case .offline = state.connection { rightStyle.role = .danger; rightStyle.bold = true }
        if case .retrying = state.connection { rightStyle.role = .warning; rightStyle.bold = true }
        let leftWidth = max(0, x - rw - 1)
        canvas.field(left, col: 0, row: 0, width: leftWidth, style: CellStyle(role: .header, bold: true, reverse: true))
        canvas.field(rightText, col: x - min(rw, x), row: 0, width: min(rw, x), style: rightStyle)
    }

    mutating func drawTabs() {
        // Filtered lists show "shown/loaded".
        func shown(_ list: ListState) -> String { list.matches.map { "\($0.count)/" } ?? "" }
        let callsCount = state.callsLoaded
            ? "\(shown(state.callList))\(state.calls.count)\(state.callsNext != nil ? "+" : "")" : g.ellipsis.description
        let tasksCount = state.tasksLoaded
            ? "\(shown(state.taskList))\(state.tasks.count)\(state.tasksNext != nil ? "+" : "")" : g.ellipsis.description
        let km = keymap
        let labels: [(Tab, String)] = [(.tasks, "\(km.primary(.tasksTab)) Tasks \(tasksCount)"),
                                       (.calls, "\(km.primary(.callsTab)) Calls \(callsCount)"),
                                       (.outbox, "\(km.primary(.outboxTab)) Outbox \(state.queuedCount)")]
        var x = 0
        for (tab, label) in labels {
            let current = tab == state.tab && state.form == nil
            let text = current ? "[\(label)]" : " \(label) "
            let style = current ? CellStyle(role: .accent, bold: true, reverse: true) : CellStyle(role: .muted)
            x += canvas.text(text, col: x, row: 1, style: style)
            x += canvas.text(" ", col: x, row: 1)
        }
        if state.form != nil {
            canvas.text("  Log a call", col: x, row: 1, style: CellStyle(role: .accent, bold: true))
        } else if state.tab == .calls && state.callFilter.isActive {
            // The active call filters, in words (never by colour alone).
            let text = "Filter: " + state.callFilterSummary.joined(separator: " \(g.dot) ")
                + "  (Esc clears)"
            canvas.field(text, col: x + 1, row: 1, width: cols - x - 1, style: CellStyle(role: .warning, bold: true))
        }
    }

    mutating func drawMessage(_ text: String, isError: Bool, row: Int, height: Int) {
        let width = max(1, min(cols - 4, 76))
        let lines = wrapText(text, width: width - 2)
        let style = CellStyle(role: isError ? .danger : .muted, bold: isError)
        for (i, line) in lines.prefix(height - 1).enumerated() {
            let prefix = i == 0 ? (isError ? g.error + " " : "  ") : "  "
            canvas.text(prefix + line, col: 2, row: row + 1 + i, width: cols - 2, style: style)
        }
    }

    mutating func drawStatus() {
        let row = rows - 2
        let list = state.list(state.tab)
        if state.form == nil && state.modal == nil && list.filterEditing {
            let label = "/"
            canvas.text(label, col: 0, row: row, style: CellStyle(role: .accent, bold: true))
            let (vis, cur) = list.filter.visible(width: cols - 2)
            canvas.text(vis, col: 1, row: row)
            canvas.restyle(col: 1 + cur, row: row, width: 1, style: CellStyle(reverse: true))
            return
        }
        if let s = state.status {
            if s.isError {
                canvas.field(g.error + " " + s.text, col: 0, row: row, width: cols, style: CellStyle(role: .danger, bold: true))
            } else {
                canvas.field(s.text, col: 0, row: row, width: cols, style: CellStyle(role: .success))
            }
            return
        }
        if state.form == nil && !list.filter.isEmpty {
            canvas.text("filter: " + list.filter.text + "  (Esc clears, / edits)", col: 0, row: row,
                        style: CellStyle(role: .muted))
        } else if state.form == nil && !state.keptDraft.isNil {
            let who = state.keptDraft?.contactName ?? state.keptDraft?.to ?? "a call"
            canvas.text("Unsent draft for \(who) kept; Enter/l on its task resumes it.", col: 0, row: row,
                        style: CellStyle(role: .warning))
        }
    }

    var hints: String {
        let km = keymap
        let u = canvas.unicode
        func k(_ a: KeyAction) -> String { km.primary(a, unicode: u) }
        let tabs: String = {
            let t = [k(.tasksTab), k(.callsTab), k(.outboxTab)]
            return t == ["1", "2", "3"] ? "1-3" : t.joined(separator: "/")
        }()
        if let modal = state.modal {
            switch modal {
            case .help: return "any key closes help"
            case .confirm: return "y yes  n/Esc no"
            case .dispositionPicker: return "1-9 pick  j/k move  type to filter  Enter choose  Esc cancel"
            case .userPicker: return "j/k move  type to filter  Enter choose  Ctrl-C quit"
            case .filterMenu: return "a h d t change  j/k move  Space/\(u ? "←/→" : "Left/Right") cycle  x clear all  Esc close"
            }
        }
        if let form = state.form {
            var h = "Tab/Enter next  S-Tab back  \(k(.send)) send  Esc \(form.fromOutbox ? "close" : "keep draft")"
            if form.focus == .duration {
                h = "\(k(.timer)) \(state.callTimer?.isRunning == true ? "stop timer" : "timer")  " + h
            }
            if form.focus == .disposition { h = "Enter pick disposition  " + h }
            if form.focus.isToggle { h = "Space toggle  " + h }
            if form.focus.usesEditor { h = "\(k(.editor)) $EDITOR  " + h }
            return h + "  F1 help"
        }
        if state.paneError != nil { return "\(k(.refresh)) retry  \(k(.quit)) quit" }
        if state.list(state.tab).filterEditing { return "type to filter  Enter keep  Esc clear" }
        let move = k(.down) + "/" + k(.up)
        switch state.tab {
        case .tasks:
            return "Enter log  \(move) move  \(k(.filter)) filter  \(k(.copyNumber)) number  \(k(.refresh)) refresh  "
                + "\(tabs) tabs  \(k(.help)) help  \(k(.quit)) quit"
        case .calls:
            return state.detailOpen && cols < Layout.sideBySideColumns
                ? "Esc back  \(move) PgDn/PgUp scroll  \(k(.log)) log again  \(k(.recording)) recording  \(k(.copyNumber)) number  "
                    + "\(k(.copyID)) id  \(k(.help)) help"
                : "Enter detail  \(k(.log)) log  \(k(.recording)) recording  \(k(.filter)) search  "
                    + "\(k(.filterMenu)) filter  \(k(.refresh)) refresh  \(k(.help)) help  \(k(.quit)) quit"
        case .outbox:
            return "Enter edit failed log  \(k(.discard)) discard  \(move) move  \(k(.copyNumber)) number  "
                + "\(tabs) tabs  \(k(.help)) help  \(k(.quit)) quit"
        }
    }

    mutating func drawHints() {
        canvas.field(fitHints(hints, width: cols), col: 0, row: rows - 1, width: cols,
                     style: CellStyle(role: .muted, dim: true))
    }

    /// Key hints (separated by two spaces) cut to `width` columns between hints, with `…` marking the cut,
    /// rather than mid-word.
    func fitHints(_ text: String, width: Int) -> String {
        guard displayWidth(text) > width, width > 1 else { return text }
        var kept = ""
        for part in text.components(separatedBy: "  ") where !part.isEmpty {
            let next = kept.isEmpty ? part : kept + "  " + part
            if displayWidth(next) + 2 > width { break }
            kept = next
        }
        if kept.isEmpty { return text }  // one hint wider than the line: cut with `…` by `field`
        return kept + " " + String(g.ellipsis)
    }

    // MARK: lists

    mutating func drawListHeading(_ text: String, row: Int, width: Int) {
        canvas.field(text, col: 0, row: row, width: width, style: CellStyle(role: .muted, bold: true, underline: true))
    }

    mutating func drawEmpty(_ text: String, row: Int, width: Int) {
        canvas.text(text, col: 2, row: row + 1, width: width - 2, style: CellStyle(role: .muted))
    }

    func emptyText(loaded: Bool, error: String?, list: ListState, empty: String) -> String {
        if !list.filter.isEmpty { return "No match for \u{201C}\(list.filter.text)\u{201D} (Esc clears the filter)" }
        if let error { return "\(g.error) \(error) (R retries)" }
        if state.user == nil {
            if state.users != nil { return "Choose who you are to see your calls and tasks." }
            return "Loading" + g.ellipsis.description
        }
        if !loaded { return "Loading" + g.ellipsis.description }
        return empty
    }

    mutating func drawRowSelection(row: Int, width: Int, selected: Bool) {
        if selected {
            canvas.text(g.marker, col: 0, row: row)
            canvas.restyle(col: 0, row: row, width: width, style: CellStyle(role: .selection, bold: true, reverse: true))
        }
    }

    mutating func drawTasks(row: Int, height: Int) {
        let width = cols
        let fixed = 2 + 6 + 2 + 2 + 2 + 6
        let flex = max(2, width - fixed)
        let contactW = flex * 55 / 100
        let seqW = flex - contactW
        let heading = "  " + fitToWidth("Due", 6) + "  " + fitToWidth("Contact", contactW) + "  "
            + fitToWidth("Sequence", seqW) + "  " + "Mode"
        drawListHeading(heading, row: row, width: width)
        let list = state.taskList
        let n = list.count(total: state.tasks.count)
        if n == 0 {
            drawEmpty(emptyText(loaded: state.tasksLoaded, error: state.tasksError, list: list,
                                empty: "No open phone tasks. R refreshes; calls are on tab 2."), row: row, width: width)
            return
        }
        let now = state.environment.now
        for i in 0..<max(0, min(height - 1, n - list.top)) {
            let r = list.top + i
            guard let idx = list.sourceIndex(r, total: state.tasks.count) else { break }
            let t = state.tasks[idx]
            let y = row + 1 + i
            var x = 2
            let overdue = (t.dueOn.map { $0 < now } ?? false)
            canvas.field(shortDate(t.dueOn), col: x, row: y, width: 6,
                         style: CellStyle(role: overdue ? .warning : .normal)); x += 8
            let name = t.contact?.name.flatMap { $0.isEmpty ? nil : $0 } ?? t.contact?.email ?? "(no contact)"
            canvas.field(name, col: x, row: y, width: contactW, style: CellStyle(bold: true)); x += contactW + 2
            canvas.field(t.sequenceName ?? "", col: x, row: y, width: seqW); x += seqW + 2
            canvas.field(t.automatic == true ? "auto" : t.automatic == false ? "manual" : "", col: x, row: y, width: 6,
                         style: CellStyle(role: .muted))
            drawRowSelection(row: y, width: width, selected: r == list.cursor)
        }
    }

    /// Call-list column widths for a pane `width` wide: contact and disposition share what the fixed
    /// columns (marker, date, duration, mark) leave.
    func callColumns(_ width: Int) -> (contact: Int, disposition: Int) {
        let fixed = 2 + dateStyle.width + 2 + 1 + 7 + 2 + 3 + 1
        let flex = max(2, width - fixed)
        let contact = flex * 55 / 100
        return (contact, flex - contact)
    }

    mutating func drawCalls(row: Int, height: Int) {
        let wide = cols >= Layout.sideBySideColumns
        if !wide && state.detailOpen, let c = state.selectedCall {
            drawDetail(c, col: 0, row: row, width: cols, height: height)
            return
        }
        let listWidth = wide ? cols * 55 / 100 : cols
        let contactW = callColumns(listWidth).contact
        let heading = "  " + fitToWidth("When", dateStyle.width) + "  " + fitToWidth("Contact", contactW) + " "
            + fitToWidth("Length", 7, alignRight: true) + "  " + fitToWidth("Ans", 3) + " " + "Disposition"
        drawListHeading(heading, row: row, width: listWidth)
        let list = state.callList
        let n = list.count(total: state.calls.count)
        if n == 0 {
            drawEmpty(emptyText(loaded: state.callsLoaded, error: state.callsError, list: list,
                                empty: "No calls yet. Log one from a task (tab 1)."), row: row, width: listWidth)
        }
        for i in 0..<max(0, min(height - 1, n - list.top)) {
            let r = list.top + i
            guard let idx = list.sourceIndex(r, total: state.calls.count) else { break }
            let c = state.calls[idx]
            let y = row + 1 + i
            var x = 2
            canvas.field(shortDateTime(c.startDate), col: x, row: y, width: dateStyle.width); x += dateStyle.width + 2
            canvas.field(contactLabel(c), col: x, row: y, width: contactW, style: CellStyle(bold: true)); x += contactW + 1
            canvas.field(c.duration.map(formatDuration) ?? "", col: x, row: y, width: 7, alignRight: true); x += 9
            let m = mark(c)
            canvas.field(m, col: x, row: y, width: 3,
                         style: CellStyle(role: m == "H" ? .success : m == "VM" ? .warning : .muted)); x += 4
            let disp = state.dispositionName(id: c.dispositionID, fallback: c.dispositionName) ?? ""
            canvas.field(disp, col: x, row: y, width: max(0, listWidth - x))
            drawRowSelection(row: y, width: listWidth, selected: r == list.cursor)
        }
        if state.callsLoading && state.callsLoaded && n - list.top < height - 1 {
            canvas.text("  loading more" + g.ellipsis.description, col: 0, row: row + 1 + (n - list.top),
                        width: listWidth, style: CellStyle(role: .muted))
        }
        if wide {
            for y in row..<row + height { canvas.text(g.vertical, col: listWidth, row: y, style: CellStyle(role: .muted)) }
            if let c = state.selectedCall {
                drawDetail(c, col: listWidth + 2, row: row, width: cols - listWidth - 2, height: height)
            }
        }
    }

    // MARK: detail

    mutating func drawDetail(_ c: Call, col: Int, row: Int, width: Int, height: Int) {
        guard width > 10, height > 0 else { return }
        let (lines, truncatedText) = detailLines(c, width: width, rows: state.detailScroll + 2 * height)
        let top = max(0, min(state.detailScroll, lines.count - height))
        let below = lines.count - top - height
        for (i, (text, style)) in lines.dropFirst(top).prefix(height).enumerated() {
            canvas.text(text, col: col, row: row + i, width: width, style: style)
        }
        if below > 0 || truncatedText {
            // The last row tells that the detail goes on, and how to scroll it.
            let stacked = cols < Layout.sideBySideColumns
            let keys = stacked ? "j/k PgDn/PgUp scroll" : "J/K scroll"
            let more = truncatedText ? "more" : "\(below + 1) more lines"
            canvas.field("\(canvas.unicode ? "↓" : "v") \(more) \(g.dot) \(keys)", col: col, row: row + height - 1,
                         width: width, style: CellStyle(role: .muted, bold: true))
        }
    }

    /// The lines of the call detail `width` columns wide; long notes and transcriptions are wrapped only as
    /// far as `rows` rows need (a 10 000-character note costs no more). Returns the lines and whether text
    /// was cut short of that.
    func detailLines(_ c: Call, width: Int, rows height: Int) -> ([(String, CellStyle)], Bool) {
        var lines: [(String, CellStyle)] = []
        var truncatedText = false
        let labelW = 15
        func add(_ label: String, _ value: String, _ style: CellStyle = .plain) {
            let valueLines = wrapText(value, width: max(1, width - labelW))
            for (i, v) in valueLines.enumerated() {
                // The label column always ends in a space, however long a label gets.
                lines.append(((i == 0 ? fitToWidth(label, labelW - 1) + " " : String(repeating: " ", count: labelW)) + v,
                              style))
            }
        }
        func body(_ text: String) {
            // Only as much text as can fill the pane is wrapped (a 10 000-character note costs no more).
            let budget = max(1, height) * (width + 1)
            var shown = text
            var cut = false
            if text.utf8.count > budget { shown = String(text.prefix(budget)); cut = shown.count < text.count }
            for l in wrapText(shown, width: max(1, width - 2)) { lines.append(("  " + l, .plain)) }
            if cut { truncatedText = true }
        }
        func block(_ label: String, _ text: String?) {
            guard let text, !isBlank(text) else {
                add(label, "(none)", CellStyle(role: .muted)); return
            }
            lines.append((label, CellStyle(bold: true)))
            body(text)
        }
        lines.append((contactLabel(c), CellStyle(role: .accent, bold: true)))
        if let e = c.contact?.email, !e.isEmpty { add("Email", e) }
        if c.contact == nil { add("Contact", "(no contact)", CellStyle(role: .muted)) }
        add("To", c.to ?? "")
        add("From", c.from ?? "")
        add("Start", longDateTime(c.startDate))
        add("Duration", c.duration.map { "\(formatDuration($0)) (\($0) s)" } ?? "unknown")
        let answered: String = switch (c.answered, c.human) {
        case (false?, _): "no answer"
        case (true?, true?): "answered by a person (H)"
        case (true?, false?): "answered by voicemail / a machine (VM)"
        case (true?, nil): "answered"
        default: "unknown"
        }
        add("Answered", answered)
        if let id = c.dispositionID, let d = state.dispositionsByID[id] {
            add("Disposition", "\(d.name ?? d.slug ?? id) \(g.dash) \(actionWords(d.action))")
        } else if let name = c.dispositionName {
            add("Disposition", "\(name) \(g.dash) effect unknown (not in the loaded list)")
        } else if let id = c.dispositionID {
            add("Disposition", "\(id) \(g.dash) unknown disposition")
        } else {
            add("Disposition", "(none)", CellStyle(role: .muted))
        }
        if c.direction != nil { add("Direction", c.direction ?? "") }
        // Notes the server did not store, from the local journal (design.md §4), labelled as such.
        if let local = state.journalNotes[c.id], !isBlank(local),
           local.trimmingCharacters(in: .whitespacesAndNewlines)
            != (c.notes ?? "").trimmingCharacters(in: .whitespacesAndNewlines) {
            if let server = c.notes, !isBlank(server) { block("Notes", server) } else {
                lines.append(("Notes", CellStyle(bold: true)))
            }
            let who = state.environment.isSandbox ? "the server" : "Amplemarket"
            lines.append(("  (kept locally \(g.dash) not stored by \(who))", CellStyle(role: .warning, underline: true)))
            body(local)
        } else {
            block("Notes", c.notes)
        }
        block("Transcription", c.transcription ?? c.transcript.map { entries in
            entries.map { "\($0.speaker ?? "?"): \($0.text ?? "")" }.joined(separator: "\n") })
        let hasRecording = c.recordingURL?.isEmpty == false
        if c.external == true && hasRecording {
            add("Recording", c.recordingURL! + " (Y copies)")
        } else if c.external == false && hasRecording {
            add("Recording", "\(keymap.primary(.recording, unicode: canvas.unicode)) downloads it to "
                + state.environment.downloadDirectory)
        } else {
            add("Recording", "no recording", CellStyle(role: .muted))
        }
        add("Call id", c.id, CellStyle(role: .muted))
        if let t = c.taskID { add("Task id", t, CellStyle(role: .muted)) }
        return (lines, truncatedText)
    }

    // MARK: outbox

    mutating func drawOutbox(row: Int, height: Int) {
        let width = cols
        let fixed = 2 + dateStyle.width + 2 + 15 + 2 + 4 + 2 + 2
        let flex = max(2, width - fixed)
        let summaryW = flex * 45 / 100
        let errorW = flex - summaryW
        drawListHeading("  " + fitToWidth("Created", dateStyle.width) + "  " + fitToWidth("State", 15) + "  " + fitToWidth("Try", 4)
            + "  " + fitToWidth("Call", summaryW) + "  Last error", row: row, width: width)
        let list = state.outboxList
        let n = state.outbox.count
        if n == 0 {
            drawEmpty("The Outbox is empty: every log has reached the server.", row: row, width: width)
            return
        }
        for i in 0..<max(0, min(height - 1, n - list.top)) {
            let r = list.top + i
            let e = state.outbox[r]
            let y = row + 1 + i
            var x = 2
            canvas.field(shortDateTime(e.createdAt), col: x, row: y, width: dateStyle.width); x += dateStyle.width + 2
            let (word, role): (String, ColorRole) = switch e.state {
            case .pending: ("pending", .warning)
            case .sending: ("sending" + g.ellipsis.description, .accent)
            case .sent: ("sent", .success)
            case .needsAttention: ("NEEDS ATTENTION", .danger)
            case .discarded: ("discarded", .muted)
            }
            canvas.field(word, col: x, row: y, width: 15, style: CellStyle(role: role, bold: role == .danger)); x += 17
            canvas.field("\(e.attempts)", col: x, row: y, width: 4, alignRight: true); x += 6
            canvas.field(e.summary, col: x, row: y, width: summaryW); x += summaryW + 2
            canvas.field(e.lastError ?? "", col: x, row: y, width: errorW, style: CellStyle(role: .danger))
            drawRowSelection(row: y, width: width, selected: r == list.cursor)
        }
    }

    // MARK: form

    mutating func drawForm(_ form: LogForm, row: Int, height: Int) {
        let d = form.base
        var y = row
        var title = "Log a call"
        if let n = d.contactName, !n.isEmpty { title += " to \(n)" } else { title += " (no contact)" }
        if let e = d.contactEmail, !e.isEmpty { title += " <\(e)>" }
        if let s = d.sequenceName, !s.isEmpty { title += " \(g.dot) \(s)" }
        // Too long a title is cut with `…` (not mid-word without a mark).
        if displayWidth(title) > cols - 2 { title = fitToWidth(title, cols - 2, ellipsis: g.ellipsis) }
        canvas.text(title, col: 1, row: y, width: cols - 2, style: CellStyle(role: .accent, bold: true))
        y += 1
        if let err = form.formError {
            canvas.text(g.error + " " + err, col: 1, row: y, width: cols - 2, style: CellStyle(role: .danger, bold: true))
            y += 1
        }
        let labelW = 15
        let valueCol = 2 + labelW
        let valueW = max(4, min(cols - valueCol - 2, 60))
        let limit = row + height
        for field in FormField.allCases {
            guard y < limit else { break }
            let focused = field == form.focus
            if focused { canvas.text(g.marker, col: 0, row: y, style: CellStyle(role: .accent, bold: true)) }
            let required = [.to, .from, .duration].contains(field)
            canvas.field(field.label + (required ? " *" : ""), col: 2, row: y, width: labelW,
                         style: CellStyle(role: focused ? .accent : .normal, bold: focused))
            switch field {
            case .answered, .human:
                let on = field == .answered ? d.answered : d.human
                canvas.text(on ? "[x] yes" : "[ ] no", col: valueCol, row: y,
                            style: CellStyle(role: focused ? .selection : .normal, reverse: focused))
            case .disposition:
                var text = "(none) Enter picks"
                if let id = d.dispositionID {
                    if let disp = state.dispositionsByID[id] {
                        text = "\(disp.name ?? disp.slug ?? id) \(g.dash) \(actionWords(disp.action))"
                    } else { text = id }
                }
                canvas.text("[", col: valueCol, row: y)
                canvas.field(text, col: valueCol + 1, row: y, width: valueW,
                             style: CellStyle(role: focused ? .selection : .normal, reverse: focused))
                canvas.text("]", col: valueCol + 1 + valueW, row: y)
            default:
                let tf = form.fields[field] ?? TextField()
                // Durations are short: a narrow box leaves room for the seconds and the timer beside it.
                let boxW = field == .duration ? min(valueW, 10) : valueW
                let (vis, cur) = tf.visible(width: boxW)
                canvas.text("[", col: valueCol, row: y)
                canvas.field(vis, col: valueCol + 1, row: y, width: boxW, style: CellStyle(underline: true))
                canvas.text("]", col: valueCol + 1 + boxW, row: y)
                if focused {
                    canvas.restyle(col: valueCol + 1 + cur, row: y, width: 1, style: CellStyle(reverse: true))
                }
                if field == .duration {
                    var x = valueCol + 2 + boxW
                    if let secs = parseDuration(tf.text) {
                        x += canvas.text(" = \(secs) s", col: x, row: y, style: CellStyle(role: .muted))
                    }
                    if let t = state.timerText {
                        let stop = keymap.primary(.timer, unicode: canvas.unicode)
                        canvas.text("  timer \(t) running \(g.dash) \(stop) stops", col: x, row: y,
                                    style: CellStyle(role: .warning, bold: true))
                    } else if focused {
                        canvas.text("  \(keymap.primary(.timer, unicode: canvas.unicode)) starts a timer", col: x, row: y,
                                    style: CellStyle(role: .muted))
                    }
                }
            }
            y += 1
            if let err = form.errors[field], y < limit {
                canvas.text(g.error + " " + err, col: valueCol, row: y, width: cols - valueCol,
                            style: CellStyle(role: .danger, bold: true))
                y += 1
            }
        }
        if y + 1 < limit {
            let task = d.taskID.map { "task \($0)" } ?? "no task"
            canvas.text("\(task) \(g.dot) user \(state.user?.email ?? d.userID ?? "?") \(g.dot) * required",
                        col: 2, row: y + 1, width: cols - 4, style: CellStyle(role: .muted))
        }
    }

    // MARK: modals

    mutating func centeredBox(width: Int, height: Int, title: String) -> (col: Int, row: Int, width: Int, height: Int) {
        let w = min(width, cols - 2)
        let h = min(height, rows - 2)
        return canvas.box(col: (cols - w) / 2, row: max(1, (rows - h) / 2), width: w, height: h, title: title,
                          style: CellStyle(role: .normal))
    }

    mutating func drawModal(_ modal: Modal) {
        switch modal {
        case .help: drawHelp()
        case .filterMenu(let m): drawFilterMenu(m)
        case .confirm(let c): drawConfirm(c)
        case .dispositionPicker(let p): drawDispositionPicker(p)
        case .userPicker(let p): drawUserPicker(p)
        }
    }

    mutating func drawConfirm(_ c: Confirmation) {
        let text: String
        switch c {
        case .sendComplete:
            let name = state.form?.base.dispositionID.flatMap { state.dispositionName(id: $0) } ?? "This disposition"
            text = "\(name) completes the task and its sequence lead \(g.dash) cannot be undone here. Send? y/n"
        case .sendUnknownEffect:
            let name = state.form?.base.dispositionID.flatMap { state.dispositionName(id: $0) } ?? "This disposition"
            text = "\(name): its effect on the task is unknown \(g.dash) send? y/n"
        case .quit:
            var parts: [String] = []
            if state.form?.isChanged == true || state.keptDraft != nil {
                parts.append("A log is not sent yet. Its draft stays saved and is offered back next time.")
            }
            let n = state.unsentCount
            if n > 0 {
                parts.append(n == 1 ? "1 log is still queued; it is kept and sent next time."
                                    : "\(n) logs are still queued; they are kept and sent next time.")
            }
            let a = state.needsAttentionCount
            if a > 0 {
                parts.append(a == 1 ? "1 log needs your attention in the Outbox (it is kept)."
                                    : "\(a) logs need your attention in the Outbox (they are kept).")
            }
            text = (parts.isEmpty ? "" : parts.joined(separator: " ") + " ") + "Quit? y/n"
        case .discardOutbox(_, let summary):
            text = "Discard the log \(summary)? It will never be sent. y/n"
        case .replaceDraft:
            let who = state.keptDraft?.contactName ?? state.keptDraft?.to ?? "another call"
            text = "An unsent draft for \(who) exists. Discard it and log this task instead? y/n"
        }
        let w = min(60, cols - 4)
        let lines = wrapText(text, width: w - 4)
        let inner = centeredBox(width: w, height: lines.count + 2, title: "Confirm")
        for (i, l) in lines.prefix(inner.height).enumerated() {
            canvas.text(l, col: inner.col, row: inner.row + i, width: inner.width, style: CellStyle(bold: true))
        }
    }

    mutating func drawPickerRows(_ rowsText: [(String, String)], cursor: Int, filter: String, title: String,
                                 emptyText: String, notice: String? = nil) {
        let w = min(64, cols - 4)
        let noticeLines = notice.map { wrapText($0, width: max(1, w - 4)) } ?? []
        let visible = min(rowsText.count, max(1, rows - 8 - noticeLines.count))
        var inner = centeredBox(width: w, height: visible + 3 + noticeLines.count, title: title)
        for (i, line) in noticeLines.enumerated() where i < inner.height {
            canvas.text(line, col: inner.col, row: inner.row + i, width: inner.width,
                        style: CellStyle(role: .danger, bold: true))
        }
        inner.row += noticeLines.count
        inner.height -= noticeLines.count
        canvas.text("Filter: " + filter, col: inner.col, row: inner.row, width: inner.width,
                    style: CellStyle(role: .muted))
        if rowsText.isEmpty {
            canvas.text(emptyText, col: inner.col, row: inner.row + 1, width: inner.width, style: CellStyle(role: .muted))
            return
        }
        let top = max(0, min(cursor - visible + 1, rowsText.count - visible))
        let nameW = max(4, min(rowsText.map { displayWidth($0.0) }.max() ?? 0, inner.width - 4 - 22))
        for i in 0..<max(0, min(visible, inner.height - 1)) {
            let idx = top + i
            guard idx < rowsText.count else { break }
            let y = inner.row + 1 + i
            let number = idx < 9 ? "\(idx + 1) " : "  "
            let line = number + fitToWidth(rowsText[idx].0, nameW, ellipsis: g.ellipsis) + "  " + rowsText[idx].1
            canvas.field(line, col: inner.col, row: y, width: inner.width)
            if idx == cursor {
                canvas.restyle(col: inner.col, row: y, width: inner.width,
                               style: CellStyle(role: .selection, bold: true, reverse: true))
            }
        }
    }

    mutating func drawDispositionPicker(_ p: PickerState) {
        let items = filteredDispositions(state, p.filter)
        let rowsText = items.map { ($0.name ?? $0.slug ?? $0.id, actionWords($0.action)) }
        drawPickerRows(rowsText, cursor: p.cursor, filter: p.filter, title: "Disposition",
                       emptyText: state.dispositionsLoaded ? "No disposition matches." : "Dispositions not loaded (R retries).")
    }

    mutating func drawUserPicker(_ p: PickerState) {
        let items = filteredUsers(state, p.filter)
        let rowsText = items.map { ($0.name ?? $0.email ?? $0.id, $0.email ?? "") }
        // A configured e-mail (--user / AMPLEMARKET_USER / config) that is not in the workspace, said plainly.
        var notice: String?
        if let email = state.environment.configuredUserEmail, state.user == nil,
           !(state.users ?? []).contains(where: { ($0.email ?? "").caseInsensitiveCompare(email) == .orderedSame }) {
            notice = "No user \(email) in this workspace \(g.dash) pick who you are"
        }
        drawPickerRows(rowsText, cursor: p.cursor, filter: p.filter, title: "Who are you?", emptyText: "No user matches.",
                       notice: notice)
    }

    /// Every key of the current screen (the `?` overlay), with the effective keys of `environment.keymap`.
    var helpLines: [(String, String)] {
        let km = keymap
        let u = canvas.unicode
        func k(_ a: KeyAction...) -> String { a.map { km.label($0, unicode: u) }.joined(separator: " ") }
        if state.form != nil {
            return [(u ? "Tab ↓ / S-Tab ↑" : "Tab Down / S-Tab Up", "next / previous field"), ("Enter", "next field (wraps); on Disposition: picker"),
                    ("Space", "toggle Answered / Human (y / n set)"), (k(.send), "send (the only key that sends)"),
                    (k(.timer), "start / stop the call timer (fills Duration)"),
                    (k(.editor), "edit Notes / Transcription in $EDITOR"), ("Esc", "close, keep the draft"),
                    ("Ctrl-A/E Home/End", "start / end of field"), (u ? "Ctrl-B/F ←/→" : "Ctrl-B/F Left/Right", "character left / right"),
                    ("Alt-B / Alt-F", "word left / right"), ("Ctrl-K / Ctrl-U", "cut to end / to start"),
                    ("Ctrl-W / Alt-D", "cut word before / after"), ("Ctrl-Y", "paste what was cut"),
                    ("Ctrl-L", "redraw the screen"), ("Ctrl-C", "quit (asks first)")]
        }
        var lines: [(String, String)] = [(k(.down, .up), "move down / up"), (k(.top, .bottom), "first / last"),
                                         (k(.pageDown, .pageUp), "page down / up"),
                                         (k(.halfPageDown, .halfPageUp), "half page down / up"),
                                         (k(.filter), "search text (Esc clears)"),
                                         (k(.nextTab, .previousTab, .tasksTab, .callsTab, .outboxTab), "switch tab")]
        switch state.tab {
        case .tasks:
            lines += [("Enter " + k(.log), "log a call for the task"),
                      (k(.copyNumber, .copyID), "copy last number / task id")]
        case .calls:
            lines += [(k(.filterMenu), "filters: answered, VM, disposition, date"),
                      (k(.open), "open detail (Esc back, j/k/PgDn scroll)"),
                      ("J / K", "scroll the detail beside the list"), (k(.log), "log another call for its task"),
                      (k(.recording), "download recording (external: show URL)"),
                      (k(.copyNumber, .copyID), "copy number / call id or URL")]
        case .outbox:
            lines += [("Enter " + k(.log), "edit and re-send a failed log"),
                      (k(.discard), "discard a log not yet sent (asks)"), (k(.copyNumber, .copyID), "copy number / id")]
        }
        lines += [(k(.refresh), "refresh"), ("Esc", "dismiss error / back / clear filters"), ("Ctrl-L", "redraw the screen"),
                  (k(.help), "this help"), (k(.quit) + " Ctrl-C", "quit (asks when a draft is unsent)")]
        return lines
    }

    // MARK: filter menu

    mutating func drawFilterMenu(_ m: FilterMenuState) {
        let w = min(76, cols - 2)
        let inner = centeredBox(width: w, height: FilterRow.allCases.count + 4, title: "Filter calls")
        let labelW = 16
        for (i, row) in FilterRow.allCases.enumerated() {
            let y = inner.row + i
            let focused = row == m.cursor
            if focused { canvas.text(g.marker, col: inner.col - 1, row: y, style: CellStyle(role: .accent, bold: true)) }
            canvas.field("\(row.quickKey) \(row.label)", col: inner.col, row: y, width: labelW,
                         style: CellStyle(role: focused ? .accent : .normal, bold: focused))
            var x = inner.col + labelW
            let limit = inner.col + inner.width
            func option(_ word: String, _ count: Int?, selected: Bool) {
                guard x < limit else { return }
                let text = selected ? "[\(word) \(count ?? 0)]" : " \(word) \(count ?? 0) "
                x += canvas.text(text, col: x, row: y, width: limit - x,
                                 style: selected ? CellStyle(role: .selection, bold: true, reverse: focused) : CellStyle(role: .muted))
                x += canvas.text(" ", col: x, row: y, width: max(0, limit - x))
            }
            switch row {
            case .answered:
                for v in CallFilter.Answered.allCases { option(v.word, m.answeredCounts[v], selected: state.callFilter.answered == v) }
            case .party:
                for v in CallFilter.Party.allCases { option(v.word, m.partyCounts[v], selected: state.callFilter.party == v) }
            case .date:
                for v in CallFilter.DateRange.allCases { option(v.word, m.dateCounts[v], selected: state.callFilter.dateRange == v) }
            case .disposition:
                let v = state.callFilter.disposition
                let (l, r) = canvas.unicode ? ("◂", "▸") : ("<", ">")
                x += canvas.text(l + " ", col: x, row: y, width: max(0, limit - x), style: CellStyle(role: .muted))
                option(state.word(v), m.dispositionCounts[v], selected: true)
                canvas.text(r, col: x, row: y, width: max(0, limit - x), style: CellStyle(role: .muted))
            }
        }
        let shown = state.callList.count(total: state.calls.count)
        let more = state.callsNext != nil ? " (more pages load as you scroll)" : ""
        canvas.text("Showing \(shown) of \(state.calls.count) loaded calls\(more).", col: inner.col,
                    row: inner.row + FilterRow.allCases.count + 1, width: inner.width, style: CellStyle(role: .muted))
    }

    mutating func drawHelp() {
        let lines = helpLines
        let keyW = min(24, lines.map { displayWidth($0.0) }.max() ?? 10)
        let w = min(72, cols - 2)
        let inner = centeredBox(width: w, height: lines.count + 2, title: "Keys")
        for (i, (k, v)) in lines.prefix(inner.height).enumerated() {
            canvas.field(k, col: inner.col, row: inner.row + i, width: keyW, style: CellStyle(role: .accent, bold: true))
            canvas.field(v, col: inner.col + keyW + 2, row: inner.row + i, width: max(0, inner.width - keyW - 2))
        }
    }
}

extension Optional {
    var isNil: Bool { self == nil }
}

/// True when `s` holds nothing but white space and newlines.
/// (Checks scalars directly: Foundation's trimming is slow on Linux, and list rows call this per frame.)
func isBlank(_ s: String) -> Bool {
    for u in s.utf8 where u != 0x20 && u != 0x09 && u != 0x0A && u != 0x0D {
        if u < 0x80 { return false }
        return s.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
    return true
}
