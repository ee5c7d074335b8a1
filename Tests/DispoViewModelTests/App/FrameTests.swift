import Foundation
import Testing
@testable import DispoViewModel

/// Where everything is drawn at one terminal size: header, tab bar, body, status line and key hints; the
/// list and the call detail side by side from 100 columns (the list 55 %), stacked below.
@Suite("Frame") struct FrameTests {
    private func rect(_ col: Int, _ row: Int, _ width: Int, _ height: Int) -> Rect {
        Rect(col: col, row: row, width: width, height: height)
    }

    @Test(arguments: [(80, 24), (99, 30), (100, 30), (160, 48)])
    func rowsFromTopToBottom(_ cols: Int, _ rows: Int) {
        let f = Frame(size: Size(cols: cols, rows: rows))
        #expect(f.header == rect(0, 0, cols, 1))
        #expect(f.tabBar == rect(0, 1, cols, 1))
        #expect(f.body == rect(0, 2, cols, rows - 4))
        #expect(f.status == rect(0, rows - 2, cols, 1))
        #expect(f.hints == rect(0, rows - 1, cols, 1))
        #expect(f.list == f.body)
        // A list's first row is its heading; its items fill the rest of the body.
        #expect(f.listRows == rect(0, 3, cols, rows - 5))
        #expect(!f.isTooSmall)
    }

    @Test func at80x24TheDetailOpensOverTheList() {
        let f = Frame(size: Size(cols: 80, rows: 24))
        #expect(f.listRows.height == 19)
        #expect(!f.isSideBySide && f.separatorColumn == nil)
        #expect(f.listBesideDetail == f.body && f.detail == f.body)
        #expect(f.detailRows == 20)
    }

    @Test func oneColumnShortOf100IsStillStacked() {
        let f = Frame(size: Size(cols: 99, rows: 30))
        #expect(!f.isSideBySide && f.separatorColumn == nil)
        #expect(f.listBesideDetail == rect(0, 2, 99, 26) && f.detail == rect(0, 2, 99, 26))
    }

    @Test func from100ColumnsTheDetailIsBesideTheList() {
        let f = Frame(size: Size(cols: 100, rows: 30))
        #expect(f.isSideBySide)
        // 55 % for the list, the separator in the next column, a space, then the detail to the right edge.
        #expect(f.listBesideDetail == rect(0, 2, 55, 26))
        #expect(f.separatorColumn == 55)
        #expect(f.detail == rect(57, 2, 43, 26))
        #expect(f.itemRows(of: f.listBesideDetail) == rect(0, 3, 55, 25))
        #expect(f.listRows == rect(0, 3, 100, 25), "a list alone still takes the whole width")
    }

    @Test func at160x48() {
        let f = Frame(size: Size(cols: 160, rows: 48))
        #expect(f.listBesideDetail == rect(0, 2, 88, 44))
        #expect(f.separatorColumn == 88)
        #expect(f.detail == rect(90, 2, 70, 44))
        #expect(f.detailRows == 44)
        #expect(f.listRows.height == 43)
        #expect(f.status.row == 46 && f.hints.row == 47)
    }

    @Test(arguments: [((59, 24), true), ((80, 15), true), ((60, 16), false), ((59, 15), true), ((200, 60), false)])
    func tooSmallBelow60x16(_ size: (Int, Int), _ tooSmall: Bool) {
        #expect(Frame(size: Size(cols: size.0, rows: size.1)).isTooSmall == tooSmall)
    }

    @Test func rectContainsItsCellsOnly() {
        let r = rect(90, 2, 70, 44)
        #expect(r.contains(col: 90, row: 2) && r.contains(col: 159, row: 45))
        #expect(!r.contains(col: 89, row: 2) && !r.contains(col: 160, row: 2) && !r.contains(col: 90, row: 46))
        #expect(!r.contains(col: 90, row: 1))
    }
}
