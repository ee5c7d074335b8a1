/// Renders the whole screen for `state` at `size` into a grid of cells.
///
/// The frame (`Frame(size:)`) places the header, tab bar, body (the tab's screen, the log form, or a
/// failure that blocks every pane), status line and key hints; a modal is drawn on top. Below
/// `Frame.minimumSize` only "terminal too small (need 60×16)" is drawn, as much as fits. Only visible rows
/// are drawn, so the cost does not grow with the number of loaded calls.
public func render(_ state: AppState, size: Size, options: RenderOptions) -> Grid {
    var canvas = Canvas(size: size, options: options)
    let context = FeatureContext(environment: state.environment, session: state.session, frame: Frame(size: size),
                                 unicode: options.unicode)
    drawScreen(state, context, &canvas)
    return canvas.grid
}

func drawScreen(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
    let frame = context.frame
    if frame.size.rows <= 0 || frame.size.cols <= 0 { return }
    if frame.isTooSmall { drawTooSmall(&canvas); return }
    HeaderView.draw(state, context, &canvas)
    TabBar.draw(state, context, &canvas)
    if let err = context.session.paneError {
        drawPaneMessage(err, in: frame.body, &canvas)
    } else if let form = state.logForm.form {
        LogFormView.draw(state.logForm, form, context, &canvas)
    } else {
        state.tab.screen.draw(state, context, &canvas)
    }
    StatusLineView.draw(state, context, &canvas)
    HintLine.draw(state, context, &canvas)
    if let modal = state.modal { drawModal(modal, state, context, &canvas) }
}

/// "terminal too small (need 60×16)", centred and wrapped to what fits.
func drawTooSmall(_ canvas: inout Canvas) {
    let need = Frame.minimumSize
    let msg = "terminal too small (need \(need.cols)\(canvas.unicode ? "×" : "x")\(need.rows))"
    let lines = wrapText(msg, width: canvas.cols)
    let top = max(0, (canvas.rows - lines.count) / 2)
    for (i, line) in lines.prefix(canvas.rows).enumerated() {
        canvas.text(line, col: max(0, (canvas.cols - displayWidth(line)) / 2), row: top + i)
    }
}

/// A failure that blocks every pane (key rejected, server unreachable), wrapped in the body.
func drawPaneMessage(_ text: String, in body: Rect, _ canvas: inout Canvas) {
    let cols = canvas.cols
    let g = canvas.glyphs
    let width = max(1, min(cols - 4, 76))
    let lines = wrapText(text, width: width - 2)
    let style = CellStyle(role: .danger, bold: true)
    for (i, line) in lines.prefix(body.height - 1).enumerated() {
        let prefix = i == 0 ? g.error + " " : "  "
        canvas.text(prefix + line, col: 2, row: body.row + 1 + i, width: cols - 2, style: style)
    }
}

func drawModal(_ modal: Modal, _ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
    switch modal {
    case .help(let top):
        HelpView.draw(state.helpLines(context), top: top,
                      scrollKeys: "\(context.labels.primary(.down))/\(context.labels.primary(.up))", &canvas)
    case .filterMenu(let m): FilterMenuView.draw(m, state.calls, context, &canvas)
    case .taskFilterMenu(let m): TaskFilterMenuView.draw(m, context, &canvas)
    case .regionPicker(let p): PickerView.drawRegions(p, &canvas)
    case .confirm(let c): ConfirmationView.draw(state.question(c, canvas.glyphs), &canvas)
    case .dispositionPicker(let p):
        PickerView.drawDispositions(p, context.session.dispositions, retryKey: context.labels.primary(.refresh),
                                    taskIsCompleted: state.logForm.form?.base.taskIsCompleted ?? false, &canvas)
    case .userPicker(let p):
        PickerView.drawUsers(p, context.session, configuredEmail: context.environment.configuredUserEmail, &canvas)
    }
}

extension AppState {
    /// Every key of the screen under the help overlay, from its binding table.
    func helpLines(_ context: FeatureContext) -> [(String, String)] {
        if logForm.form != nil { return LogFormKeys.bindings(logForm, context).helpLines(context.labels) }
        return tab.screen.bindings(self, context).helpLines(context.labels)
    }

    /// The question a confirmation asks, with what it would do.
    func question(_ c: Confirmation, _ g: Glyphs) -> String {
        let dispositions = session.dispositions
        switch c {
        case .sendComplete:
            let name = logForm.form?.base.dispositionID.flatMap { dispositions.name(id: $0) } ?? "This disposition"
            return "\(name) completes the task and its sequence lead \(g.dash) cannot be undone here. Send? y/n"
        case .sendUnknownEffect:
            let name = logForm.form?.base.dispositionID.flatMap { dispositions.name(id: $0) } ?? "This disposition"
            return "\(name): its effect on the task is unknown \(g.dash) send? y/n"
        case .sendContradicting(let concerns):
            return concerns.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: ". ") + ". Send anyway? y/n"
        case .quit:
            var parts: [String] = []
            if logForm.hasUnsentDraft { parts.append("A log is not sent yet. Its draft stays saved and is offered back next time.") }
            let n = outbox.unsentCount
            if n > 0 {
                parts.append(n == 1 ? "1 log is still queued; it is kept and sent next time."
                                    : "\(n) logs are still queued; they are kept and sent next time.")
            }
            let a = outbox.needsAttentionCount
            if a > 0 {
                parts.append(a == 1 ? "1 log needs your attention in the Outbox (it is kept)."
                                    : "\(a) logs need your attention in the Outbox (they are kept).")
            }
            return (parts.isEmpty ? "" : parts.joined(separator: " ") + " ") + "Quit? y/n"
        case .discardOutbox(_, let summary):
            return "Discard the log \(summary)? It will never be sent. y/n"
        case .completeTask(let t):
            return "Complete the task for \(TaskQueue.who(t))? It is marked done on the server and leaves your queue. "
                + "y completes the task \(g.dot) l completes its sequence lead too \(g.dot) n/Esc cancels"
        case .skipTask(let t):
            return "Skip the task for \(TaskQueue.who(t))? It is marked skipped on the server and leaves your queue. y/n"
        case .dismissCallBack(let c):
            return "Dismiss the call back to \(TasksView.contactName(c.contact)) due \(environment.dueText(c.due))? "
                + "It is forgotten on this machine (call backs are never sent). y/n"
        case .replaceDraft:
            let who = logForm.keptDraft?.contactName ?? logForm.keptDraft?.to ?? "another call"
            return "An unsent draft for \(who) exists. Discard it and log this task instead? y/n"
        }
    }
}
