import CNcursesw
import DispoViewModel

/// A frame turned into ncurses cells, ready to be copied into `stdscr`: the cells that differ from the
/// frame the screen showed when it was made (or every cell, when `full`), as spans of one row each.
/// Making it touches no ncurses state, so it can be made before it is needed (a frame made ahead for a
/// key) and drawn later, as long as the screen still shows the frame it was made against.
struct PreparedFrame {
    /// One row's stretch of cells to copy: `count` cells from `cells[offset]` go to `row` from `col`.
    /// A cell whose character is two columns wide takes two columns, so `count` may be less than the
    /// columns it covers.
    struct Span {
        var row: Int32
        var col: Int32
        var offset: Int
        var count: Int32
    }

    /// The grid it shows.
    let grid: Grid
    /// True: the screen is erased and every row drawn (the first frame, a new size, a forced repaint).
    let full: Bool
    /// The `Blitter.generation` (frames drawn) it was made against: it may be drawn only while that is
    /// still the blitter's, with the screen at `screenRows` × `screenCols`.
    let basis: Int
    let screenRows: Int
    let screenCols: Int
    var spans: [Span] = []
    var cells: [cchar_t] = []

    /// True when drawing it would change nothing on screen.
    var isEmpty: Bool { !full && spans.isEmpty }

    init(grid: Grid, full: Bool, basis: Int, screenRows: Int, screenCols: Int) {
        self.grid = grid
        self.full = full
        self.basis = basis
        self.screenRows = screenRows
        self.screenCols = screenCols
    }
}

/// Turns grid cells into ncurses cells (`cchar_t`): attributes and colour pair from the palette, the
/// grapheme taken apart into a base character and its combining marks, and the columns kept as the grid
/// has them where ncurses (wcwidth of the base character) would disagree. No cell allocates: graphemes
/// are taken apart straight into a fixed `wchar_t` buffer.
struct CellEncoder {
    var palette: Palette
    /// False when the locale is not UTF-8: anything that is not printable ASCII is drawn as its ASCII
    /// letter (a Latin letter without its marks) or `?`.
    var unicode: Bool
    private let buffer = UnsafeMutablePointer<wchar_t>.allocate(capacity: 8)

    init(palette: Palette, unicode: Bool) { self.palette = palette; self.unicode = unicode }

    /// Appends the ncurses cells for `cell` to `cells`: one, or two when the grid gives it two columns
    /// (`wide`) and ncurses would draw its base character in one. Returns how many were appended.
    @discardableResult
    func append(_ cell: Cell, wide: Bool, to cells: inout [cchar_t]) -> Int {
        let (attr, pair) = palette.attributes(for: cell.style)
        if let b = cell.content.printableASCII {
            appendOne(UInt32(b), attr: attr, pair: pair, to: &cells)
            if wide { appendOne(0x20, attr: attr, pair: pair, to: &cells); return 2 }
            return 1
        }
        let text = cell.text
        var scalars = text.unicodeScalars.makeIterator()
        guard let firstScalar = scalars.next() else {
            appendOne(0x20, attr: attr, pair: pair, to: &cells)
            return 1
        }
        let first = firstScalar.value
        let second = scalars.next()
        if !unicode {
            // A wide grapheme (CJK, emoji) has no ASCII letter for its two columns.
            appendOne(wide ? 0x3F : UInt32(ASCIIFolding.shared.letter(for: text)), attr: attr, pair: pair, to: &cells)
            if wide { appendOne(0x3F, attr: attr, pair: pair, to: &cells); return 2 }
            return 1
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
            appendBuffer(attr: attr, pair: pair, to: &cells)
            return 1
        }
        if baseWidth == 1 && want == 2 {
            // VS16 emoji or a flag: the grid gives 2 columns, wcwidth 1. Draw the base and fill the
            // second column (with a flag's second regional indicator, or a space).
            appendBuffer(attr: attr, pair: pair, to: &cells)
            let isFlag = (0x1F1E6...0x1F1FF).contains(first) && second != nil
            appendOne(isFlag ? second!.value : 0x20, attr: attr, pair: pair, to: &cells)
            return 2
        }
        // Width disagreement the grid should never produce (wide at the last column, unprintable): keep
        // the columns right with placeholders.
        appendOne(0x3F, attr: attr, pair: pair, to: &cells)
        if wide { appendOne(0x20, attr: attr, pair: pair, to: &cells); return 2 }
        return 1
    }

    @inline(__always)
    private func appendOne(_ scalar: UInt32, attr: attr_t, pair: Int16, to cells: inout [cchar_t]) {
        buffer[0] = wchar_t(bitPattern: scalar)
        buffer[1] = 0
        appendBuffer(attr: attr, pair: pair, to: &cells)
    }

    /// Appends the characters in `buffer` (0-terminated) as one cell.
    @inline(__always)
    private func appendBuffer(attr: attr_t, pair: Int16, to cells: inout [cchar_t]) {
        var made = cchar_t()
        if dispo_make_cell(&made, buffer, attr, pair) == -2 {
            // setcchar refused (e.g. the locale cannot encode it): a visible placeholder.
            buffer[0] = 0x3F; buffer[1] = 0
            _ = dispo_make_cell(&made, buffer, attr, pair)
        }
        cells.append(made)
    }
}
