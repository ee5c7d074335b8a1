import Testing
import Foundation
import DispoViewModel
@testable import DispoTerminal

@Suite("OSC 52 clipboard")
struct ClipboardTests {
    @Test func plainOSC52() {
        let plan = OSC52.plan(text: "+15551234567", mode: .osc52, inTmux: true)
        #expect(plan == .write(bytes: Array("\u{1B}]52;c;KzE1NTUxMjM0NTY3\u{07}".utf8), via: "OSC 52"))
        #expect(OSC52.plan(text: "é", mode: .auto, inTmux: false) ==
                .write(bytes: Array("\u{1B}]52;c;w6k=\u{07}".utf8), via: "OSC 52"))
    }

    @Test func tmuxPassthroughDoublesEscapes() {
        let expected = Array("\u{1B}Ptmux;\u{1B}\u{1B}]52;c;KzE1NTUxMjM0NTY3\u{07}\u{1B}\\".utf8)
        #expect(OSC52.plan(text: "+15551234567", mode: .tmux, inTmux: true) ==
                .write(bytes: expected, via: "tmux passthrough"))
        #expect(OSC52.plan(text: "+15551234567", mode: .tmux, inTmux: false) ==
                .write(bytes: expected, via: "tmux passthrough"))
    }

    /// In `auto` mode inside tmux both forms are sent: tmux's defaults take neither, `set-clipboard on`
    /// takes the plain one, `allow-passthrough on` forwards the wrapped one.
    @Test func autoInsideTmuxSendsBothForms() {
        let plain = Array("\u{1B}]52;c;KzE1NTUxMjM0NTY3\u{07}".utf8)
        let wrapped = Array("\u{1B}Ptmux;\u{1B}\u{1B}]52;c;KzE1NTUxMjM0NTY3\u{07}\u{1B}\\".utf8)
        guard case .write(let bytes, let via) = OSC52.plan(text: "+15551234567", mode: .auto, inTmux: true) else {
            Issue.record("auto in tmux must write"); return
        }
        #expect(bytes == plain + wrapped)
        #expect(via.contains("set-clipboard on"), "the rep is told what tmux needs")
    }

    @Test func offAndSizeCap() {
        #expect(OSC52.plan(text: "x", mode: .off, inTmux: false) == .disabled)
        // 56 245 bytes of text → 74 996 bytes of base64: just over the cap; 56 244 → 74 992: under.
        #expect(OSC52.plan(text: String(repeating: "a", count: 56_245), mode: .osc52, inTmux: false) ==
                .tooLarge(base64Bytes: 74_996))
        if case .write(let bytes, _) = OSC52.plan(text: String(repeating: "a", count: 56_244), mode: .osc52,
                                                  inTmux: false) {
            #expect(bytes.count == 7 + 74_992 + 1)
        } else {
            Issue.record("text under the cap must be written")
        }
    }

    @Test func descriptionIsShortAndInert() {
        #expect(OSC52.describe("+15551234567") == "\"+15551234567\"")
        #expect(OSC52.describe("a\u{1B}]52;c;x\u{07}") == "\"a?]52;c;x?\"")
        #expect(OSC52.describe(String(repeating: "x", count: 40), limit: 4) == "\"xxxx…\" (40 bytes)")
    }
}

@Suite("Idle report")
struct IdleReportTests {
    @Test func digestTellsScreensApartAndTextIsStable() {
        var a = Grid(size: Size(cols: 3, rows: 2))
        let blank = IdleReport.digest(a)
        a[1, 1] = Cell("x")
        #expect(IdleReport.digest(a) != blank)
        // Same text on another row is another screen.
        var b = Grid(size: Size(cols: 3, rows: 2))
        b[1, 0] = Cell("x")
        #expect(IdleReport.digest(b) != IdleReport.digest(a))
        let report = IdleReport(frames: 3, events: 7, size: Size(cols: 80, rows: 24), digest: 0xabc)
        #expect(report.text == "frames 3\nevents 7\nsize 80x24\ndigest abc\n")
    }

    /// The digest of a grid equals that of the text an emulator gives back for it: wide graphemes once,
    /// trailing blanks trimmed (as `tmux capture-pane -p` does).
    @Test func digestMatchesTheScreenAsCapturedText() {
        var g = Grid(size: Size(cols: 6, rows: 3))
        g[0, 0] = Cell("한"); g[1, 0] = Cell(""); g[2, 0] = Cell("x")
        g[4, 1] = Cell("│")
        #expect(IdleReport.digest(g) == IdleReport.digest(lines: ["한x", "    │", ""]))
        #expect(IdleReport.digest(g) == IdleReport.digest(lines: ["한x   ", "    │ ", "      "]))
        #expect(IdleReport.digest(g) != IdleReport.digest(lines: ["한x", "    │", "y"]))
    }
}
