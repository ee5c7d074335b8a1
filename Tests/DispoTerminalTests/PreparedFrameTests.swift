@testable import DispoTerminal
import CNcursesw
import DispoViewModel
import Foundation
import Testing

@Suite("Prepared frames: a grid made into ncurses cells before it is drawn")
struct PreparedFrameTests {
    init() { setlocale(LC_CTYPE, "C.UTF-8") }

    private func blitter() -> Blitter { Blitter(palette: Palette(theme: .mono), unicode: true) }

    /// The base character of each ncurses cell in `span`.
    private func bases(_ frame: PreparedFrame, _ span: PreparedFrame.Span) -> [UInt32] {
        (0..<Int(span.count)).map { i in
            var cell = frame.cells[span.offset + i]
            var chars = [wchar_t](repeating: 0, count: 8)
            var attr: attr_t = 0
            var pair: Int16 = 0
            _ = getcchar(&cell, &chars, &attr, &pair, nil)
            return UInt32(bitPattern: chars[0])
        }
    }

    @Test func theFirstFrameIsEveryRowOfTheScreenFromColumnZero() {
        var grid = Grid(size: Size(cols: 6, rows: 3))
        grid[1, 0] = Cell("a"); grid[5, 2] = Cell("z")
        let frame = blitter().prepare(grid, screenRows: 2, screenCols: 5, full: false)
        #expect(frame.full, "nothing drawn yet: there is nothing to diff against")
        #expect(frame.spans.map(\.row) == [0, 1], "clipped to the screen's 2 rows")
        #expect(frame.spans.allSatisfy { $0.col == 0 && $0.count == 5 }, "and its 5 columns")
        #expect(bases(frame, frame.spans[0]) == [0x20, 0x61, 0x20, 0x20, 0x20])
        #expect(!frame.isEmpty)
    }

    @Test func aWideGraphemeIsOneCellForItsTwoColumns() {
        var grid = Grid(size: Size(cols: 5, rows: 1))
        grid[0, 0] = Cell("x"); grid[1, 0] = Cell("한"); grid[2, 0] = Cell(""); grid[3, 0] = Cell("y")
        let frame = blitter().prepare(grid, screenRows: 1, screenCols: 5, full: true)
        #expect(frame.spans.count == 1)
        #expect(bases(frame, frame.spans[0]) == [0x78, 0xD55C, 0x79, 0x20], "its right half is not handed over")
    }

    @Test func anEmojiTheGridGivesTwoColumnsButWcwidthOneIsFilledWithASpace() {
        var grid = Grid(size: Size(cols: 4, rows: 1))
        grid[0, 0] = Cell("\u{260E}\u{FE0F}"); grid[1, 0] = Cell(""); grid[2, 0] = Cell("k")
        let frame = blitter().prepare(grid, screenRows: 1, screenCols: 4, full: true)
        #expect(bases(frame, frame.spans[0]) == [0x260E, 0x20, 0x6B, 0x20], "the columns stay where the grid has them")
    }

    @Test func aWideGraphemeCutByTheScreensEdgeIsAPlaceholder() {
        var grid = Grid(size: Size(cols: 4, rows: 1))
        grid[2, 0] = Cell("한"); grid[3, 0] = Cell("")
        let frame = blitter().prepare(grid, screenRows: 1, screenCols: 3, full: true)
        #expect(bases(frame, frame.spans[0]) == [0x20, 0x20, 0x3F], "one column left for it: '?'")
    }

    @Test func withoutUnicodeOnlyASCIIIsHandedOver() {
        var grid = Grid(size: Size(cols: 5, rows: 1))
        grid[0, 0] = Cell("é"); grid[1, 0] = Cell("한"); grid[2, 0] = Cell("")
        let frame = Blitter(palette: Palette(theme: .mono), unicode: false)
            .prepare(grid, screenRows: 1, screenCols: 5, full: true)
        #expect(bases(frame, frame.spans[0]) == [0x65, 0x3F, 0x3F, 0x20, 0x20])
    }

    @Test func aFrameIsDrawableOnlyOnTheScreenItWasMadeFor() {
        let b = blitter()
        let frame = b.prepare(Grid(size: Size(cols: 4, rows: 2)), screenRows: 2, screenCols: 4, full: false)
        #expect(b.canDraw(frame, screenRows: 2, screenCols: 4))
        #expect(!b.canDraw(frame, screenRows: 3, screenCols: 4))
        #expect(!b.canDraw(frame, screenRows: 2, screenCols: 5))
    }
}
