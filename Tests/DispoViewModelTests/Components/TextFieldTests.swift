import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The one-line text field: readline editing by grapheme cluster, paste, horizontal scrolling by width.
@Suite("Text field") struct TextFieldTests {
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

    @Test func aGraphemeTypedAScalarAtATimeIsOneCharacter() {
        var f = TextField("x")
        for scalar in ["\u{1F1F5}", "\u{1F1F9}", "e", "\u{301}"] { f.handle(.char(Character(scalar))) }
        #expect(f.characters == ["x", "🇵🇹", "e\u{301}"], "the flag's halves and the mark joined their clusters")
        #expect(f.cursor == 3)
        f.handle(.backspace); f.handle(.backspace)
        #expect(f.text == "x" && f.cursor == 1, "one Backspace takes the whole flag")
        // Typed in the middle: the mark joins the letter before the cursor, the text after stays.
        var g = TextField("ab")
        g.handle(.left); g.handle(.char(Character("\u{301}")))
        #expect(g.characters == ["a\u{301}", "b"] && g.cursor == 1)
        // A field scrolled sideways never shows half a flag.
        var h = TextField(String(repeating: "w", count: 10))
        for scalar in ["\u{1F1F5}", "\u{1F1F9}"] { h.handle(.char(Character(scalar))) }
        for c in "tail" { h.handle(.char(c)) }
        for width in 4...9 {
            let shown = h.visible(width: width).text
            #expect(!shown.unicodeScalars.contains { $0.value == 0x1F1F9 } || shown.contains("🇵🇹"), "width \(width): \(shown)")
        }
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

    @Test func readlineKeysInAFormField() {
        var s = Fixtures.ready()
        press(&s, .enter)
        press(&s, .paste("+1 555 0100 ext"))  // pasted: kept as it is (typed digits are formatted as typed)
        press(&s, .ctrl("w"))
        #expect(s.logForm.form?.fields[.to]?.text == "+1 555 0100 ")
        press(&s, .ctrl("a"), .alt("f"), .alt("d"))
        #expect(s.logForm.form?.fields[.to]?.text == "+1 0100 ")
        press(&s, .ctrl("e"), .backspace, .ctrl("y"))
        #expect(s.logForm.form?.fields[.to]?.text == "+1 0100 555")
        press(&s, .paste("\n22"))
        #expect(s.logForm.form?.fields[.to]?.text == "+1 0100 555 22")
    }
}
