import CNcursesw
import DispoViewModel

/// Writes frames into ncurses' `stdscr`, then `wnoutrefresh` and one `doupdate`.
///
/// It keeps the last grid it drew. A frame of the same size hands ncurses only the cells that differ
/// from it (blank cells included), and nothing when none do; a full frame (the first, a new size, a
/// forced repaint) is `werase` and every row. Continuation cells are never handed over: the wide
/// grapheme to their left covers them. A frame is first made into ncurses cells (`prepare`, which
/// touches no ncurses state), then copied a row's stretch at a time (`mvwadd_wchnstr`) and sent
/// (`draw`); a frame made ahead is prepared ahead too.
struct Blitter {
    var encoder: CellEncoder
    /// False when the locale is not UTF-8: anything that is not printable ASCII is drawn as `?` (or a
    /// Latin letter without its marks).
    var unicode: Bool {
        get { encoder.unicode }
        set { encoder.unicode = newValue }
    }
    /// Cells handed to ncurses by the last `draw` (a test seam, and the idle report's `blitted`).
    private(set) var cellsPut = 0
    /// Frames drawn so far: a prepared frame may be drawn only while this is its `basis`.
    private(set) var generation = 0
    /// The grid the screen holds, as last drawn; nil before the first frame.
    private var previous: Grid?
    private var runs: [ChangedRun] = []
    /// The frame prepared and drawn at once (`prepareForNow`), kept for its arrays' capacity.
    private var scratch: PreparedFrame?

    init(palette: Palette, unicode: Bool) { encoder = CellEncoder(palette: palette, unicode: unicode) }

    /// Makes `grid` (clipped to the screen, `screenRows` × `screenCols`) into ncurses cells: only the
    /// cells that differ from the last grid drawn when `full` is false and the size is unchanged, else
    /// every row (`full` set on the result). Touches no ncurses state.
    func prepare(_ grid: Grid, screenRows: Int, screenCols: Int, full: Bool) -> PreparedFrame {
        var runs: [ChangedRun] = []
        var frame = PreparedFrame(grid: grid, full: full || !canDiff(grid), basis: generation,
                                  screenRows: screenRows, screenCols: screenCols)
        fill(&frame, runs: &runs)
        return frame
    }

    /// `prepare` for a frame drawn at once, reusing the arrays of the last one.
    mutating func prepareForNow(_ grid: Grid, screenRows: Int, screenCols: Int, full: Bool) -> PreparedFrame {
        var frame = PreparedFrame(grid: grid, full: full || !canDiff(grid), basis: generation,
                                  screenRows: screenRows, screenCols: screenCols)
        if var kept = scratch {
            scratch = nil
            kept.spans.removeAll(keepingCapacity: true)
            kept.cells.removeAll(keepingCapacity: true)
            swap(&frame.spans, &kept.spans)
            swap(&frame.cells, &kept.cells)
        }
        fill(&frame, runs: &runs)
        return frame
    }

    /// Keeps `frame`'s arrays for the next `prepareForNow` when it is not drawn.
    mutating func keepArrays(of frame: PreparedFrame) { scratch = frame }

    /// True when `frame` may be drawn now: made against what the screen shows, at the screen's size.
    func canDraw(_ frame: PreparedFrame, screenRows: Int, screenCols: Int) -> Bool {
        frame.basis == generation && frame.screenRows == screenRows && frame.screenCols == screenCols
    }

    /// Copies `frame` into `stdscr` and sends the update. `frame` must be drawable (`canDraw`).
    mutating func draw(_ frame: PreparedFrame) {
        let win = dispo_stdscr()
        if frame.full { werase(win) }
        frame.cells.withUnsafeBufferPointer { cells in
            for span in frame.spans {
                _ = dispo_put_cells(win, span.row, span.col, cells.baseAddress! + span.offset, span.count)
            }
        }
        cellsPut = frame.cells.count
        previous = frame.grid
        generation += 1
        scratch = frame
        wnoutrefresh(win)
        doupdate()
    }

    /// Whether a frame of `grid` can be the cells that differ from the last one drawn.
    private func canDiff(_ grid: Grid) -> Bool { previous.map { $0.size == grid.size } ?? false }

    private func fill(_ frame: inout PreparedFrame, runs: inout [ChangedRun]) {
        let grid = frame.grid
        let rows = min(grid.size.rows, frame.screenRows)
        let cols = min(grid.size.cols, frame.screenCols)
        guard rows > 0, cols > 0 else { return }
        if frame.full {
            runs.removeAll(keepingCapacity: true)
            for row in 0..<rows { runs.append(ChangedRun(row: row, start: 0, end: cols)) }
        } else if let previous {
            GridDiff.changedRuns(previous: previous, current: grid, rows: rows, cols: cols, into: &runs)
        }
        let width = grid.size.cols
        grid.cells.withUnsafeBufferPointer { cells in
            for run in runs {
                let base = run.row * width
                let offset = frame.cells.count
                for col in run.start..<run.end where !cells[base + col].isContinuation {
                    let wide = col + 1 < width && cells[base + col + 1].isContinuation
                    encoder.append(cells[base + col], wide: wide && col + 1 < cols, to: &frame.cells)
                }
                let count = frame.cells.count - offset
                if count > 0 {
                    frame.spans.append(PreparedFrame.Span(row: Int32(run.row), col: Int32(run.start),
                                                          offset: offset, count: Int32(count)))
                }
            }
        }
    }
}
