import AmplemarketModels

/// What is drawn over the screen, taking every key until it closes.
public enum Modal: Sendable, Hashable {
    /// Choose who the rep is (several users and none configured, or the configured one unknown).
    case userPicker(PickerState)
    /// Choose the log form's disposition.
    case dispositionPicker(PickerState)
    /// The keys of the screen underneath.
    case help
    /// The call-list filter menu.
    case filterMenu(FilterMenuState)
    /// Which country national numbers are in (asked once, when no region is known).
    case regionPicker(PickerState)
    /// The Tasks filter menu.
    case taskFilterMenu(TaskFilterMenuState)
    /// A yes/no question.
    case confirm(Confirmation)
}

/// A yes/no question the rep must answer before something irreversible or lossy.
public enum Confirmation: Sendable, Hashable {
    /// Send a log whose disposition completes the task and its sequence lead.
    case sendComplete
    /// Send a log whose disposition's action is unknown: its effect on the task cannot be told in advance.
    case sendUnknownEffect
    /// Send a log whose parts contradict each other (each in words), plus what its disposition does to
    /// the task when that needs confirming too: one question covers both.
    case sendContradicting([String])
    /// Quit while a draft is unsent or logs are still queued or need attention.
    case quit
    /// Open a new log form although another draft is unsent (the old one would be replaced).
    case replaceDraft(LogDraft)
    /// Discard an outbox entry that was not sent (it will never be sent).
    case discardOutbox(localID: String, summary: String)
    /// Complete a task through the API (`l` completes its sequence lead too).
    case completeTask(TaskRecord)
    /// Skip a task through the API.
    case skipTask(TaskRecord)
    /// Dismiss a call back (it is forgotten on this machine).
    case dismissCallBack(CallBack)

    /// The rep's answer to a key: true yes, false no, nil not an answer. Single keys only: Enter and
    /// pasted text never answer (a paste must not confirm anything).
    static func answer(_ key: Key) -> Bool? {
        switch key {
        case .char("y"), .char("Y"): true
        case .char("n"), .char("N"), .escape: false
        default: nil
        }
    }
}

/// A yes/no question in a box over the screen.
enum ConfirmationView {
    static func draw(_ question: String, _ canvas: inout Canvas) {
        let w = min(60, canvas.cols - 4)
        let lines = wrapText(question, width: w - 4)
        let inner = canvas.centeredBox(width: w, height: lines.count + 2, title: "Confirm")
        for (i, l) in lines.prefix(inner.height).enumerated() {
            canvas.text(l, col: inner.col, row: inner.row + i, width: inner.width, style: CellStyle(bold: true))
        }
    }
}

/// The help overlay: each key of the screen underneath and what it does.
enum HelpView {
    static func draw(_ lines: [(String, String)], _ canvas: inout Canvas) {
        let keyW = min(24, lines.map { displayWidth($0.0) }.max() ?? 10)
        // As wide as the longest line needs (up to the window), so no description is cut that fits.
        let helpW = lines.map { displayWidth($0.1) }.max() ?? 20
        let w = min(canvas.cols - 2, max(48, keyW + 2 + helpW + 4))
        let inner = canvas.centeredBox(width: w, height: lines.count + 2, title: "Keys")
        // When not every key fits, the last row says how many are left out.
        let shown = lines.count > inner.height ? max(0, inner.height - 1) : lines.count
        for (i, (k, v)) in lines.prefix(shown).enumerated() {
            canvas.field(k, col: inner.col, row: inner.row + i, width: keyW, style: CellStyle(role: .accent, bold: true))
            canvas.field(v, col: inner.col + keyW + 2, row: inner.row + i, width: max(0, inner.width - keyW - 2))
        }
        if shown < lines.count, inner.height > 0 {
            canvas.field("\(canvas.glyphs.ellipsis) \(lines.count - shown) more: a taller window shows every key",
                         col: inner.col, row: inner.row + shown, width: inner.width, style: CellStyle(role: .muted, bold: true))
        }
    }
}
