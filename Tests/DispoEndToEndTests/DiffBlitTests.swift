import DispoSandbox
import Foundation
import Testing

/// One `key value` line of an idle report as a number (nil when absent).
func idleValue(_ report: String, _ key: String) -> Int? {
    report.split(separator: "\n").first { $0.hasPrefix(key + " ") }.flatMap { Int($0.dropFirst(key.count + 1)) }
}

// The blit hands ncurses only the cells that changed since the last frame, and a frame leaves in one
// write(2). The idle report says how many cells the last frame handed over (`blitted`) and in how many
// writes it left (`writes`). Each screen reached through diffs must equal the same screen drawn whole
// (Ctrl-L repaints everything from a cleared terminal).
@Suite("End to end: changed cells only, one write per frame", .serialized)
struct DiffBlitTests {
    /// The screen now, then after Ctrl-L (a full redraw of the same state): they must be the same text.
    private func expectSameAsFullRedraw(_ tmux: TmuxSession, _ what: String) async throws {
        let before = tmux.capture()
        try await tmux.press("C-l")
        let after = tmux.capture()
        #expect(maskedRows(before) == maskedRows(after), "\(what): the screen drawn by diffs\n\(before)\ndiffers from the full redraw\n\(after)")
    }

    @Test("a list step hands ncurses the two rows that changed and leaves in one write; Ctrl-L redraws all")
    func listStepIsTwoRowsInOneWrite() async throws {
        let tmux = try await startDispo(cols: 80, rows: 24)
        defer { tmux.kill() }
        try await tmux.press("2")  // Calls tab
        try await tmux.poll("the calls listed") { tmux.capture().contains("▸") }
        try await tmux.press("j")
        let step = tmux.lastIdle
        let blitted = try #require(idleValue(step, "blitted"), "the idle report names the cells blitted:\n\(step)")
        #expect(idleValue(step, "writes") == 1, "one write for the frame:\n\(step)")
        // The old and the new selected row (the highlight spans the row), the row counter in the header
        // or the status line at most: nowhere near the 1 920 cells of the screen.
        #expect(blitted > 0 && blitted <= 3 * 80, "a step hands ncurses \(blitted) cells:\n\(step)")

        try await tmux.press("C-l")
        let full = tmux.lastIdle
        let all = try #require(idleValue(full, "blitted"))
        #expect(all > 3 * 80, "a full redraw hands over every non-blank cell, got \(all):\n\(full)")
        #expect(idleValue(full, "writes") == 1, "one write for the full frame too:\n\(full)")
    }

    @Test("screens reached by steps, scrolling, pages, an overlay and a resize equal their full redraws")
    func diffsEqualFullRedraws() async throws {
        let tmux = try await startDispo(cols: 80, rows: 24)
        defer { tmux.kill() }
        try await tmux.press("2")
        try await tmux.poll("the calls listed") { tmux.capture().contains("▸") }
        for _ in 0..<4 { try await tmux.press("j") }
        try await expectSameAsFullRedraw(tmux, "after 4 steps in the page")
        for _ in 0..<30 { try await tmux.press("j") }  // past the page's last row: the list scrolls
        try await expectSameAsFullRedraw(tmux, "after scrolling")
        try await tmux.press("PPage")
        try await tmux.press("NPage")
        try await tmux.press("NPage")
        try await expectSameAsFullRedraw(tmux, "after page moves")
        try await tmux.press("?")
        try await expectSameAsFullRedraw(tmux, "with the help overlay")
        try await tmux.press("Escape")
        try await expectSameAsFullRedraw(tmux, "with the overlay closed")
        try await tmux.press("1")
        try await tmux.press("Enter")  // the log form, on Duration; Notes is four fields on
        for _ in 0..<4 { try await tmux.press("Tab") }
        try await tmux.typeText("Nöte 한글")
        try await expectSameAsFullRedraw(tmux, "in the log form after typing")
        try await tmux.press("Escape")
        try tmux.resize(cols: 100, rows: 30)
        try await tmux.idle(cols: 100, rows: 30)
        try await tmux.press("j")
        try await expectSameAsFullRedraw(tmux, "after a resize and a step")
    }
}
