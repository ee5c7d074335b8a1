import Foundation
import Testing
@testable import DispoViewModel

/// `Snapshots/` of this test target, found from this file's place (`Support/` is directly under the target's
/// folder), whichever folder the calling test lives in.
let snapshotsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Snapshots")

/// The screen of `s` as text at `size` (80×24 unless said).
func screen(_ s: AppState, _ size: Size = Size(cols: 80, rows: 24)) -> String {
    gridText(render(s, size: size, options: RenderOptions()))
}

/// Compares `grid` (as `gridText`) with `Snapshots/<name>.txt`; with `DISPO_UPDATE_SNAPSHOTS=1` writes it.
/// `name` may start with a folder: `"Calls/calls-80x24"`.
func assertSnapshot(_ grid: Grid, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    assertTextSnapshot(gridText(grid), name, sourceLocation: sourceLocation)
}

/// The style layer of `grid`: one character per column (continuation cells included, so columns line up
/// with what a terminal shows): `.` plain, else a hex digit summing 1 bold, 2 reverse, 4 underline, 8 dim.
/// With colours off this is everything that carries meaning besides the text.
func styleText(_ grid: Grid) -> String {
    var out = ""
    for row in 0..<grid.size.rows {
        for col in 0..<grid.size.cols {
            let st = grid[col, row].style
            let bits = (st.bold ? 1 : 0) | (st.reverse ? 2 : 0) | (st.underline ? 4 : 0) | (st.dim ? 8 : 0)
            out += bits == 0 ? "." : String(bits, radix: 16)
        }
        out += "|\n"
    }
    return out
}

/// The text and, below it, the style layer of `grid` (for snapshots where meaning must survive NO_COLOR).
func textAndStyles(_ grid: Grid) -> String {
    gridText(grid) + "-- styles: . plain; hex digit = 1 bold + 2 reverse + 4 underline + 8 dim\n" + styleText(grid)
}

/// Compares `actual` with `Snapshots/<name>.txt` (`name` may start with a folder: `"Calls/calls-80x24"`);
/// with `DISPO_UPDATE_SNAPSHOTS=1` writes it, creating the folder.
func assertTextSnapshot(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let file = snapshotsDirectory.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["DISPO_UPDATE_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("missing snapshot \(name).txt (run with DISPO_UPDATE_SNAPSHOTS=1 and review it)",
                     sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        Issue.record("snapshot \(name) differs:\n--- expected\n\(expected)--- actual\n\(actual)", sourceLocation: sourceLocation)
    }
}

/// A suite that takes render snapshots at the two usual sizes (80×24 and 120×40), in colour and Unicode.
protocol SnapshotSuite {}

extension SnapshotSuite {
    static var small: Size { Size(cols: 80, rows: 24) }
    static var large: Size { Size(cols: 120, rows: 40) }
    static var sizes: [(String, Size)] { [("80x24", small), ("120x40", large)] }
    var options: RenderOptions { RenderOptions(unicode: true, colors: true) }

    /// `state` resized to each of `sizes` and compared with `Snapshots/<name>-<size>.txt`.
    func shot(_ state: AppState, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for (suffix, size) in Self.sizes {
            var s = state
            _ = reduce(&s, .resize(size))
            assertSnapshot(render(s, size: size, options: options), "\(name)-\(suffix)", sourceLocation: sourceLocation)
        }
    }
}
