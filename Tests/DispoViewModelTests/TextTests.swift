import Foundation
import Testing
@testable import DispoViewModel

@Suite struct SanitizeTests {
    init() { useUTF8Locale() }

    @Test func plainTextIsUnchanged() {
        #expect(sanitize("Ana Lima +351 912") == "Ana Lima +351 912")
        #expect(sanitize("王小明 Zoë") == "王小明 Zoë")
    }

    @Test func escapeSequencesBecomeInert() {
        #expect(sanitize("\u{1B}[31mRed\u{1B}[0m") == "␛[31mRed␛[0m")
        // OSC 52 (clipboard write) terminated by BEL, and by ST.
        #expect(sanitize("\u{1B}]52;c;ZXZpbA==\u{07}") == "␛]52;c;ZXZpbA==␇")
        #expect(sanitize("\u{1B}]0;title\u{1B}\\") == "␛]0;title␛\\")
        #expect(!sanitize("a\u{1B}b\u{07}c\u{7F}").unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(sanitize("a\u{7F}") == "a␡")
    }

    @Test func c1ControlsAndBidiOverridesAreVisible() {
        #expect(sanitize("a\u{9B}31m") == "a\u{FFFD}31m")         // 8-bit CSI
        #expect(sanitize("\u{202E}evil\u{202C}") == "\u{FFFD}evil\u{FFFD}")
        #expect(sanitize("x\u{2066}y\u{2069}") == "x\u{FFFD}y\u{FFFD}")
        #expect(sanitize("a\u{200F}b") == "a\u{FFFD}b")
    }

    @Test func newlinesAndCarriageReturnsAreShown() {
        #expect(sanitize("one\ntwo") == "one␊two")
        #expect(sanitize("one\r\ntwo") == "one␍␊two")
    }

    @Test func tabsExpandToEightColumns() {
        #expect(sanitize("ab\tc") == "ab      c")
        #expect(sanitize("王\tx") == "王      x")
        #expect(displayWidth("\t") == 8)
    }

    @Test func loneCombiningMarkGetsABase() {
        let s = sanitize("\u{301}x")
        #expect(s.first == "\u{25CC}\u{301}")
        #expect(displayWidth("\u{301}x") == 2)
    }

    @Test func everyClusterOfTheResultIsVisible() {
        let hostile = "\u{1B}[2J\u{0}\u{85}\u{200B}\u{2028}\u{FEFF}\u{E0001}ok"
        for c in sanitize(hostile) { #expect(clusterWidth(c) >= 1, "\(c.unicodeScalars.map { $0.value })") }
    }
}

@Suite struct WidthTests {
    init() { useUTF8Locale() }

    @Test func asciiAndLatin() {
        #expect(displayWidth("") == 0)
        #expect(displayWidth("hello") == 5)
        #expect(displayWidth("Zoë") == 3)
        #expect(displayWidth("Zoe\u{308}") == 3)  // decomposed: combining mark is 0
    }

    @Test func wideAndEmoji() {
        #expect(displayWidth("王小明") == 6)
        #expect(displayWidth("ＡＢ") == 4)
        #expect(displayWidth("🎉") == 2)
        #expect(displayWidth("👨‍👩‍👧") == 2)       // ZWJ family: one cluster
        #expect(displayWidth("❤️") == 2)           // VS16
        #expect(displayWidth("❤") == 1)
        #expect(displayWidth("🇵🇹") == 2)
    }

    @Test func rightToLeftIsMeasuredByColumns() {
        #expect(displayWidth("محمد علي") == 8)
        #expect(displayWidth("שלום") == 4)
    }

    @Test func controlsCountAsTheirStandIns() {
        #expect(displayWidth("\u{1B}[0m") == 4)
        #expect(displayWidth("\u{202E}") == 1)
    }

    @Test func fitTruncatesWithEllipsisByWidth() {
        #expect(fitToWidth("Ana Lima", 5) == "Ana …")
        #expect(fitToWidth("Ana", 5) == "Ana  ")
        #expect(fitToWidth("42", 5, alignRight: true) == "   42")
        // A wide character that would straddle the cut is dropped, and the result is still 5 columns.
        #expect(fitToWidth("王小明王小明", 5) == "王小…")
        #expect(displayWidth(fitToWidth("王小明王小明", 6)) == 6)
        #expect(displayWidth(fitToWidth("a🎉🎉🎉", 4)) == 4)
    }

