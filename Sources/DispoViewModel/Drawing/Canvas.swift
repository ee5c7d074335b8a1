import Foundation

/// The only way the view models write into a `Grid`: every string goes through `sanitize` and is measured
/// with `displayWidth`'s cluster widths, so raw server text can never reach a cell (strings
/// from the server are data). Clips to the grid and to an optional right limit; keeps wide clusters whole
/// (a wide cluster that does not fit becomes a blank) and never leaves half of one behind when
/// overwriting.
struct Canvas {
    private(set) var grid: Grid
    /// True where a cell is the right half of a wide cluster (kept beside the grid so writes need not
    /// read cells back).
    private var continuation: [Bool]
    let unicode: Bool
    let colors: Bool
    let glyphs: Glyphs

    init(size: Size, options: RenderOptions) {
        grid = Grid(size: size)
        continuation = Array(repeating: false, count: grid.size.cols * grid.size.rows)
        unicode = options.unicode
        colors = options.colors
        glyphs = options.unicode ? .unicode : .ascii
    }

    var cols: Int { grid.size.cols }
    var rows: Int { grid.size.rows }

    private func styled(_ style: CellStyle) -> CellStyle {
        if colors { return style }
        var s = style
        s.role = .normal
        return s
    }

    /// Writes one already-sanitised cluster of width `w` at (col, row).
    private mutating func setCluster(_ text: CellText, width w: Int, col: Int, row: Int, style: CellStyle) {
        let i = row * cols + col
        // Do not leave half of a wide cluster we overwrite.
        if continuation[i] && col > 0 {
            grid[col - 1, row] = Cell(.space, style: grid[col - 1, row].style)
            continuation[i] = false
        }
        let after = col + w
        if after < cols && continuation[i + w] {
            grid[after, row] = Cell(.space, style: grid[after, row].style)
            continuation[i + w] = false
        }
        grid[col, row] = Cell(text, style: style)
        if w == 2 { grid[col + 1, row] = Cell(.empty, style: style); continuation[i + 1] = true }
    }

    /// Writes `count` one-column cells from (start, row), all inside the grid: cell `k` is `text(k)`.
    /// Only the run's two ends can cut a wide cluster, so only they are checked (as `setCluster` does).
    @inline(__always)
    private mutating func setRun(row: Int, start: Int, count: Int, style: CellStyle, _ text: (Int) -> CellText) {
        guard count > 0 else { return }
        let base = row * cols
        if continuation[base + start] && start > 0 {
            grid[start - 1, row] = Cell(.space, style: grid[start - 1, row].style)
        }
        let after = start + count
        if after < cols && continuation[base + after] {
            grid[after, row] = Cell(.space, style: grid[after, row].style)
            continuation[base + after] = false
        }
        grid.withMutableCells { cells in
            continuation.withUnsafeMutableBufferPointer { flags in
                for k in 0..<count {
                    cells[base + start + k] = Cell(text(k), style: style)
                    flags[base + start + k] = false
                }
            }
        }
    }

    /// Draws `text` at (col, row), at most `width` columns (default: to the right edge). Returns the
    /// number of columns drawn.
    @discardableResult
    mutating func text(_ text: String, col: Int, row: Int, width: Int? = nil, style: CellStyle = .plain) -> Int {
        self.text(text, col: col, row: row, width: width, style: style, alreadyClean: false)
    }

    /// `text` drawn as above; `alreadyClean` true skips `sanitize` for text that is its output already.
    @discardableResult
    mutating func text(_ text: String, col: Int, row: Int, width: Int?, style: CellStyle, alreadyClean: Bool) -> Int {
        guard row >= 0, row < rows, col < cols else { return 0 }
        let limit = min(cols, width.map { col + max(0, $0) } ?? cols)
        let st = styled(style)
        var x = col
        if isPlainASCII(text) {
            let end = min(limit, col + text.utf8.count)
            let start = max(0, col)
            if start < end {
                text.utf8.withContiguousStorageIfAvailable { bytes in
                    setRun(row: row, start: start, count: end - start, style: st) { CellText(ascii: bytes[start - col + $0]) }
                } ?? {
                    let bytes = Array(text.utf8)
                    setRun(row: row, start: start, count: end - start, style: st) { CellText(ascii: bytes[start - col + $0]) }
                }()
            }
            return max(0, end - col)
        }
        if simpleTextWidth(text) != nil {
            // One cluster per scalar, nothing to sanitise: no grapheme breaking.
            for scalar in text.unicodeScalars {
                let w = simpleScalarWidth(scalar.value)
                if x + w > limit {
                    while x < limit { if x >= 0 { setCluster(.space, width: 1, col: x, row: row, style: st) }; x += 1 }
                    break
                }
                if x >= 0 {
                    if !unicode && scalar.value >= 0x80 {
                        // One column: the letter it reads as in ASCII; two (CJK): `??`.
                        let letter = w == 1 ? ASCIIFolding.shared.letter(for: String(scalar)) : 0x3F
                        for i in 0..<w { setCluster(CellText(ascii: letter), width: 1, col: x + i, row: row, style: st) }
                    } else {
                        setCluster(CellText(scalar: scalar), width: w, col: x, row: row, style: st)
                    }
                }
                x += w
            }
            return max(0, x - col)
        }
        for cluster in alreadyClean ? text : sanitize(text) {
            let w = clusterWidth(cluster)
            if w <= 0 { continue }
            if x + w > limit {
                // A wide cluster cut by the edge: pad instead of drawing half of it.
                while x < limit { if x >= 0 { setCluster(.space, width: 1, col: x, row: row, style: st) }; x += 1 }
                break
            }
            if x >= 0 {
                if !unicode && !(cluster.isASCII) {
                    let letter = w == 1 ? ASCIIFolding.shared.letter(for: String(cluster)) : 0x3F
                    for i in 0..<w { setCluster(CellText(ascii: letter), width: 1, col: x + i, row: row, style: st) }
                } else {
                    setCluster(CellText(String(cluster)), width: w, col: x, row: row, style: st)
                }
            }
            x += w
        }
        return max(0, x - col)
    }

