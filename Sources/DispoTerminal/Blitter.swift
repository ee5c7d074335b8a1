import CNcursesw
import DispoViewModel
#if canImport(Glibc)
import Glibc
#endif

/// The colours in use, resolved from `Theme`, `NO_COLOR`, the terminal's background and what the
/// terminal can do: a colour scheme, or none.
enum ResolvedTheme: Sendable, Hashable {
    case colors(ColorScheme)
    case mono
}

/// Colour pairs and extra attributes per `ColorRole`. Pair 0 is the terminal's own
/// colours; role `r` (not `.normal`) uses pair `r.rawValue + 1`, foreground only, on the default
/// background (-1), so the rep's terminal background shows through.
struct Palette {
    let theme: ResolvedTheme
    private var attrs: [attr_t]
    private var pairs: [Int16]

    init(theme: ResolvedTheme) {
        self.theme = theme
        attrs = Array(repeating: dispo_a_normal(), count: ColorRole.allCases.count)
        pairs = Array(repeating: 0, count: ColorRole.allCases.count)
        // Selection is always reverse video, so it shows with or without colour.
        attrs[Int(ColorRole.selection.rawValue)] = dispo_a_reverse()
        if theme == .mono {
            attrs[Int(ColorRole.muted.rawValue)] = dispo_a_dim()
            attrs[Int(ColorRole.danger.rawValue)] = dispo_a_bold()
            attrs[Int(ColorRole.warning.rawValue)] = dispo_a_bold()
            attrs[Int(ColorRole.sandbox.rawValue)] = dispo_a_reverse()
            return
        }
        guard case .colors(let scheme) = theme else { return }
        let colors = Int(dispo_colors())
        let many = colors >= 16
        func fg(_ role: ColorRole) -> Int16 { scheme.foreground(role, colors: colors).map(Int16.init) ?? -1 }
        let hasDefault = use_default_colors() == OK
        for role in ColorRole.allCases where role != .normal {
            let pair = Int16(role.rawValue) + 1
            var f = fg(role)
            var b: Int16 = -1
            if !hasDefault {
                let light = scheme.background == .light
                b = Int16(light ? COLOR_WHITE : COLOR_BLACK)
                if f < 0 { f = Int16(light ? COLOR_BLACK : COLOR_WHITE) }
            }
            if Int32(pair) < dispo_color_pairs() && init_pair(pair, f, b) == OK {
                pairs[Int(role.rawValue)] = pair
            }
        }
        if !many { attrs[Int(ColorRole.muted.rawValue)] = dispo_a_dim() }
    }

    @inline(__always)
    func attributes(for style: CellStyle) -> (attr_t, Int16) {
        var a = attrs[Int(style.role.rawValue)]
        if style.bold { a |= dispo_a_bold() }
        if style.reverse { a |= dispo_a_reverse() }
        if style.underline { a |= dispo_a_underline() }
        if style.dim { a |= dispo_a_dim() }
        return (a, pairs[Int(style.role.rawValue)])
    }
}

/// Writes a `Grid` into ncurses' `stdscr`, then `wnoutrefresh` and one `doupdate`.
///
/// It keeps the last grid it drew. A frame of the same size hands ncurses only the cells that differ
/// from it (blank cells included, drawn as spaces), and nothing when none do; a full frame (the first,
/// a new size, a forced repaint) is `werase` and every non-blank cell. Continuation cells are never
/// handed over: the wide grapheme to their left covers them. No cell allocates: graphemes are taken
/// apart straight into a fixed `wchar_t` buffer.
struct Blitter {
    var palette: Palette
    /// False when the locale is not UTF-8: anything that is not printable ASCII is drawn as `?`.
    var unicode: Bool
    /// Cells handed to ncurses by the last `draw` (a test seam, and the idle report's `blitted`).
    private(set) var cellsPut = 0
    /// The grid the screen holds, as last drawn; nil before the first frame and after `invalidate`.
    private var previous: Grid?
    private var runs: [ChangedRun] = []
    private let buffer = UnsafeMutablePointer<wchar_t>.allocate(capacity: 8)

    init(palette: Palette, unicode: Bool) { self.palette = palette; self.unicode = unicode }

    /// Forgets the screen's contents: the next `draw` is a full one.
    mutating func invalidate() { previous = nil }

