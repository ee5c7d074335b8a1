/// The screen as a grid of cells: what `render` produces and the terminal front end blits.
/// Pure Swift, so tests can render screens without a terminal.

/// A terminal size in cells.
public struct Size: Hashable, Sendable {
    /// Columns.
    public var cols: Int
    /// Rows.
    public var rows: Int
    public init(cols: Int, rows: Int) { self.cols = cols; self.rows = rows }
}

/// A semantic colour role; the front end maps roles to a theme (8/16, 256 or none). Meaning is never
/// carried by colour alone: every role that matters also has a glyph, word or attribute.
public enum ColorRole: UInt8, Hashable, Sendable, CaseIterable {
    case normal, accent, muted, success, warning, danger, selection, header, sandbox
}

/// How a cell is drawn: a colour role plus attributes.
public struct CellStyle: Hashable, Sendable {
    public var role: ColorRole
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool
    public init(role: ColorRole = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false,
                dim: Bool = false) {
        self.role = role; self.bold = bold; self.reverse = reverse; self.underline = underline; self.dim = dim
    }
    public static let plain = CellStyle()
}

/// One cell of the grid.
///
/// `text` holds one grapheme cluster already sanitised and measured. A wide (2-column) grapheme sits in
/// its first cell; the cell to its right is a continuation cell with `text == ""`, which the front end
/// skips. A blank cell holds `" "`.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: CellStyle
    public init(_ text: String = " ", style: CellStyle = .plain) { self.text = text; self.style = style }
    public static let blank = Cell()
    /// True for the right half of a wide grapheme.
    public var isContinuation: Bool { text.isEmpty }
}

/// A rectangular grid of cells, row-major. Coordinates are (column, row) from the top left, in cells.
public struct Grid: Hashable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]

    /// A grid of `size`, filled with blank cells.
    public init(size: Size) {
        self.size = Size(cols: max(0, size.cols), rows: max(0, size.rows))
        cells = Array(repeating: .blank, count: self.size.cols * self.size.rows)
    }

    public subscript(col: Int, row: Int) -> Cell {
        get { cells[row * size.cols + col] }
        set { cells[row * size.cols + col] = newValue }
    }

    /// True when (col, row) is inside the grid.
    public func contains(col: Int, row: Int) -> Bool { col >= 0 && row >= 0 && col < size.cols && row < size.rows }
}

/// A key (or paste) as the front end decodes it. The keymap turns keys into actions per screen.
public enum Key: Hashable, Sendable {
    /// A printable character (already decoded from UTF-8).
    case char(Character)
    /// Ctrl plus a letter, lower-case (`.ctrl("a")` for Ctrl-A).
    case ctrl(Character)
    /// Alt (Meta/ESC-prefixed) plus a character.
    case alt(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, tab, backTab, backspace, delete, insert
    /// Function key F1…F12.
    case function(Int)
    /// A bracketed paste, delivered whole.
    case paste(String)
    /// A mouse event (only when mouse support is on): button 1 press / wheel, at (col, row).
    case mouse(MouseEvent)
}

/// A mouse event in cell coordinates.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, wheelUp, wheelDown }
    public var kind: Kind
    public var col: Int
    public var row: Int
    public init(kind: Kind, col: Int, row: Int) { self.kind = kind; self.col = col; self.row = row }
}
