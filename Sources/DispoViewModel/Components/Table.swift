/// The columns of a list: fixed widths and flexible ones sharing what the fixed ones leave, each followed
/// by a gap. Rows start after a two-column marker (`▸` on the selected row).
struct Table {
    /// How wide a column is.
    enum Width {
        /// Exactly this many columns.
        case fixed(Int)
        /// This percentage of the flexible room.
        case share(Int)
        /// What the shares leave of the flexible room.
        case rest
        /// As wide as the widest of its title and cells (`sized(for:width:)`), at most this many columns;
        /// this many when the table is not sized.
        case fit(max: Int)
    }

    struct Column {
        var title: String
        var width: Width
        /// Blank columns after this one.
        var gap: Int
        /// Cells right-aligned (numbers, durations).
        var alignRight = false
        /// The heading right-aligned (defaults to the cells' alignment).
        var titleAlignRight: Bool?
    }

    /// Columns before the first cell: the selection marker.
    static let markerWidth = 2

    var columns: [Column]

    /// Each column's first column and width in a table `width` columns wide. The flexible room is never
    /// below 2 columns.
    func layout(width: Int) -> [(x: Int, width: Int)] {
        var fixed = Self.markerWidth
        var shares = 0
        for c in columns {
            fixed += c.gap
            switch c.width {
            case .fixed(let w), .fit(max: let w): fixed += w
            case .share, .rest: break
            }
        }
        let flex = max(2, width - fixed)
        var out: [(x: Int, width: Int)] = []
        var x = Self.markerWidth
        for c in columns {
            let w: Int
            switch c.width {
            case .fixed(let n), .fit(max: let n): w = n
            case .share(let p): w = flex * p / 100; shares += w
            case .rest: w = flex - shares
            }
            out.append((x, w))
            x += w + c.gap
        }
        return out
    }

    /// This table with every width settled for `rows` (the cells of the rows on screen) in `width`
    /// columns, so the room goes where the text is: a `fit` column takes what its widest cell or title
    /// needs (up to its maximum); the flexible room left after the fixed columns is shared by the `share`
    /// and `rest` columns by need: a column that needs less than its share gets what it needs, and what it
    /// leaves goes to the others in proportion to their shares; room nobody needs goes to the `rest`
    /// column (else the last flexible one). Widths are never below 1.
    func sized(for rows: [[Cell]], width: Int) -> Table {
        // What each column's widest cell or title needs, measured once.
        let needs = columns.indices.map { i in
            rows.reduce(displayWidth(columns[i].title)) { max($0, i < $1.count ? displayWidth($1[i].text) : 0) }
        }
        func need(_ i: Int) -> Int { needs[i] }
        var out = self
        for (i, c) in columns.enumerated() {
            if case .fit(max: let m) = c.width { out.columns[i].width = .fixed(max(1, min(m, need(i)))) }
        }
        // The flexible columns' shares, as the unsized layout gives them.
        let base = out.layout(width: width)
        let flexible = columns.indices.filter {
            switch columns[$0].width { case .share, .rest: true; default: false }
        }
        guard !flexible.isEmpty else { return out }
        var room = flexible.reduce(0) { $0 + base[$1].width }
        var open = flexible
        var widths: [Int: Int] = [:]
        // Columns that need no more than their part of what is left take what they need; repeat until
        // every remaining column needs more, then they share the rest by their shares.
        while !open.isEmpty {
            let total = max(1, open.reduce(0) { $0 + max(1, base[$1].width) })
            let satisfied = open.filter { need($0) <= room * max(1, base[$0].width) / total }
            if satisfied.isEmpty {
                var left = room
                for (k, i) in open.enumerated() {
                    let w = k == open.count - 1 ? left : room * max(1, base[i].width) / total
                    widths[i] = w; left -= w
                }
                room = 0
                break
            }
            for i in satisfied { widths[i] = need(i); room -= need(i) }
            open.removeAll { satisfied.contains($0) }
        }
        if room > 0 {
            let taker = flexible.first { if case .rest = columns[$0].width { true } else { false } } ?? flexible.last!
            widths[taker, default: 0] += room
        }
        for i in flexible { out.columns[i].width = .fixed(max(1, widths[i] ?? 1)) }
        return out
    }

    /// Draws the heading row: titles fitted to their columns, muted, bold and underlined across `width`.
    func drawHeading(_ canvas: inout Canvas, row: Int, col: Int = 0, width: Int) {
        var text = String(repeating: " ", count: Self.markerWidth)
        for (c, (_, w)) in zip(columns, layout(width: width)) {
            text += fitToWidth(c.title, w, alignRight: c.titleAlignRight ?? c.alignRight) + String(repeating: " ", count: c.gap)
        }
        canvas.field(text, col: col, row: row, width: width, style: CellStyle(role: .muted, bold: true, underline: true))
    }

    /// A cell's text and style.
    struct Cell {
        var text: String
        var style: CellStyle = .plain
    }

    /// Draws one row of `cells` (one per column) at `row`; the selected row gets the marker and the
    /// selection style across `width`.
    /// `layout` is `layout(width: width)` when the caller has it already (one per table, not per row).
    func drawRow(_ cells: [Cell], _ canvas: inout Canvas, row: Int, col: Int = 0, width: Int, selected: Bool,
                 layout: [(x: Int, width: Int)]? = nil) {
        for ((c, (x, w)), cell) in zip(zip(columns, layout ?? self.layout(width: width)), cells) {
            canvas.field(cell.text, col: col + x, row: row, width: w, style: cell.style, alignRight: c.alignRight)
        }
        if selected {
            canvas.text(canvas.glyphs.marker, col: col, row: row)
            canvas.restyle(col: col, row: row, width: width, style: CellStyle(role: .selection, bold: true, reverse: true))
        }
    }
}

/// The cells of the list's rows on screen: from its `top`, at most `rows.height`, up to the first row not
/// loaded yet. Made once a frame, for `Table.sized` and then `drawListRows`.
func visibleCells<Item>(_ list: PagedList<Item>, rows: Rect, cells: (Item) -> [Table.Cell]) -> [[Table.Cell]] {
    let n = max(0, min(rows.height, list.count - list.top))
    var out: [[Table.Cell]] = []
    out.reserveCapacity(n)
    for i in 0..<n {
        guard let item = list.item(atRow: list.top + i) else { break }
        out.append(cells(item))
    }
    return out
}

/// Draws a list's visible rows (`visibleCells`, from its `top`) into `rows`, the cursor's row selected;
/// returns how many rows were drawn.
@discardableResult
func drawListRows<Item>(_ list: PagedList<Item>, table: Table, _ canvas: inout Canvas, rows: Rect,
                        cells: [[Table.Cell]]) -> Int {
    let layout = table.layout(width: rows.width)
    for (i, row) in cells.enumerated() {
        table.drawRow(row, &canvas, row: rows.row + i, col: rows.col, width: rows.width,
                      selected: list.top + i == list.cursor, layout: layout)
    }
    return cells.count
}
