import Testing
@testable import DispoViewModel

/// A cell's text held as plain bits gives back exactly the cluster put in, and equal clusters are equal
/// cells, whether the cluster sits in the cell (up to 15 UTF-8 bytes) or in the table of long ones.
@Suite("Drawing: cell text as plain bits") struct CellTextTests {
    static let clusters = ["a", " ", "~", "é", "e\u{301}", "王", "한", "🚀", "👍🏽", "🇵🇹", "1\u{FE0F}\u{20E3}",
                           "👩‍💻", "👨‍👩‍👧‍👦", "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}", "",
                           String(repeating: "x", count: 15), String(repeating: "x", count: 16)]

    @Test func everyClusterComesBackAsPutIn() {
        for s in Self.clusters {
            let cell = Cell(s)
            #expect(cell.text == s, "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(cell.isContinuation == s.isEmpty)
            #expect(Cell(CellText(s)).text == s)
            #expect(CellText(s).withUTF8 { Array($0) } == Array(s.utf8))
        }
    }

    @Test func equalTextsAreEqualCellsAndOthersDiffer() {
        for (i, a) in Self.clusters.enumerated() {
            for (j, b) in Self.clusters.enumerated() {
                #expect((Cell(a) == Cell(b)) == (i == j), "\(a) vs \(b)")
            }
        }
        // A long cluster met again (another string with the same bytes) gets the same number.
        let family = "👨‍👩‍👧‍👦"
        #expect(CellText(family) == CellText(String(family.unicodeScalars.map(Character.init))))
    }

    @Test func asciiAndScalarFormsMatchTheStringForm() {
        for b in UInt8(0x20)..<0x7F { #expect(CellText(ascii: b) == CellText(String(UnicodeScalar(b)))) }
        for v: UInt32 in [0xE9, 0x738B, 0xD55C, 0x1F680, 0x10FFFD] {
            let scalar = Unicode.Scalar(v)!
            #expect(CellText(scalar: scalar) == CellText(String(scalar)))
            #expect(CellText(scalar: scalar).string == String(scalar))
        }
        #expect(CellText.space.isSpace && !CellText(ascii: 0x41).isSpace && CellText.empty.isEmpty)
        #expect(CellText(ascii: 0x41).printableASCII == 0x41 && CellText("é").printableASCII == nil)
    }
}
