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
            if case .fixed(let w) = c.width { fixed += w }
        }
        let flex = max(2, width - fixed)
        var out: [(x: Int, width: Int)] = []
        var x = Self.markerWidth
        for c in columns {
            let w: Int
            switch c.width {
            case .fixed(let n): w = n
            case .share(let p): w = flex * p / 100; shares += w
            case .rest: w = flex - shares
            }
            out.append((x, w))
            x += w + c.gap
        }
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
    func drawRow(_ cells: [Cell], _ canvas: inout Canvas, row: Int, col: Int = 0, width: Int, selected: Bool) {
        for ((c, (x, w)), cell) in zip(zip(columns, layout(width: width)), cells) {
            canvas.field(cell.text, col: col + x, row: row, width: w, style: cell.style, alignRight: c.alignRight)
        }
        if selected {
            canvas.text(canvas.glyphs.marker, col: col, row: row)
            canvas.restyle(col: col, row: row, width: width, style: CellStyle(role: .selection, bold: true, reverse: true))
        }
    }
}

/// Draws a list's visible rows (from its `top`) into `rows` with `cells` for each item; returns how many
/// rows were drawn.
@discardableResult
func drawListRows<Item>(_ list: PagedList<Item>, table: Table, _ canvas: inout Canvas, rows: Rect,
                        cells: (Item) -> [Table.Cell]) -> Int {
    let n = max(0, min(rows.height, list.count - list.top))
    for i in 0..<n {
        guard let item = list.item(atRow: list.top + i) else { return i }
        table.drawRow(cells(item), &canvas, row: rows.row + i, col: rows.col, width: rows.width,
                      selected: list.top + i == list.cursor)
    }
    return n
}
