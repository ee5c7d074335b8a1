/// A rectangle of cells: columns from `col`, rows from `row`.
public struct Rect: Sendable, Hashable {
    public var col: Int, row: Int, width: Int, height: Int
    public init(col: Int, row: Int, width: Int, height: Int) {
        self.col = col; self.row = row; self.width = width; self.height = height
    }
    /// True when the cell (col, row) is inside.
    public func contains(col c: Int, row r: Int) -> Bool {
        c >= col && c < col + width && r >= row && r < row + height
    }
}

/// Where everything is drawn at one terminal size: the only place the screen's geometry is written down.
/// Views draw into these rects; the reducer clamps scrolling with them; the mouse is hit-tested on them.
///
/// Rows: 0 header, 1 tab bar, 2…rows-3 the body (list, detail, form, errors), rows-2 the status line,
/// rows-1 the key hints. A list alone fills the body. A list with a detail (the calls) holds, from
/// `sideBySideColumns` on, the left `listShare` percent, the detail the right after a separator column and
/// a space; narrower, the detail opens over the list.
public struct Frame: Sendable, Hashable {
    /// The smallest terminal the screens are drawn in (columns × rows); below it only a notice is shown.
    public static let minimumSize = Size(cols: 60, rows: 16)
    /// Columns from which the call detail is drawn beside the list.
    public static let sideBySideColumns = 100
    /// The list's share of the width when the detail is beside it, in percent.
    public static let listShare = 55

    public let size: Size
    public let header: Rect
    public let tabBar: Rect
    public let body: Rect
    public let status: Rect
    public let hints: Rect
    /// A list alone (its first row is the heading): the whole body.
    public var list: Rect { body }
    /// A list with a detail beside it: the left part of the body when wide, else the whole body.
    public let listBesideDetail: Rect
    /// The call detail: beside the list when wide, else the whole body (opened over the list).
    public let detail: Rect
    /// The column of the separator between list and detail; nil when they are stacked.
    public let separatorColumn: Int?

    public init(size: Size) {
        self.size = size
        let cols = max(0, size.cols), rows = max(0, size.rows)
        header = Rect(col: 0, row: 0, width: cols, height: min(1, rows))
        tabBar = Rect(col: 0, row: 1, width: cols, height: rows > 1 ? 1 : 0)
        body = Rect(col: 0, row: 2, width: cols, height: max(0, rows - 4))
        status = Rect(col: 0, row: rows - 2, width: cols, height: 1)
        hints = Rect(col: 0, row: rows - 1, width: cols, height: 1)
        if cols >= Self.sideBySideColumns {
            let listWidth = cols * Self.listShare / 100
            listBesideDetail = Rect(col: 0, row: body.row, width: listWidth, height: body.height)
            separatorColumn = listWidth
            detail = Rect(col: listWidth + 2, row: body.row, width: cols - listWidth - 2, height: body.height)
        } else {
            listBesideDetail = body
            separatorColumn = nil
            detail = body
        }
    }

    /// True below `minimumSize`: only "terminal too small" is drawn.
    public var isTooSmall: Bool { size.cols < Self.minimumSize.cols || size.rows < Self.minimumSize.rows }
    /// True when the call detail is drawn beside the list rather than over it.
    public var isSideBySide: Bool { separatorColumn != nil }
    /// The rows of list items in `pane` (under its heading); at least one row tall.
    public func itemRows(of pane: Rect) -> Rect {
        Rect(col: pane.col, row: pane.row + 1, width: pane.width, height: max(1, pane.height - 1))
    }
    /// The rows of a list alone; every list has as many rows as these.
    public var listRows: Rect { itemRows(of: list) }
    /// Rows of the call detail (at least one).
    public var detailRows: Int { max(1, detail.height) }
}
