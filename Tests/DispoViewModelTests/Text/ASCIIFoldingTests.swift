import Testing
@testable import DispoViewModel

/// What names read as on a terminal that takes only ASCII (LANG=C): Latin letters keep their base
/// letter, everything else is `?`, one column for one; and the grid drawn without Unicode holds them.
@Suite struct ASCIIFoldingTests {
    init() { useUTF8Locale() }

    static func read(_ text: String) -> String {
        String(decoding: text.map { ASCIIFolding.shared.letter(for: String($0)) }, as: UTF8.self)
    }

    @Test func latinLettersWithMarksReadAsTheirBaseLetter() {
        #expect(Self.read("José Ramírez") == "Jose Ramirez")
        #expect(Self.read("Zoë Ångström-Lefèvre") == "Zoe Angstrom-Lefevre")
        #expect(Self.read("François Çelik") == "Francois Celik")
        #expect(Self.read("Jürgen Weiß") == "Jurgen Weis")
        #expect(Self.read("Søren Łukasz Đorđe") == "Soren Lukasz Dorde")
    }

    @Test func aDecomposedLetterReadsAsOneLetter() {
        // e + COMBINING ACUTE ACCENT is one grapheme, one column.
        #expect(Self.read("Jose\u{301}") == "Jose")
        #expect(ASCIIFolding.fold("e\u{301}\u{323}") == UInt8(ascii: "e"))
    }

    @Test func otherScriptsSymbolsAndEmojiReadAsQuestionMarks() {
        #expect(Self.read("王秀英") == "???")
        #expect(Self.read("محمد") == "????")
        #expect(Self.read("Ωμέγα") == "?????")
        #expect(ASCIIFolding.fold("🚀") == UInt8(ascii: "?"))
        #expect(ASCIIFolding.fold("€") == UInt8(ascii: "?"))
        // A letter followed by something that is not a mark is not one Latin letter.
        #expect(ASCIIFolding.fold("e\u{200D}x") == UInt8(ascii: "?"))
    }

    @Test func asciiStaysAsItIs() {
        #expect(Self.read("Dana Whitfield +1 (415) 555-0142") == "Dana Whitfield +1 (415) 555-0142")
    }

    /// The canvas without Unicode: accented names fold, a CJK name keeps its two columns a character.
    @Test func theCanvasWithoutUnicodeDrawsTheFoldedLetters() {
        var canvas = Canvas(size: Size(cols: 30, rows: 2), options: RenderOptions(unicode: false))
        _ = canvas.text("Søren Weiß", col: 0, row: 0)
        _ = canvas.text("王秀英 e\u{301}x", col: 0, row: 1)
        let grid = canvas.grid
        let rows = (0..<2).map { r in (0..<30).map { grid.cells[r * 30 + $0].text }.joined() }
        #expect(rows[0].hasPrefix("Soren Weis "), "\(rows[0])")
        #expect(rows[1].hasPrefix("?????? ex "), "\(rows[1])")
    }
}
