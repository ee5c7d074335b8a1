import CNcursesw
import DispoViewModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Frames and raw writes: a frame is blitted only when its grid differs from the last one (or a full
/// redraw is forced: Ctrl-L, a resize, a resume), so ncurses sends only what changed.
extension TerminalUI {
    /// Renders at the current size and blits the grid unless it equals the last one drawn. A forced
    /// redraw clears the screen first (`clearok`) and is then done.
    func drawIfChanged(_ render: (Size, RenderOptions) -> Grid) {
        let size = self.size
        let grid = render(size, RenderOptions(unicode: unicode, colors: resolvedTheme != .mono))
        if !forceFullRedraw, let last = lastGrid, last == grid { return }
        if forceFullRedraw { clearok(dispo_curscr(), true) }
        forceFullRedraw = false
        blitter.draw(grid, screenRows: Int(dispo_lines()), screenCols: Int(dispo_cols()))
        lastGrid = grid
        frames += 1
    }

    /// Writes bytes to the terminal right after ncurses' own output (ncurses has flushed at `doupdate`).
    func writeRaw(_ bytes: [UInt8]) {
        fflush(outFile)
        bytes.withUnsafeBufferPointer { buf in
            _ = fwrite(buf.baseAddress, 1, buf.count, outFile)
        }
        fflush(outFile)
    }
}