    /// Draws `text` fitted to exactly `width` columns (truncated with an ellipsis or padded).
    mutating func field(_ text: String, col: Int, row: Int, width: Int, style: CellStyle = .plain,
                        alignRight: Bool = false) {
        guard width > 0 else { return }
        // Fast path (most list cells): simple text (see `simpleTextWidth`) that fits, padded here rather
        // than by building a padded string.
        if let n = isPlainASCII(text) ? text.utf8.count : simpleTextWidth(text), n <= width {
            let pad = width - n
            self.text(text, col: alignRight ? col + pad : col, row: row, width: n, style: style, alreadyClean: true)
            if pad > 0 { fill(col: alignRight ? col : col + n, row: row, width: pad, height: 1, style: style) }
            return
        }
        self.text(fitToWidth(text, width, alignRight: alignRight, ellipsis: glyphs.ellipsis), col: col, row: row,
                  width: width, style: style, alreadyClean: true)
    }

    /// Fills a rectangle with blanks of `style`.
    mutating func fill(col: Int, row: Int, width: Int, height: Int, style: CellStyle = .plain) {
        let st = styled(style)
        let start = max(0, col)
        let count = min(cols, col + width) - start
        guard count > 0 else { return }
        for y in max(0, row)..<min(rows, row + height) {
            setRun(row: y, start: start, count: count, style: st) { _ in .space }
        }
    }

    /// Restyles cells of a row (keeps their text), e.g. to highlight the selected row.
    mutating func restyle(col: Int, row: Int, width: Int, style: CellStyle) {
        guard row >= 0, row < rows else { return }
        let st = styled(style)
        for x in max(0, col)..<max(max(0, col), min(cols, col + width)) {
            var c = grid[x, row]
            c.style = st
            grid[x, row] = c
        }
    }

    /// Draws a box border and blanks its inside; returns the inner rectangle (col, row, width, height).
    @discardableResult
    mutating func box(col: Int, row: Int, width: Int, height: Int, title: String?, style: CellStyle = .plain)
        -> (col: Int, row: Int, width: Int, height: Int) {
        guard width >= 2, height >= 2 else { return (col, row, 0, 0) }
        fill(col: col, row: row, width: width, height: height, style: style)
        let g = glyphs
        text(g.topLeft + String(repeating: g.horizontal, count: width - 2) + g.topRight, col: col, row: row,
             width: width, style: style)
        for y in row + 1..<row + height - 1 {
            text(g.vertical, col: col, row: y, style: style)
            text(g.vertical, col: col + width - 1, row: y, style: style)
        }
        text(g.bottomLeft + String(repeating: g.horizontal, count: width - 2) + g.bottomRight, col: col,
             row: row + height - 1, width: width, style: style)
        if let title, width > 6 {
            var s = style; s.bold = true
            text(" " + fitToWidth(title, min(displayWidth(title), width - 6), ellipsis: g.ellipsis) + " ",
                 col: col + 2, row: row, width: width - 4, style: s)
        }
        return (col + 2, row + 1, max(0, width - 4), max(0, height - 2))
    }

    /// A box of at most `width` × `height` centred on the grid (at least one row below the top and
    /// inside the edges); returns its inner rectangle.
    mutating func centeredBox(width: Int, height: Int, title: String) -> (col: Int, row: Int, width: Int, height: Int) {
        let w = min(width, cols - 2)
        let h = min(height, rows - 2)
        return box(col: (cols - w) / 2, row: max(1, (rows - h) / 2), width: w, height: h, title: title,
                   style: CellStyle(role: .normal))
    }
}
