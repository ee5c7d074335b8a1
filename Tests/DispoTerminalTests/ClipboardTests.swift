import Testing
import Foundation
import DispoViewModel
@testable import DispoTerminal

@Suite("OSC 52 clipboard")
struct ClipboardTests {
    @Test func plainOSC52() {
        let plan = OSC52.plan(text: "+15551234567", mode: .osc52, multiplexer: .tmux)
        #expect(plan == .write(bytes: Array("\u{1B}]52;c;KzE1NTUxMjM0NTY3\u{07}".utf8), via: "to the terminal's clipboard (OSC 52)"))
        #expect(OSC52.plan(text: "é", mode: .auto, multiplexer: .none) ==
                .write(bytes: Array("\u{1B}]52;c;w6k=\u{07}".utf8), via: "to the terminal's clipboard (OSC 52)"))
    }

    @Test func tmuxPassthroughDoublesEscapes() {
        let expected = Array("\u{1B}Ptmux;\u{1B}\u{1B}]52;c;KzE1NTUxMjM0NTY3\u{07}\u{1B}\\".utf8)
        #expect(OSC52.plan(text: "+15551234567", mode: .tmux, multiplexer: .tmux) ==
                .write(bytes: expected, via: "as OSC 52 through tmux passthrough"))
        #expect(OSC52.plan(text: "+15551234567", mode: .tmux, multiplexer: .none) ==
                .write(bytes: expected, via: "as OSC 52 through tmux passthrough"))
    }

    /// In `auto` mode inside tmux both forms are sent: tmux's defaults take neither, `set-clipboard on`
    /// takes the plain one, `allow-passthrough on` forwards the wrapped one.
    @Test func autoInsideTmuxSendsBothForms() {
        let plain = Array("\u{1B}]52;c;KzE1NTUxMjM0NTY3\u{07}".utf8)
        let wrapped = Array("\u{1B}Ptmux;\u{1B}\u{1B}]52;c;KzE1NTUxMjM0NTY3\u{07}\u{1B}\\".utf8)
        guard case .write(let bytes, let via) = OSC52.plan(text: "+15551234567", mode: .auto, multiplexer: .tmux) else {
            Issue.record("auto in tmux must write"); return
        }
        #expect(bytes == plain + wrapped)
        #expect(via.contains("set-clipboard on"), "the rep is told what tmux needs")
    }

    /// Inside GNU screen (`STY` set) the sequence goes out in screen's passthrough, `ESC P … ESC \`, cut
    /// into pieces screen's string buffer takes; joined again they are the plain sequence.
    @Test func screenPassthroughWrapsInPieces() {
        let plain = Array("\u{1B}]52;c;KzE1NTUxMjM0NTY3\u{07}".utf8)
        #expect(OSC52.plan(text: "+15551234567", mode: .auto, multiplexer: .screen) ==
                .write(bytes: [0x1B, 0x50] + plain + [0x1B, 0x5C], via: "as OSC 52 through GNU screen"))

        let text = String(repeating: "Zoë 555 0102 ", count: 40)  // 560 bytes → 748 of base64
        guard case .write(let bytes, _) = OSC52.plan(text: text, mode: .auto, multiplexer: .screen) else {
            Issue.record("screen must write"); return
        }
        let sequence = Array("\u{1B}]52;c;".utf8) + Array(Data(text.utf8).base64EncodedString().utf8) + [0x07]
        // Cut at each ESC \ (the sequence itself holds no ESC \: its one ESC opens ESC ]).
        var pieces: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            #expect(Array(bytes[i..<min(i + 2, bytes.count)]) == [0x1B, 0x50], "a piece opens with ESC P at \(i)")
            var j = i + 2
            while j + 1 < bytes.count && !(bytes[j] == 0x1B && bytes[j + 1] == 0x5C) { j += 1 }
            #expect(j + 1 < bytes.count, "the piece at \(i) is closed with ESC \\")
            pieces.append(Array(bytes[(i + 2)..<min(j, bytes.count)]))
            i = j + 2
        }
        #expect(pieces.count == (sequence.count + OSC52.screenChunkBytes - 1) / OSC52.screenChunkBytes)
        #expect(pieces.allSatisfy { $0.count <= OSC52.screenChunkBytes && !$0.isEmpty })
        #expect(Array(pieces.joined()) == sequence, "the pieces joined are the OSC 52 sequence")
        // Asked for explicitly, plain OSC 52 and tmux's wrapping stay as they are inside screen.
        #expect(OSC52.plan(text: "x", mode: .osc52, multiplexer: .screen) ==
                OSC52.plan(text: "x", mode: .osc52, multiplexer: .none))
        #expect(OSC52.plan(text: "x", mode: .tmux, multiplexer: .screen) ==
                OSC52.plan(text: "x", mode: .tmux, multiplexer: .none))
    }

    @Test func multiplexerFromEnvironment() {
        #expect(OSC52.Multiplexer(environment: [:]) == .none)
        #expect(OSC52.Multiplexer(environment: ["STY": "1234.pts-0.host"]) == .screen)
        #expect(OSC52.Multiplexer(environment: ["TMUX": "/tmp/tmux-0/default,1,0"]) == .tmux)
        #expect(OSC52.Multiplexer(environment: ["TMUX": "/tmp/t,1,0", "STY": "1.pts-0.h"]) == .tmux)
        #expect(OSC52.Multiplexer(environment: ["TMUX": "", "STY": ""]) == .none)
    }

    /// The status line says what was sent and how, never that the clipboard changed (no terminal says
    /// whether it took the copy); the longest such line fits an 80-column status line.
    @Test func sentMessageSaysWhatWasSentAndFits80Columns() {
        let longest = String(repeating: "é", count: 20_000)  // 40 000 bytes, under the cap
        for mode in [ClipboardMode.auto, .osc52, .tmux] {
            for multiplexer in [OSC52.Multiplexer.none, .tmux, .screen] {
                for text in ["+15551234567", longest] {
                    guard case .write(_, let via) = OSC52.plan(text: text, mode: mode, multiplexer: multiplexer) else {
                        Issue.record("\(mode) in \(multiplexer) must write"); continue
                    }
                    let message = OSC52.sentMessage(text, via: via)
                    #expect(message.hasPrefix("Sent \""), "\(message)")
                    #expect(!message.lowercased().contains("copied"), "\(message)")
                    #expect(message.count <= 80, "\(message.count) columns: \(message)")
                }
            }
        }
        #expect(OSC52.sentMessage("+15551234567", via: "as OSC 52 (tmux needs set-clipboard on)") ==
                "Sent \"+15551234567\" as OSC 52 (tmux needs set-clipboard on)")
    }

    @Test func offAndSizeCap() {
        #expect(OSC52.plan(text: "x", mode: .off, multiplexer: .none) == .disabled)
        // 56 245 bytes of text → 74 996 bytes of base64: just over the cap; 56 244 → 74 992: under.
        #expect(OSC52.plan(text: String(repeating: "a", count: 56_245), mode: .osc52, multiplexer: .none) ==
                .tooLarge(base64Bytes: 74_996))
        if case .write(let bytes, _) = OSC52.plan(text: String(repeating: "a", count: 56_244), mode: .osc52,
                                                  multiplexer: .none) {
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
        #expect(report.text == "frames 3\nevents 7\nsize 80x24\ndigest abc\nblitted 0\nwrites 0\nskipped 0\nahead 0\n")
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