    /// Draws `grid` (clipped to the screen) and sends the update: only the cells that differ from the last
    /// grid drawn when `full` is false and the size is unchanged, else everything after `werase`.
    mutating func draw(_ grid: Grid, screenRows: Int, screenCols: Int, full: Bool) {
        let win = dispo_stdscr()
        let rows = min(grid.size.rows, screenRows)
        let cols = min(grid.size.cols, screenCols)
        cellsPut = 0
        if !full, let previous, previous.size == grid.size {
            GridDiff.changedRuns(previous: previous, current: grid, rows: rows, cols: cols, into: &runs)
            grid.cells.withUnsafeBufferPointer { cells in
                for run in runs {
                    let base = run.row * grid.size.cols
                    for col in run.start..<run.end where !cells[base + col].isContinuation {
                        let wide = col + 1 < grid.size.cols && cells[base + col + 1].isContinuation
                        put(cells[base + col], row: run.row, col: col, wide: wide && col + 1 < cols)
                    }
                }
            }
        } else {
            werase(win)
            let plain = CellStyle.plain
            grid.cells.withUnsafeBufferPointer { cells in
                for row in 0..<rows {
                    let base = row * grid.size.cols
                    for col in 0..<cols {
                        let cell = cells[base + col]
                        if cell.isContinuation || (cell.style == plain && cell.content.isSpace) { continue }
                        let wide = col + 1 < grid.size.cols && cells[base + col + 1].isContinuation
                        put(cell, row: row, col: col, wide: wide && col + 1 < cols)
                    }
                }
            }
        }
        previous = grid
        wnoutrefresh(win)
        doupdate()
    }

    /// Draws one cell whose grapheme should take 2 columns when `wide`, else 1, keeping what ncurses
    /// (wcwidth of the base character) and the grid agree on.
    private mutating func put(_ cell: Cell, row: Int, col: Int, wide: Bool) {
        cellsPut += 1
        let (attr, pair) = palette.attributes(for: cell.style)
        if let b = cell.content.printableASCII {
            putOne(UInt32(b), attr: attr, pair: pair, row: row, col: col)
            if wide { putOne(0x20, attr: attr, pair: pair, row: row, col: col + 1) }
            return
        }
        let text = cell.text
        var scalars = text.unicodeScalars.makeIterator()
        guard let firstScalar = scalars.next() else { return }
        let first = firstScalar.value
        let second = scalars.next()
        if !unicode {
            // A wide grapheme (CJK, emoji) has no ASCII letter for its two columns.
            putOne(wide ? 0x3F : UInt32(ASCIIFolding.shared.letter(for: text)), attr: attr, pair: pair, row: row, col: col)
            if wide { putOne(0x3F, attr: attr, pair: pair, row: row, col: col + 1) }
            return
        }
        // Base: the first scalar; then combining marks (width 0) up to 4; stop at ZWJ (the rest of an emoji
        // ZWJ sequence is not drawn: its width is the first emoji's); drop variation selectors.
        buffer[0] = wchar_t(bitPattern: first)
        var count = 1
        var next = second
        while let scalar = next, count < 5 {
            next = scalars.next()
            let v = scalar.value
            if v == 0x200D { break }
            if v == 0xFE0F || v == 0xFE0E { continue }
            // Only real combining marks ride along: a zero-width format character (a bidi override, a
            // zero-width space) never reaches the terminal, even if the grid carried one.
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark:
                if dispo_wcwidth(wchar_t(bitPattern: v)) == 0 { buffer[count] = wchar_t(bitPattern: v); count += 1 }
            default:
                if dispo_wcwidth(wchar_t(bitPattern: v)) != 0 { next = nil }  // a second spacing char
            }
        }
        buffer[count] = 0
        let baseWidth = Int(dispo_wcwidth(wchar_t(bitPattern: first)))
        let want = wide ? 2 : 1
        if baseWidth == want {
            putBuffer(attr: attr, pair: pair, row: row, col: col)
            return
        }
        if baseWidth == 1 && want == 2 {
            // VS16 emoji or a flag: the grid gives 2 columns, wcwidth 1. Draw the base and fill the
            // second column (with a flag's second regional indicator, or a space).
            putBuffer(attr: attr, pair: pair, row: row, col: col)
            let isFlag = (0x1F1E6...0x1F1FF).contains(first) && second != nil
            putOne(isFlag ? second!.value : 0x20, attr: attr, pair: pair, row: row, col: col + 1)
            return
        }
        // Width disagreement the grid should never produce (wide at the last column, unprintable): keep
        // the columns right with placeholders.
        putOne(0x3F, attr: attr, pair: pair, row: row, col: col)
        if wide { putOne(0x20, attr: attr, pair: pair, row: row, col: col + 1) }
    }

    @inline(__always)
    private func putOne(_ scalar: UInt32, attr: attr_t, pair: Int16, row: Int, col: Int) {
        buffer[0] = wchar_t(bitPattern: scalar)
        buffer[1] = 0
        putBuffer(attr: attr, pair: pair, row: row, col: col)
    }

    /// Hands the characters in `buffer` (0-terminated) to ncurses as one cell.
    @inline(__always)
    private func putBuffer(attr: attr_t, pair: Int16, row: Int, col: Int) {
        if dispo_put_cell(dispo_stdscr(), Int32(row), Int32(col), buffer, attr, pair) == -2 {
            // setcchar refused (e.g. the locale cannot encode it): a visible placeholder.
            buffer[0] = 0x3F; buffer[1] = 0
            _ = dispo_put_cell(dispo_stdscr(), Int32(row), Int32(col), buffer, attr, pair)
        }
    }
}
