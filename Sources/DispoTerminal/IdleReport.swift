import DispoViewModel
import Foundation

/// What the UI writes to `TerminalOptions.idleFile` when it is idle (a signal for end-to-end tests,
/// which wait for it instead of sleeping). Text, one `key value` per line:
/// ```
/// frames 12          frames blitted so far
/// events 40          Msgs reduced so far (keys, resizes, posted Msgs)
/// size 80x24         columns x rows
/// digest 9f…         FNV-1a 64 of the screen's text (hex), to tell screens apart and to check
///                    that a terminal emulator shows what was drawn
/// blitted 160        cells handed to ncurses by the last frame (all non-blank ones on a full
///                    redraw, else only those that changed)
/// writes 1           write() calls the last frame left in (0: it had no bytes)
/// skipped 0          frames not drawn so far because more keys were already waiting
/// ahead 3            frames shown so far that were made ahead for a repeated key
/// ```
public struct IdleReport: Sendable, Equatable {
    /// Frames blitted so far.
    public var frames: Int
    /// Msgs reduced so far.
    public var events: Int
    /// The terminal size in cells.
    public var size: Size
    /// `digest(_:)` of the last frame drawn (0 before the first).
    public var digest: UInt64
    /// Cells handed to ncurses by the last frame.
    public var blitted: Int = 0
    /// `write(2)` calls the last frame took.
    public var writes: Int = 0
    /// Frames skipped so far because more input was waiting.
    public var skipped: Int = 0
    /// Frames shown so far from a `SpeculativeFrame`.
    public var ahead: Int = 0

    /// The report as written to the file (see the type).
    public var text: String {
        "frames \(frames)\nevents \(events)\nsize \(size.cols)x\(size.rows)\ndigest \(String(digest, radix: 16))\n"
            + "blitted \(blitted)\nwrites \(writes)\nskipped \(skipped)\nahead \(ahead)\n"
    }

    /// FNV-1a 64 over the screen as text: each row's cells (continuation cells add nothing) with the
    /// row's trailing spaces dropped, then a newline. That is what `tmux capture-pane -p` prints, so a
    /// test can tell when the emulator has caught up with the frame.
    public static func digest(_ grid: Grid) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for row in 0..<grid.size.rows {
            // The row's last column that is not a blank (continuation cells add nothing).
            var end = grid.size.cols
            while end > 0, grid[end - 1, row].content.isSpace || grid[end - 1, row].isContinuation { end -= 1 }
            for col in 0..<end {
                grid[col, row].content.withUTF8 { for b in $0 { h = (h ^ UInt64(b)) &* 0x100000001b3 } }
            }
            h = (h ^ 0x0A) &* 0x100000001b3
        }
        return h
    }

    /// `digest(_:)` of screen text as a terminal emulator gives it back: one line per row, trailing
    /// spaces ignored.
    public static func digest(lines: [Substring]) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for var line in lines {
            while line.last == " " { line.removeLast() }
            for b in line.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            h = (h ^ 0x0A) &* 0x100000001b3
        }
        return h
    }
}

extension TerminalUI {
    /// True when something was handled or drawn since the last idle report.
    var idleReportDue: Bool { eventsHandled != lastIdleEvents || frames != lastIdleFrames }

    /// The loop's idle step, called with the inbox empty: writes the idle report (when `idleFile` is set
    /// and one is due, no key sequence is half read, no input is pending and `busy()` is false), then
    /// crashes when the test hook asks for it and a frame is up and reported.
    func reportIfIdle(busy: () -> Bool) {
        let idleFile = options.idleFile
        if let idleFile, idleReportDue, !decoder.isMidSequence, !inputPending(), !busy() {
            writeIdleReport(to: idleFile)
            lastIdleEvents = eventsHandled
            lastIdleFrames = frames
        }
        if let crash = crashAfterStart, frames > 0, idleFile == nil || lastIdleEvents == eventsHandled,
           !inputPending(), !busy() {
            crash.crash()
        }
    }

    /// Writes the report to `path` whole (a temporary file beside it, renamed into place), so a reader
    /// never sees half of one; a failure is ignored. No fsync: the report is a signal to a process
    /// watching now, not a record that must outlive a power cut, and a sync after every key would put
    /// disk flushes between a rep's keys.
    private func writeIdleReport(to path: String) {
        let report = IdleReport(frames: frames, events: eventsHandled, size: size,
                                digest: lastGrid.map(IdleReport.digest) ?? 0, blitted: blitter.cellsPut,
                                writes: frameOutput.lastWrites, skipped: skippedFrames,
                                ahead: speculativeFramesShown)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let bytes = Array(report.text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if written == bytes.count { rename(temporary, path) } else { unlink(temporary) }
    }
}
