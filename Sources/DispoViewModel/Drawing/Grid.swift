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
///
/// Held as one 16-bit word (the role's raw value in the low byte, then bold, reverse, underline, dim),
/// so the frame diff, which compares every cell of every frame, compares a style in one instruction.
public struct CellStyle: Hashable, Sendable {
    @usableFromInline var bits: UInt16

    public var role: ColorRole {
        get { ColorRole(rawValue: UInt8(truncatingIfNeeded: bits)) ?? .normal }
        set { bits = bits & 0xFF00 | UInt16(newValue.rawValue) }
    }
    public var bold: Bool { get { flag(Self.boldBit) } set { setFlag(Self.boldBit, newValue) } }
    public var reverse: Bool { get { flag(Self.reverseBit) } set { setFlag(Self.reverseBit, newValue) } }
    public var underline: Bool { get { flag(Self.underlineBit) } set { setFlag(Self.underlineBit, newValue) } }
    public var dim: Bool { get { flag(Self.dimBit) } set { setFlag(Self.dimBit, newValue) } }

    public init(role: ColorRole = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false,
                dim: Bool = false) {
        bits = UInt16(role.rawValue)
        self.bold = bold; self.reverse = reverse; self.underline = underline; self.dim = dim
    }
    public static let plain = CellStyle()

    @inlinable public static func == (a: CellStyle, b: CellStyle) -> Bool { a.bits == b.bits }
    public func hash(into hasher: inout Hasher) { hasher.combine(bits) }

    private static let boldBit: UInt16 = 1 << 8
    private static let reverseBit: UInt16 = 1 << 9
    private static let underlineBit: UInt16 = 1 << 10
    private static let dimBit: UInt16 = 1 << 11
    private func flag(_ bit: UInt16) -> Bool { bits & bit != 0 }
    private mutating func setFlag(_ bit: UInt16, _ on: Bool) { if on { bits |= bit } else { bits &= ~bit } }
}

/// One cell of the grid.
///
/// `text` holds one grapheme cluster already sanitised and measured. A wide (2-column) grapheme sits in
/// its first cell; the cell to its right is a continuation cell with `text == ""`, which the front end
/// skips. A blank cell holds `" "`.
public struct Cell: Hashable, Sendable {
    /// The cluster, held as plain bits (see `CellText`).
    public var content: CellText
    public var style: CellStyle
    public init(_ text: String = " ", style: CellStyle = .plain) { content = CellText(text); self.style = style }
    public init(_ content: CellText, style: CellStyle = .plain) { self.content = content; self.style = style }
    public static let blank = Cell(CellText.space)
    /// Inlined into the terminal's frame diff, which compares every cell of every frame.
    @inlinable public static func == (a: Cell, b: Cell) -> Bool { a.content == b.content && a.style == b.style }
    /// The cluster as a string (`""` for a continuation cell).
    public var text: String { content.string }
    /// True for the right half of a wide grapheme.
    public var isContinuation: Bool { content.isEmpty }
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

    /// Runs `body` with the cells as one writable buffer, row-major (the canvas's writes of whole runs).
    mutating func withMutableCells<R>(_ body: (inout UnsafeMutableBufferPointer<Cell>) -> R) -> R {
        cells.withUnsafeMutableBufferPointer(body)
    }

    /// True when (col, row) is inside the grid.
    public func contains(col: Int, row: Int) -> Bool { col >= 0 && row >= 0 && col < size.cols && row < size.rows }
}

/// The grid as text, one line per row, continuation cells skipped (what a terminal would show). Used by
/// snapshots and by tests; `|` closes each row so trailing blanks stay visible.
public func gridText(_ grid: Grid) -> String {
    var out = ""
    for row in 0..<grid.size.rows {
        for col in 0..<grid.size.cols {
            let c = grid[col, row]
            if !c.isContinuation { out += c.text }
        }
        out += "|\n"
    }
    return out
}
