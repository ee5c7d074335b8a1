import AmplemarketModels

/// The log form: a title naming the contact and sequence, the form's own error, then one row per field
/// (label, `*` when required, value box or toggle, its error below), and the task and user at the end.
enum LogFormView {
    static func draw(_ state: LogFormState, _ form: LogForm, _ context: FeatureContext, _ canvas: inout Canvas) {
        let body = context.frame.body
        let cols = body.width
        let g = canvas.glyphs
        let d = form.base
        var y = body.row
        // Who is called: the contact's name (and e-mail), else the e-mail, else the number typed.
        var title = "Log a call"
        let email = d.contactEmail.flatMap { $0.isEmpty ? nil : $0 }
        let number = (form.fields[.to]?.text ?? "").trimmingCharacters(in: .whitespaces)
        if let n = d.contactName, !n.isEmpty {
            title += " to \(n)" + (email.map { " <\($0)>" } ?? "")
        } else if let email {
            title += " to \(email)"
        } else {
            title += number.isEmpty ? " (no contact)" : " to \(shownNumber(number, defaultRegion: context.defaultRegion))"
        }
        if let s = d.sequenceName, !s.isEmpty { title += " \(g.dot) \(s)" }
        canvas.message(title, col: 1, row: y, width: cols - 2, style: CellStyle(role: .accent, bold: true))
        y += 1
        if d.taskIsCompleted, y < body.row + body.height {
            canvas.message("This task is already completed: logging a call keeps it completed.", col: 1, row: y,
                           width: cols - 2, style: CellStyle(role: .warning))
            y += 1
        }
        if let err = form.formError {
            y += canvas.wrappedMessage(g.error + " " + err, col: 1, row: y, width: cols - 2,
                                       maxLines: min(2, body.row + body.height - y), indent: 2,
                                       style: CellStyle(role: .danger, bold: true))
        }
        let labelW = 15
        let valueCol = 2 + labelW
        let valueW = max(4, min(cols - valueCol - 2, 60))
        let limit = body.row + body.height
        let timerKey = context.labels.primary(.timer)
        // Contradictions are marked where the rep would fix them; sending asks to confirm them.
        let contradictions = form.contradictions(context.session.dispositions)
        let numberWarnings = form.numberWarnings(context.defaultRegion)
        // In a short window the fields scroll so that the focused one is always drawn: fields above it
        // are left out (a mark says how many) until it and its second line fit.
        func rows(_ field: FormField) -> Int {
            if form.errors[field] != nil || contradictions.contains(where: { $0.field == field })
                || numberWarnings.contains(where: { $0.field == field }) { return 2 }
            if field == .to || field == .from,
               case .valid = checkNumber(form.fields[field]?.text ?? "", defaultRegion: context.defaultRegion) { return 2 }
            if field == .callBack, callBackLine(form, focused: field == form.focus, context, g) != nil { return 2 }
            return 1
        }
        let fields = FormField.allCases
        var first = 0
        if let focusIndex = fields.firstIndex(of: form.focus) {
            let upToFocus = { (from: Int) in fields[from...focusIndex].reduce(0) { $0 + rows($1) } }
            while first < focusIndex && upToFocus(first) + (first > 0 ? 1 : 0) > limit - y { first += 1 }
        }
        if first > 0 {
            canvas.message("\(g.ellipsis) \(first) field\(first == 1 ? "" : "s") above (\(context.labels.key(.backTab)))", col: 2, row: y,
                           width: cols - 4, style: CellStyle(role: .muted))
            y += 1
        }
        for field in fields[first...] {
            guard y < limit else { break }
            let focused = field == form.focus
            if focused { canvas.text(g.marker, col: 0, row: y, style: CellStyle(role: .accent, bold: true)) }
            let required = [.to, .from, .duration].contains(field)
            canvas.field(field.label + (required ? " *" : ""), col: 2, row: y, width: labelW,
                         style: CellStyle(role: focused ? .accent : .normal, bold: focused))
            switch field {
            case .answered, .human:
                let value = field == .answered ? d.answered : d.human
                let text = value.map { $0 ? "[x] yes" : "[ ] no" } ?? "[?] not set"
                canvas.text(text, col: valueCol, row: y,
                            style: CellStyle(role: focused ? .selection : value == nil ? .muted : .normal, reverse: focused))
            case .disposition:
                var text = "(none) Enter picks"
                if let id = d.dispositionID {
                    if let disp = context.session.dispositions.byID[id] {
                        text = "\(disp.name ?? disp.slug ?? id) \(g.dash) \(disp.action.words(taskIsCompleted: d.taskIsCompleted))"
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
                    if let t = state.timerText(at: context.now) {
                        canvas.message("  timer \(t) running \(g.dash) \(timerKey) stops", col: x, row: y,
                                       width: cols - x, style: CellStyle(role: .warning, bold: true))
                    } else if focused {
                        canvas.message("  \(timerKey) starts a timer", col: x, row: y, width: cols - x,
                                       style: CellStyle(role: .muted))
                    }
                }
            }
            y += 1
            if let err = form.errors[field], y < limit {
                canvas.message(g.error + " " + err, col: valueCol, row: y, width: cols - valueCol,
                            style: CellStyle(role: .danger, bold: true))
                y += 1
            } else if let clash = contradictions.first(where: { $0.field == field }), y < limit {
                canvas.message("! " + clash.contradiction.message, col: valueCol, row: y, width: cols - valueCol,
                            style: CellStyle(role: .warning, bold: true))
                y += 1
            } else if let warning = numberWarnings.first(where: { $0.field == field }), y < limit {
                canvas.message("! " + warning.message, col: valueCol, row: y, width: cols - valueCol,
                            style: CellStyle(role: .warning, bold: true))
                y += 1
            } else if field == .to || field == .from, y < limit,
                      case .valid = checkNumber(form.fields[field]?.text ?? "", defaultRegion: context.defaultRegion) {
                // What will be sent, in one readable format, with where it belongs.
                let typed = form.fields[field]?.text ?? ""
                canvas.message(g.arrow + " " + numberWithPlace(typed, region: context.defaultRegion, now: context.now, g),
                            col: valueCol, row: y, width: cols - valueCol, style: CellStyle(role: .muted))
                y += 1
            } else if field == .callBack, y < limit, let line = callBackLine(form, focused: focused, context, g) {
                canvas.message(line, col: valueCol, row: y, width: cols - valueCol, style: CellStyle(role: .muted))
                y += 1
            }
        }
        if y + 1 < limit {
            let task = d.taskID.map { "task \($0)" } ?? "no task"
            let user = context.session.user?.email ?? d.userID ?? "?"
            canvas.message(footer(task: task, user: user, width: cols - 4, g), col: 2, row: y + 1, width: cols - 4,
                           style: CellStyle(role: .muted))
        }
    }

    /// The last line: the task, the user and what `*` means, in `width` columns. When it does not fit, the
    /// task id and then the user's address are shortened with `…` (both are single words), so the
    /// explanation of `*` stays whole.
    static func footer(task: String, user: String, width: Int, _ g: Glyphs) -> String {
        let tail = " \(g.dot) * required"
        let full = "\(task) \(g.dot) user \(user)" + tail
        if displayWidth(full) <= width { return full }
        // The task id gets a third of the room (at least "task 0f8c…"), the address the rest.
        let room = width - displayWidth(tail) - displayWidth(" \(g.dot) user ")
        let taskWidth = min(displayWidth(task), max(10, room / 3))
        let userWidth = min(displayWidth(user), max(1, room - taskWidth))
        return fitToWidth(task, taskWidth, ellipsis: g.ellipsis) + " \(g.dot) user "
            + fitToWidth(user, userWidth, ellipsis: g.ellipsis) + tail
    }

    /// Under the Call back field: when the typed time falls (and that it stays on this machine), or the
    /// forms it takes while the rep is on the empty field.
    static func callBackLine(_ form: LogForm, focused: Bool, _ context: FeatureContext, _ g: Glyphs) -> String? {
        let typed = form.fields[.callBack]?.text ?? ""
        if isBlank(typed) {
            return focused ? "optional: tomorrow 10:00, tue 14:30, +2h, +3d; kept on this machine, never sent" : nil
        }
        guard case .success(let due) = CallBackTime.parse(typed, now: context.now, timeZone: context.zone) else { return nil }
        return g.arrow + " " + context.environment.listDateTime(due) + " \(g.dot) listed under Callbacks, never sent"
    }
}
