import AmplemarketModels

/// A modal list (user picker, disposition picker): the filter text and the selected row of the filtered
/// items.
public struct PickerState: Sendable, Hashable {
    public var filter: String = ""
    public var cursor: Int = 0
    public init() {}

    /// What a key did in the picker.
    enum Outcome: Equatable {
        /// Still choosing.
        case choosing
        /// The item at this index (of the filtered list) was chosen: Enter, or a digit 1–9.
        case chosen(Int)
        /// Esc.
        case cancelled
    }

    /// Moves or filters over `count` filtered items: ↓/↑ (Ctrl-N/P; `j`/`k` while the filter is empty),
    /// Home/End, Enter, 1–9, Backspace, Ctrl-U, typed or pasted text.
    mutating func handle(_ key: Key, count: Int) -> Outcome {
        switch key {
        case .escape: return .cancelled
        case .enter: return count > 0 ? .chosen(min(cursor, count - 1)) : .choosing
        case .down, .ctrl("n"): cursor = min(cursor + 1, max(0, count - 1))
        case .up, .ctrl("p"): cursor = max(0, cursor - 1)
        case .char("j") where filter.isEmpty: cursor = min(cursor + 1, max(0, count - 1))
        case .char("k") where filter.isEmpty: cursor = max(0, cursor - 1)
        case .home: cursor = 0
        case .end: cursor = max(0, count - 1)
        case .char(let c) where c.isASCII && c.isNumber && c != "0":
            let n = Int(String(c))! - 1
            return n < count ? .chosen(n) : .choosing
        case .backspace, .ctrl("h"):
            if !filter.isEmpty { filter.removeLast(); cursor = 0 }
        case .ctrl("u"): filter = ""; cursor = 0
        case .char(let c): filter.append(c); cursor = 0
        case .paste(let s): filter += s.filter { !$0.isNewline }; cursor = 0
        default: break
        }
        return .choosing
    }

    /// The dispositions whose name or slug holds the filter, best match first (`rankedForPicker`): `int`
    /// lists "Interested" before "Not interested". The row Enter or a digit takes is the row shown.
    static func dispositions(_ all: [Disposition], matching filter: String) -> [Disposition] {
        rankedForPicker(all, filter: filter) { [$0.name, $0.slug] }
    }

    /// The users whose name or e-mail holds the filter, best match first (`rankedForPicker`).
    static func users(_ all: [User], matching filter: String) -> [User] {
        rankedForPicker(all, filter: filter) { [$0.name, $0.email] }
    }
}

/// A picker's box: an optional notice, the filter, then numbered rows (1–9) with a second column.
enum PickerView {
    static func draw(_ rowsText: [(String, String)], _ p: PickerState, title: String, emptyText: String,
                     notice: String? = nil, _ canvas: inout Canvas) {
        let g = canvas.glyphs
        let w = min(64, canvas.cols - 4)
        let noticeLines = notice.map { wrapText($0, width: max(1, w - 4)) } ?? []
        let visible = min(rowsText.count, max(1, canvas.rows - 8 - noticeLines.count))
        var inner = canvas.centeredBox(width: w, height: visible + 3 + noticeLines.count, title: title)
        for (i, line) in noticeLines.enumerated() where i < inner.height {
            canvas.text(line, col: inner.col, row: inner.row + i, width: inner.width, style: CellStyle(role: .danger, bold: true))
        }
        inner.row += noticeLines.count
        inner.height -= noticeLines.count
        canvas.text("Filter: " + p.filter, col: inner.col, row: inner.row, width: inner.width, style: CellStyle(role: .muted))
        if rowsText.isEmpty {
            canvas.text(emptyText, col: inner.col, row: inner.row + 1, width: inner.width, style: CellStyle(role: .muted))
            return
        }
        let top = max(0, min(p.cursor - visible + 1, rowsText.count - visible))
        let nameW = max(4, min(rowsText.map { displayWidth($0.0) }.max() ?? 0, inner.width - 4 - 22))
        for i in 0..<max(0, min(visible, inner.height - 1)) {
            let idx = top + i
            guard idx < rowsText.count else { break }
            let y = inner.row + 1 + i
            let number = idx < 9 ? "\(idx + 1) " : "  "
            let line = number + fitToWidth(rowsText[idx].0, nameW, ellipsis: g.ellipsis) + "  " + rowsText[idx].1
            canvas.field(line, col: inner.col, row: y, width: inner.width)
            if idx == p.cursor {
                canvas.restyle(col: inner.col, row: y, width: inner.width, style: CellStyle(role: .selection, bold: true, reverse: true))
            }
        }
    }

    /// The disposition picker: each disposition with its effect on the task in words (on a task already
    /// completed, none completes anything).
    static func drawDispositions(_ p: PickerState, _ dispositions: Dispositions, retryKey: String, taskIsCompleted: Bool = false,
                                 _ canvas: inout Canvas) {
        let items = PickerState.dispositions(dispositions.list, matching: p.filter)
        draw(items.map { ($0.name ?? $0.slug ?? $0.id, $0.action.words(taskIsCompleted: taskIsCompleted)) }, p,
             title: taskIsCompleted ? "Disposition (task already completed)" : "Disposition",
             emptyText: dispositions.isLoaded ? "No disposition matches." : "Dispositions not loaded (\(retryKey) retries).",
             &canvas)
    }

    /// The user picker ("Who are you?"), saying so when the configured e-mail is not in the workspace.
    static func drawUsers(_ p: PickerState, _ session: SessionState, configuredEmail: String?, _ canvas: inout Canvas) {
        let users = session.users ?? []
        let items = PickerState.users(users, matching: p.filter)
        var notice: String?
        if let email = configuredEmail, session.user == nil,
           !users.contains(where: { ($0.email ?? "").caseInsensitiveCompare(email) == .orderedSame }) {
            notice = "No user \(email) in this workspace \(canvas.glyphs.dash) pick who you are"
        }
        draw(items.map { ($0.name ?? $0.email ?? $0.id, $0.email ?? "") }, p, title: "Who are you?",
             emptyText: "No user matches.", notice: notice, &canvas)
    }
}