    @Test func wrapKeepsWordsAndWidth() {
        let lines = wrapText("the quick brown fox jumps", width: 10)
        #expect(lines == ["the quick", "brown fox", "jumps"])
        for l in wrapText(String(repeating: "王", count: 13), width: 5) { #expect(displayWidth(l) <= 5) }
        #expect(wrapText("a\nb", width: 5) == ["a", "b"])
    }
}

@Suite struct DurationTests {
    @Test(arguments: [("95", 95), ("1:35", 95), ("1m35s", 95), ("2m", 120), ("45s", 45), ("1:02:03", 3723),
                      ("0", 0), (" 1m 5s ", 65), ("1h", 3600), ("1h2m3s", 3723), ("0:00", 0), ("10:05", 605)])
    func accepts(_ text: String, _ seconds: Int) {
        #expect(parseDuration(text) == seconds)
    }

    @Test(arguments: ["", " ", "-5", "1.5", "abc", "1:75", "1:5", "1::2", "5s3m", "1m1m", "m", "1:2:3:4",
                      "99999999999999", "1:02:60", "٣"])
    func rejects(_ text: String) {
        #expect(parseDuration(text) == nil)
    }

    @Test func formats() {
        #expect(formatDuration(95) == "1:35")
        #expect(formatDuration(0) == "0:00")
        #expect(formatDuration(3723) == "1:02:03")
    }
}

@Suite struct TextFieldTests {
    init() { useUTF8Locale() }

    func field(_ text: String, cursor: Int? = nil) -> TextField {
        var f = TextField(text)
        if let cursor { f.handle(.home); for _ in 0..<cursor { f.handle(.right) } }
        return f
    }

    @Test func insertAndMove() {
        var f = TextField()
        for c in "helo" { f.handle(.char(c)) }
        f.handle(.left); f.handle(.char("l"))
        #expect(f.text == "hello" && f.cursor == 4)
        f.handle(.ctrl("a")); #expect(f.cursor == 0)
        f.handle(.ctrl("e")); #expect(f.cursor == 5)
        f.handle(.ctrl("b")); f.handle(.ctrl("b")); f.handle(.ctrl("f")); #expect(f.cursor == 4)
        f.handle(.home); #expect(f.cursor == 0); f.handle(.end); #expect(f.cursor == 5)
        f.handle(.left); f.handle(.left); f.handle(.left); f.handle(.left); f.handle(.left); f.handle(.left)
        #expect(f.cursor == 0)
    }

    @Test func deleteAndBackspaceWorkOnGraphemes() {
        var f = TextField("a👨‍👩‍👧b王")
        f.handle(.backspace); #expect(f.text == "a👨‍👩‍👧b")
        f.handle(.left); f.handle(.backspace); #expect(f.text == "ab")
        f.handle(.home); f.handle(.delete); #expect(f.text == "b")
        f.handle(.delete); f.handle(.delete); #expect(f.text == "" && f.cursor == 0)
        #expect(f.handle(.backspace) == .moved)
    }

    @Test func killAndYank() {
        var f = field("call back tomorrow", cursor: 5)
        f.handle(.ctrl("k")); #expect(f.text == "call ")
        f.handle(.ctrl("y")); #expect(f.text == "call back tomorrow" && f.cursor == 18)
        f.handle(.ctrl("w")); #expect(f.text == "call back ")
        f.handle(.ctrl("w")); #expect(f.text == "call ")
        f.handle(.ctrl("y")); #expect(f.text == "call back ")
        f.handle(.ctrl("u")); #expect(f.text == "" && f.killBuffer == "call back ")
    }

    @Test func wordMotion() {
        var f = TextField("+1 (555) 010-0100")
        f.handle(.alt("b")); #expect(f.cursor == 13)
        f.handle(.alt("b")); #expect(f.cursor == 9)
        f.handle(.alt("f")); #expect(f.cursor == 12)
        f.handle(.alt("d")); #expect(f.text == "+1 (555) 010")
        f.handle(.home); f.handle(.alt("f")); #expect(f.cursor == 2)
    }

    @Test func pasteFlattensNewlinesInOneLineFields() {
        var f = TextField()
        f.handle(.paste("+1 555\r\n0100"))
        #expect(f.text == "+1 555 0100")
        var notes = TextField(allowsNewlines: true)
        notes.handle(.paste("a\nb"))
        #expect(notes.text == "a\nb")
    }

    @Test func nonEditingKeysAreIgnored() {
        var f = TextField("x")
        #expect(f.handle(.enter) == .ignored)
        #expect(f.handle(.tab) == .ignored)
        #expect(f.handle(.ctrl("s")) == .ignored)
        #expect(f.handle(.char("y")) == .edited)
    }

    @Test func horizontalScrollKeepsCursorVisibleByWidth() {
        let f = TextField(String(repeating: "王", count: 10))  // 20 columns, cursor at the end
        let v = f.visible(width: 9)
        #expect(displayWidth(v.text) <= 9)
        #expect(v.cursorColumn <= 8)
        #expect(v.text.hasSuffix("王"))
        var g = f
        g.handle(.home)
        let w = g.visible(width: 9)
        #expect(w.cursorColumn == 0)
        #expect(w.text == "王王王王")
    }
}
