import DispoViewModel

/// A run of cells on one screen row to hand to ncurses again: columns `start..<end` of `row`.
struct ChangedRun: Equatable, Sendable {
    var row: Int
    var start: Int
    var end: Int
}

/// What changed between two frames of the same size, as runs of cells per row.
enum GridDiff {
    /// Appends to `runs` (emptied first, its capacity kept) the runs of cells of `current` that differ
    /// from `previous`, within the top-left `rows` × `cols` of both, top to bottom and left to right.
    ///
    /// A run never starts on the right half of a wide grapheme: it starts one column earlier, so the
    /// grapheme is drawn whole. Cells that differ with equal cells between them stay separate runs.
    /// Both grids must have the same size (a different size is a full redraw, not a diff).
    static func changedRuns(previous: Grid, current: Grid, rows: Int, cols: Int, into runs: inout [ChangedRun]) {
        runs.removeAll(keepingCapacity: true)
        precondition(previous.size == current.size, "a diff needs two grids of the same size")
        let width = current.size.cols
        let rows = min(rows, current.size.rows), cols = min(cols, width)
        previous.cells.withUnsafeBufferPointer { old in
            current.cells.withUnsafeBufferPointer { new in
                for row in 0..<rows {
                    let base = row * width
                    var col = 0
                    while col < cols {
                        if old[base + col] == new[base + col] { col += 1; continue }
                        var start = col
                        if start > 0 && new[base + start].isContinuation { start -= 1 }
                        var end = col + 1
                        while end < cols && old[base + end] != new[base + end] { end += 1 }
                        if let last = runs.last, last.row == row, last.end >= start {
                            runs[runs.count - 1].end = end
                        } else {
                            runs.append(ChangedRun(row: row, start: start, end: end))
                        }
                        col = end
                    }
                }
            }
        }
    }
}
