@testable import DispoTerminal
import DispoViewModel
import Testing

@Suite("Grid diff: the cells a frame hands to ncurses")
struct GridDiffTests {
    private func runs(_ a: Grid, _ b: Grid, rows: Int? = nil, cols: Int? = nil) -> [ChangedRun] {
        var out: [ChangedRun] = [ChangedRun(row: 99, start: 0, end: 1)]  // emptied first
        GridDiff.changedRuns(previous: a, current: b, rows: rows ?? b.size.rows, cols: cols ?? b.size.cols, into: &out)
        return out
    }

    private func row(_ text: String, cols: Int = 10) -> Grid {
        var g = Grid(size: Size(cols: cols, rows: 1))
        for (i, ch) in text.enumerated() { g[i, 0] = Cell(String(ch)) }
        return g
    }

    @Test func equalGridsGiveNothing() {
        var g = Grid(size: Size(cols: 8, rows: 3))
        g[2, 1] = Cell("x", style: CellStyle(role: .accent, bold: true))
        #expect(runs(g, g).isEmpty)
    }

    @Test func onlyTheChangedCellsInRunsPerRow() {
        let a = Grid(size: Size(cols: 10, rows: 4))
        var b = a
        b[3, 1] = Cell("a"); b[4, 1] = Cell("b")   // one run
        b[7, 1] = Cell("c")                         // another, after an equal cell
        b[0, 3] = Cell("d")
        #expect(runs(a, b) == [ChangedRun(row: 1, start: 3, end: 5), ChangedRun(row: 1, start: 7, end: 8),
                               ChangedRun(row: 3, start: 0, end: 1)])
    }

    @Test func aStyleChangeAloneIsAChange() {
        let a = row("abc")
        var b = a
        b[1, 0] = Cell("b", style: CellStyle(role: .selection, reverse: true))
        #expect(runs(a, b) == [ChangedRun(row: 0, start: 1, end: 2)])
    }

    @Test func aCellThatBecameBlankIsRedrawn() {
        let a = row("abc")
        let b = row("a c")
        #expect(runs(a, b) == [ChangedRun(row: 0, start: 1, end: 2)])
    }

    @Test func aRunNeverStartsOnTheRightHalfOfAWideGrapheme() {
        var a = row("")
        a[2, 0] = Cell("한"); a[3, 0] = Cell("")
        a[4, 0] = Cell("x")
        // The wide grapheme stays; the cell after it changes, and the style of its right half (as the
        // grid carries it) too: the run starts at the grapheme, not in its middle.
        var b = a
        b[3, 0] = Cell("", style: CellStyle(role: .accent))
        b[4, 0] = Cell("y")
        #expect(runs(a, b) == [ChangedRun(row: 0, start: 2, end: 5)])
    }

    @Test func narrowOverWideRedrawsBothColumns() {
        var a = row("")
        a[2, 0] = Cell("한"); a[3, 0] = Cell("")
        let b = row("  ab")
        #expect(runs(a, b) == [ChangedRun(row: 0, start: 2, end: 4)])
        // And back: the wide grapheme's run covers its right half.
        #expect(runs(b, a) == [ChangedRun(row: 0, start: 2, end: 4)])
    }

    @Test func onlyTheScreensPartOfALargerGridIsCompared() {
        let a = Grid(size: Size(cols: 10, rows: 4))
        var b = a
        b[9, 0] = Cell("x")   // right of the screen
        b[0, 3] = Cell("y")   // below it
        b[1, 1] = Cell("z")
        #expect(runs(a, b, rows: 3, cols: 8) == [ChangedRun(row: 1, start: 1, end: 2)])
    }

    /// A list step: the old and the new selected row change, nothing else.
    @Test func aListStepChangesTwoRows() {
        func list(selected: Int) -> Grid {
            var g = Grid(size: Size(cols: 20, rows: 6))
            for r in 0..<6 {
                let style = r == selected ? CellStyle(role: .selection, reverse: true) : .plain
                for (i, ch) in "\(r == selected ? "▸" : " ") row \(r)".enumerated() { g[i, r] = Cell(String(ch), style: style) }
                if r == selected { for c in 7..<20 { g[c, r] = Cell(" ", style: style) } }
            }
            return g
        }
        let changed = runs(list(selected: 2), list(selected: 3))
        #expect(changed == [ChangedRun(row: 2, start: 0, end: 20), ChangedRun(row: 3, start: 0, end: 20)])
    }
}
