import AmplemarketModels

/// What is drawn over the screen, taking every key until it closes.
public enum Modal: Sendable, Hashable {
    /// Choose who the rep is (several users and none configured, or the configured one unknown).
    case userPicker(PickerState)
    /// Choose the log form's disposition.
    case dispositionPicker(PickerState)
    /// The keys of the screen underneath, from the `top`th (0-based) when they do not all fit.
    case help(top: Int)
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
    /// Open a new log form although another draft is unsent (the old one would be replaced); `then`, the
    /// quick outcome (`n` / `v` / `b`) to fill it with once opened.
    case replaceDraft(LogDraft, then: QuickOutcome? = nil)
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

/// The help overlay: each key of the screen underneath and what it does. When not every key fits, it
/// shows a page of them from `top` and, on its last row, how many are above and below and how to scroll.
enum HelpView {
    /// How many rows of keys the box shows in a window of `size` for `lineCount` keys: all of them, or
    /// (when they do not fit) one row less than the box holds, the last row being the "more" mark.
    static func page(lineCount: Int, size: Size) -> Int {
        let inner = max(0, min(lineCount + 2, size.rows - 2) - 2)
        return lineCount > inner ? max(1, inner - 1) : lineCount
    }

    /// The first key shown after `key` when the keys do not all fit: the list keys (as bound) move by one,
    /// a page, or to either end, kept within the keys. `nil` when `key` does not scroll (or nothing needs
    /// scrolling): then it closes help.
    static func scrolled(top: Int, by key: Key, keymap: Keymap, lineCount: Int, size: Size) -> Int? {
        let page = page(lineCount: lineCount, size: size)
        guard page < lineCount else { return nil }
        let last = lineCount - page
        let moved: Int
        switch keymap.listAction(key) {
        case .down: moved = top + 1
        case .up: moved = top - 1
        case .pageDown, .halfPageDown: moved = top + page
        case .pageUp, .halfPageUp: moved = top - page
        case .top: moved = 0
        case .bottom: moved = last
        default:
            if key == .char(" ") { moved = top + page } else { return nil }
        }
        return min(max(0, moved), last)
    }

    /// Draws the box; `scrollKeys` names the keys that scroll, as bound (`j/k`).
    static func draw(_ lines: [(String, String)], top: Int, scrollKeys: String, _ canvas: inout Canvas) {
        let keyW = min(24, lines.map { displayWidth($0.0) }.max() ?? 10)
        // As wide as the longest line needs (up to the window), so no description is cut that fits.
        let helpW = lines.map { displayWidth($0.1) }.max() ?? 20
        let w = min(canvas.cols - 2, max(48, keyW + 2 + helpW + 4))
        let inner = canvas.centeredBox(width: w, height: lines.count + 2, title: "Keys")
        let page = page(lineCount: lines.count, size: Size(cols: canvas.cols, rows: canvas.rows))
        let first = min(max(0, top), max(0, lines.count - page))
        for (i, (k, v)) in lines.dropFirst(first).prefix(min(page, inner.height)).enumerated() {
            canvas.field(k, col: inner.col, row: inner.row + i, width: keyW, style: CellStyle(role: .accent, bold: true))
            canvas.message(v, col: inner.col + keyW + 2, row: inner.row + i, width: max(0, inner.width - keyW - 2))
        }
        if page < lines.count, inner.height > page {
            let below = lines.count - first - page
            var parts: [String] = []
            if first > 0 { parts.append("\(first) above") }
            if below > 0 { parts.append("\(below) more below") }
            let mark = "\(canvas.glyphs.ellipsis) " + parts.joined(separator: ", ") + ": \(scrollKeys), PgUp/PgDn scroll"
            canvas.message(mark, col: inner.col, row: inner.row + page, width: inner.width,
                           style: CellStyle(role: .muted, bold: true))
        }
    }
}
