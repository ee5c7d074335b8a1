import Foundation
import AmplemarketModels

/// The lines of a task's detail: contact, e-mail, the number last used with where it belongs and the
/// contact's local time (when the number's country has one zone), sequence, due, manual or automatic,
/// status, task notes, and the last calls to the contact (date, length, outcome, notes). For a call
/// back: when it is due and its note, then the same.
struct TaskDetail {
    let row: TaskRow
    let context: FeatureContext
    let glyphs: Glyphs

    typealias Line = (text: String, style: CellStyle)

    func lines(width: Int) -> [Line] {
        var lines: [Line] = []
        let labelW = 11
        let g = glyphs
        let env = context.environment
        func add(_ label: String, _ value: String, _ style: CellStyle = .plain) {
            for (i, v) in wrapText(value, width: max(1, width - labelW)).enumerated() {
                lines.append(((i == 0 ? fitToWidth(label, labelW - 1) + " " : String(repeating: " ", count: labelW)) + v, style))
            }
        }
        func paragraph(_ text: String, indent: Int = 2) {
            for l in wrapText(text, width: max(1, width - indent)).prefix(6) {
                lines.append((String(repeating: " ", count: indent) + l, .plain))
            }
        }
        let contact = row.contact
        lines.append((TasksView.contactName(contact), CellStyle(role: .accent, bold: true)))
        if let email = contact?.email, !isBlank(email), contact?.name.map(isBlank) == false { add("E-mail", email) }
        let region = context.defaultRegion
        let number = contact?.id.flatMap { context.session.numbers.to($0, region: region) } ?? row.callBack?.number
        if let number, !isBlank(number) {
            add("Number", numberWithPlace(number, region: region, now: context.now, g))
        }
        // Where the number's country has several zones (or no number is known), the hour the server's
        // task filters gave, said as what it is: an hour, when it was checked.
        let zoneKnown = number.flatMap { numberTimeZone($0, defaultRegion: region) } != nil
        if !zoneKnown, let cid = contact?.id, let known = context.session.contactHours, let hour = known.hours[cid] {
            add("Their time", "\(pad2(hour, "0")):00\(g.dash)\(pad2(hour, "0")):59 at \(env.hourMinute(known.checkedAt)) "
                + "(the hour the server gives)", CellStyle(role: .muted))
        }
        if number == nil || isBlank(number ?? "") {
            add("Number", "not known yet (no call to this contact loaded)", CellStyle(role: .muted))
        }
        switch row {
        case .callBack(let c):
            let late = c.due <= context.now
            add("Call back", env.dueText(c.due) + (late ? " \(g.dot) due" : ""), CellStyle(role: late ? .warning : .normal, bold: late))
            add("Set", env.listDateTime(c.createdAt) + " (kept on this machine, never sent)", CellStyle(role: .muted))
            if let s = c.sequenceName, !isBlank(s) { add("Sequence", s) }
            if let note = c.note, !isBlank(note) { lines.append(("Note", CellStyle(bold: true))); paragraph(note) }
        case .task(let t):
            if let s = t.sequenceName, !isBlank(s) { add("Sequence", s) }
            if let due = t.dueOn {
                let late = TaskSection.of(row, QueueClock(now: context.now, zone: context.zone)) == .overdue
                let dateOnly = Int(due.timeIntervalSince1970) % 86_400 == 0
                add("Due", (dateOnly ? env.shortDate(due) + " (the day, no time)" : env.listDateTime(due)) + (late ? " \(g.dot) overdue" : ""),
                    CellStyle(role: late ? .warning : .normal, bold: late))
            }
            switch t.automatic {
            case true?: add("Mode", "automatic: the sequence does this step")
            case false?: add("Mode", "manual: you call, then log it")
            default: break
            }
            if let status = t.status, !t.isScheduled { add("Status", status + (t.finishedOn.map { " " + env.listDateTime($0) } ?? "")) }
            if t.type == "email" { add("Type", "email task (logging a call still works)") }
            if let notes = t.notes, !isBlank(notes) { lines.append(("Task notes", CellStyle(bold: true))); paragraph(notes) }
        }
        let calls = contact?.id.flatMap { context.session.history.byContact[$0] } ?? []
        lines.append(("Last calls", CellStyle(bold: true)))
        if calls.isEmpty {
            lines.append(("  none loaded for this contact", CellStyle(role: .muted)))
        }
        let dispositions = context.session.dispositions
        for c in calls {
            let length = fitToWidth(c.duration.map(formatDuration) ?? "?", 6, alignRight: true)
            lines.append(("  " + env.listDateTime(c.startDate) + length + "  " + c.outcomeWords(dispositions), .plain))
            if let notes = c.notes, !isBlank(notes) {
                for l in wrapText(notes, width: max(1, width - 4)).prefix(2) { lines.append(("    " + l, CellStyle(role: .muted))) }
            }
        }
        return lines
    }
}

/// The selected row's detail, scrolled; its last row says when there is more.
enum TaskDetailView {
    static func draw(_ row: TaskRow, _ tasks: TasksState, _ context: FeatureContext, _ canvas: inout Canvas, in rect: Rect) {
        guard rect.width > 10, rect.height > 0 else { return }
        let lines = TaskDetail(row: row, context: context, glyphs: canvas.glyphs).lines(width: rect.width)
        let top = max(0, min(tasks.detail.scroll, lines.count - rect.height))
        let below = lines.count - top - rect.height
        for (i, (text, style)) in lines.dropFirst(top).prefix(rect.height).enumerated() {
            canvas.text(text, col: rect.col, row: rect.row + i, width: rect.width, style: style)
        }
        if below > 0 {
            let keys = CallsScreen.detailScrollKeys(context.keymap).map(context.labels.key).joined(separator: "/")
            canvas.field("\(canvas.unicode ? "↓" : "v") \(below + 1) more lines" + (keys.isEmpty ? "" : " \(canvas.glyphs.dot) \(keys) scroll"),
                         col: rect.col, row: rect.row + rect.height - 1, width: rect.width,
                         style: CellStyle(role: .muted, bold: true))
        }
    }
}

extension TasksState {
    /// Scrolls the detail of the selected row by `delta` lines, within what it holds.
    mutating func scrollDetail(by delta: Int, _ context: FeatureContext) {
        guard let row = list.selected, let rect = layout(context).detail ?? Optional(context.frame.body) else { return }
        let count = TaskDetail(row: row, context: context, glyphs: context.environment.unicode ? .unicode : .ascii)
            .lines(width: rect.width).count
        detail.scroll = max(0, min(detail.scroll + delta, max(0, count - rect.height + 1)))
    }
}
