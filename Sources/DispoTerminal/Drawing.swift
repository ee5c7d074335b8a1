import CNcursesw
import DispoViewModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Frames and raw writes: a frame is blitted only when its grid differs from the last one (or a full
/// redraw is forced: Ctrl-L, a resize, a resume), only its changed cells are handed to ncurses, and it
/// leaves in one write.
extension TerminalUI {
    /// Renders at the current size and blits the grid unless it equals the last one drawn. A forced
    /// redraw clears the screen first (`clearok`), draws every cell and is then done; otherwise only the
    /// cells that differ from the last grid are drawn.
    func drawIfChanged(_ render: (Size, RenderOptions) -> Grid) {
        show(render(size, renderOptions))
    }

    /// What every frame is rendered with: Unicode when the terminal has it, colours unless the theme is
    /// `mono`.
    var renderOptions: RenderOptions { RenderOptions(unicode: unicode, colors: resolvedTheme != .mono) }

    /// Blits `grid` (made at the current size with `renderOptions`) unless it equals the last one drawn.
    /// `prepared`, a frame of `grid` made ahead (`Blitter.prepare`), is drawn as it is when the screen
    /// still shows what it was made against and no full redraw is due; otherwise the frame is made now.
    func show(_ grid: Grid, prepared: PreparedFrame? = nil) {
        lastDrawAt = Date()
        let full = forceFullRedraw || lastGrid == nil
        let (rows, cols) = (Int(dispo_lines()), Int(dispo_cols()))
        let frame: PreparedFrame
        if let prepared, !full, blitter.canDraw(prepared, screenRows: rows, screenCols: cols) {
            frame = prepared
        } else {
            frame = blitter.prepareForNow(grid, screenRows: rows, screenCols: cols, full: full)
        }
        // Nothing differs from the screen: no ncurses call and no write.
        if frame.isEmpty {
            blitter.keepArrays(of: frame)
            return
        }
        if forceFullRedraw { clearok(dispo_curscr(), true) }
        forceFullRedraw = false
        if isendwin() {
            // Coming back from the shell or an editor: ncurses puts the terminal's modes back inside
            // `doupdate`, on its descriptor, so this frame is not gathered.
            blitter.draw(frame)
        } else {
            frameOutput.frame { blitter.draw(frame) }
        }
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
