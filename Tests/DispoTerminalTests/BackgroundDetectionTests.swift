import Foundation
import Testing
import DispoViewModel
@testable import DispoTerminal

@Suite("Detecting a light background for theme auto")
struct BackgroundDetectionTests {
    static let esc = "\u{1B}"

    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func colorfgbgVariants() {
        #expect(BackgroundDetection.fromCOLORFGBG("0;15") == .light)   // dark text on white
        #expect(BackgroundDetection.fromCOLORFGBG("15;0") == .dark)
        #expect(BackgroundDetection.fromCOLORFGBG("0;7") == .light)
        #expect(BackgroundDetection.fromCOLORFGBG("7;8") == .dark)
        #expect(BackgroundDetection.fromCOLORFGBG("0;default;15") == .light)  // rxvt's three fields
        #expect(BackgroundDetection.fromCOLORFGBG("15;default;0") == .dark)
        #expect(BackgroundDetection.fromCOLORFGBG("12;11") == .light)
        #expect(BackgroundDetection.fromCOLORFGBG("default;default") == nil)
        #expect(BackgroundDetection.fromCOLORFGBG("0;300") == nil)
        #expect(BackgroundDetection.fromCOLORFGBG("") == nil)
        #expect(BackgroundDetection.fromCOLORFGBG("light") == nil)
        #expect(BackgroundDetection.fromCOLORFGBG("0;") == nil)
    }

    @Test func osc11Replies() {
        let e = Self.esc
        #expect(BackgroundDetection.fromOSC11Reply(bytes("\(e)]11;rgb:ffff/ffff/ffff\(e)\\")) == .light)
        #expect(BackgroundDetection.fromOSC11Reply(bytes("\(e)]11;rgb:0000/0000/0000\u{07}")) == .dark)
        // Solarized light and dark, in two hex digits a channel.
        #expect(BackgroundDetection.fromOSC11Reply(bytes("\(e)]11;rgb:fd/f6/e3\(e)\\")) == .light)
        #expect(BackgroundDetection.fromOSC11Reply(bytes("\(e)]11;rgb:00/2b/36\(e)\\")) == .dark)
        #expect(BackgroundDetection.fromOSC11Reply(bytes("\(e)]11;rgba:eeee/eeee/eeee/ffff\u{07}")) == .light)
        // A mid grey is light enough for dark text; a dark grey is not.
        #expect(BackgroundDetection.fromOSC11Reply(bytes("\(e)]11;rgb:8080/8080/8080\u{07}")) == .light)
        #expect(BackgroundDetection.fromOSC11Reply(bytes("\(e)]11;rgb:3030/3030/3030\u{07}")) == .dark)
        // Among other answers and typed keys.
        #expect(BackgroundDetection.fromOSC11Reply(bytes("ab\(e)]11;rgb:ffff/ffff/ffff\(e)\\\(e)[?64;1;2c")) == .light)
    }

    @Test func garbageAndHalfAnswersTellNothing() {
        let e = Self.esc
        for reply in ["", "garbage", "\(e)]11;rgb:zzzz/0000/0000\(e)\\", "\(e)]11;rgb:ffff/ffff\(e)\\",
                      "\(e)]11;rgb:ffff/ffff/ffff", "\(e)]11;rgb:ffff/ffff/ff", "\(e)]10;rgb:ffff/ffff/ffff\u{07}",
                      "\(e)]11;#ffffff\u{07}", "\(e)]11;rgb:fffff/ffff/ffff\u{07}", "\(e)]11;rgb://\u{07}",
                      "\(e)[?64;1;2c"] {
            #expect(BackgroundDetection.fromOSC11Reply(bytes(reply)) == nil, "\(reply.debugDescription)")
        }
    }

    @Test func typedKeysAreKeptAndAnswersRemoved() {
        let e = Self.esc
        let got = bytes("j\(e)]11;rgb:ffff/ffff/ffff\(e)\\k\(e)[?62;22cé")
        #expect(BackgroundDetection.typedBytes(got) == bytes("jké"))
        #expect(BackgroundDetection.hasDA1Reply(bytes("\(e)[?1;2c")))
        #expect(!BackgroundDetection.hasDA1Reply(bytes("\(e)[?1;2")))
    }

    @Test func colorfgbgWinsWithoutAskingTheTerminal() {
        var asked = 0
        let light = BackgroundDetection.detect(environment: ["COLORFGBG": "0;15"]) { asked += 1; return [] }
        #expect(light == .light && asked == 0)
        // A COLORFGBG that tells nothing: the terminal is asked.
        let fromReply = BackgroundDetection.detect(environment: ["COLORFGBG": "default;default"]) {
            asked += 1; return Array("\u{1B}]11;rgb:ffff/ffff/ffff\u{07}".utf8)
        }
        #expect(fromReply == .light && asked == 1)
        // No answer, or no way to ask: dark.
        #expect(BackgroundDetection.detect(environment: [:]) { [] } == .dark)
        #expect(BackgroundDetection.detect(environment: [:], askTerminal: nil) == .dark)
    }

    /// A pipe pair standing in for the terminal: what dispo writes and what the terminal answers.
    final class FakeTerminal {
        var toDispo: [Int32] = [0, 0]
        var fromDispo: [Int32] = [0, 0]
        init() { _ = pipe(&toDispo); _ = pipe(&fromDispo) }
        deinit { for fd in toDispo + fromDispo { close(fd) } }
        func answer(_ s: String) { _ = Array(s.utf8).withUnsafeBytes { write(toDispo[1], $0.baseAddress, $0.count) } }
        func written() -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = buffer.withUnsafeMutableBytes { read(fromDispo[0], $0.baseAddress, $0.count) }
            return Array(buffer.prefix(max(0, n)))
        }
    }

    @Test func asksWithOSC11AndDA1AndReadsTheAnswer() {
        let t = FakeTerminal()
        t.answer("\u{1B}]11;rgb:ffff/ffff/ffff\u{1B}\\\u{1B}[?62;22c")
        let got = BackgroundDetection.ask(inFd: t.toDispo[0], outFd: t.fromDispo[1])
        #expect(t.written() == Array("\u{1B}]11;?\u{1B}\\\u{1B}[c".utf8))
        #expect(BackgroundDetection.fromOSC11Reply(got) == .light)
    }

    @Test func aTerminalThatAnswersOnlyDA1IsNotWaitedFor() {
        let t = FakeTerminal()
        t.answer("\u{1B}[?1;2c")
        // A timeout far beyond the test's patience: only the DA1 answer can end the wait.
        let started = Date()
        let got = BackgroundDetection.ask(inFd: t.toDispo[0], outFd: t.fromDispo[1], timeoutMilliseconds: 60_000)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(BackgroundDetection.fromOSC11Reply(got) == nil)
    }

    @Test func silenceEndsAtTheTimeout() {
        let t = FakeTerminal()
        let got = BackgroundDetection.ask(inFd: t.toDispo[0], outFd: t.fromDispo[1], timeoutMilliseconds: 100)
        #expect(got.isEmpty)
        #expect(BackgroundDetection.detect(environment: [:]) { got } == .dark)
    }

    @Test func themeSettingsToSchemes() {
        #expect(Theme.auto.scheme(background: .light, colors: 256) == ColorScheme(background: .light, uses256: false))
        #expect(Theme.auto.scheme(background: .dark, colors: 8) == ColorScheme(background: .dark, uses256: false))
        #expect(Theme.light256.scheme(background: .dark, colors: 256) == ColorScheme(background: .light, uses256: true))
        #expect(Theme.light256.scheme(background: .dark, colors: 16) == ColorScheme(background: .light, uses256: false))
        #expect(Theme.light16.scheme(background: .dark, colors: 256) == ColorScheme(background: .light, uses256: false))
        #expect(Theme.color256.scheme(background: .light, colors: 8) == ColorScheme(background: .dark, uses256: false))
        #expect(Theme.mono.scheme(background: .light, colors: 256) == nil)
    }
}
