import Foundation
import Testing
@testable import DispoViewModel

/// The scalar-by-scalar fast path for simple text (most names and notes) must measure, sanitise, fit and
/// draw exactly as grapheme-cluster iteration does.
@Suite("Text: the simple-text fast path") struct SimpleTextTests {
    init() { useUTF8Locale() }

    /// Scalars from every simple range, and some that are not simple (combining marks, emoji, controls,
    /// a soft hyphen, a regional indicator, a Hangul trailing jamo, an Arabic prepended mark).
    static let simple: [Character] = ["a", "Z", " ", "~", "é", "Å", "ß", "ÿ", "Ł", "ő", "ʼ", "Ω", "ж", "Ӂ",
                                      "ש", "م", "ـ", "ひ", "カ", "王", "秀", "한", "\u{A0}", "🚀", "😀", "📞", "🤝"]
    static let notSimple: [String] = ["\u{301}", "\u{1F3FB}", "\u{200D}", "\u{1}", "\u{AD}", "\u{1F1F5}", "\u{11A8}", "\u{600}",
                                      "\u{FE0F}", "\t", "\u{202E}", "\u{9B}", "\u{483}"]

    /// Width as clusters count it (the definition the fast path must agree with).
    static func clusterSum(_ s: String) -> Int { sanitize(s).reduce(0) { $0 + clusterWidth($1) } }

    /// `fitToWidth` as written over clusters, for comparison.
    static func referenceFit(_ s: String, _ width: Int) -> String {
        let clean = sanitize(s)
        let w = clean.reduce(0) { $0 + clusterWidth($1) }
        if w <= width { return clean + String(repeating: " ", count: width - w) }
        var out = "", used = 0
        for c in clean {
            let cw = clusterWidth(c)
            if used + cw > width - 1 { break }
            out.append(c); used += cw
        }
        out.append("…"); used += 1
        return out + String(repeating: " ", count: max(0, width - used))
    }

    /// `wrapText` as written over clusters, for comparison (one paragraph).
    static func referenceWrap(_ s: String, _ width: Int) -> [String] {
        let para = sanitize(s)
        if para.isEmpty { return [""] }
        var lines: [String] = [], line = "", lineWidth = 0, word = "", wordWidth = 0
        func flushWord() {
            if word.isEmpty { return }
            if lineWidth > 0 && lineWidth + 1 + wordWidth > width { lines.append(line); line = ""; lineWidth = 0 }
            if lineWidth > 0 { line.append(" "); lineWidth += 1 }
            for c in word {
                let cw = clusterWidth(c)
                if lineWidth + cw > width { lines.append(line); line = ""; lineWidth = 0 }
                line.append(c); lineWidth += cw
            }
            word = ""; wordWidth = 0
        }
        for c in para { if c == " " { flushWord() } else { word.append(c); wordWidth += clusterWidth(c) } }
        flushWord()
        lines.append(line)
        return lines
    }

    static func randomText(_ rng: inout SystemRandomNumberGenerator, simpleOnly: Bool) -> String {
        var s = ""
        for _ in 0..<Int.random(in: 1...14, using: &rng) {
            if !simpleOnly && Int.random(in: 0..<5, using: &rng) == 0 {
                s += notSimple.randomElement(using: &rng)!
            } else {
                s.append(simple.randomElement(using: &rng)!)
            }
        }
        return s
    }

    @Test func everySimpleScalarIsAClusterOfItsOwn() {
        for a in Self.simple { for b in Self.simple {
            let s = String(a) + String(b)
            #expect(s.count == 2, "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(simpleTextWidth(s) == Self.clusterSum(s))
        } }
    }

    /// Every emoji scalar the fast path takes is a cluster of its own beside a letter, and measures as
    /// clusters measure it.
    @Test func everySimpleEmojiIsAClusterOfItsOwn() {
        var taken = 0
        for v in UInt32(0x1F300)...0x1F9FF {
            guard simpleScalarWidth(v) > 0, let scalar = Unicode.Scalar(v) else { continue }
            taken += 1
            for s in [String(scalar) + "a", "a" + String(scalar), String(scalar) + String(scalar)] {
                #expect(s.count == 2, "U+\(String(v, radix: 16))")
                #expect(simpleTextWidth(s) == Self.clusterSum(s), "U+\(String(v, radix: 16))")
            }
        }
        #expect(taken > 1_000, "the emoji ranges are taken: \(taken)")
    }

    @Test func textWithAnyOtherScalarIsNotSimple() {
        for x in Self.notSimple {
            #expect(simpleTextWidth("José" + x) == nil, "\(x.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func measuringSanitisingAndFittingAgreeWithClusters() {
        var rng = SystemRandomNumberGenerator()
        for i in 0..<2_000 {
            let s = Self.randomText(&rng, simpleOnly: i % 2 == 0)
            #expect(displayWidth(s) == Self.clusterSum(s), "\(s.debugDescription)")
            if simpleTextWidth(s) != nil { #expect(sanitize(s) == s) }
            for width in [1, 2, 3, 5, 8, 13] {
                #expect(fitToWidth(s, width) == Self.referenceFit(s, width), "\(s.debugDescription) in \(width)")
            }
        }
    }

    @Test func wrappingAgreesWithClusters() {
        var rng = SystemRandomNumberGenerator()
        for i in 0..<2_000 {
            let s = Self.randomText(&rng, simpleOnly: i % 2 == 0) + " " + Self.randomText(&rng, simpleOnly: true)
            for width in [1, 2, 4, 7, 12] {
                #expect(wrapText(s, width: width) == Self.referenceWrap(s, width), "\(s.debugDescription) in \(width)")
            }
        }
    }

    @Test func drawingPutsEachClusterWhereItsWidthSays() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let s = Self.randomText(&rng, simpleOnly: true)
            for limit in [3, 7, 30] {
                var canvas = Canvas(size: Size(cols: 40, rows: 1), options: RenderOptions())
                let drawn = canvas.text(s, col: 2, row: 0, width: limit)
                // The expected row, cluster by cluster: a wide cluster that does not fit becomes blanks.
                var expected = Array(repeating: " ", count: 40)
                var x = 2
                for c in s {
                    let w = clusterWidth(c)
                    if x + w > 2 + limit { while x < 2 + limit { expected[x] = " "; x += 1 }; break }
                    expected[x] = String(c)
                    if w == 2 { expected[x + 1] = "" }
                    x += w
                }
                #expect(drawn == x - 2, "\(s.debugDescription) in \(limit)")
                #expect(canvas.grid.cells.map(\.text) == expected, "\(s.debugDescription) in \(limit)")
            }
        }
    }

    @Test func asciiOnlyTerminalsGetALetterOrAQuestionMarkPerColumn() {
        var canvas = Canvas(size: Size(cols: 8, rows: 1), options: RenderOptions(unicode: false))
        canvas.text("Zoë王", col: 0, row: 0)
        #expect(gridText(canvas.grid) == "Zoe??   |\n")  // ë one column, as e; 王 two, as ??
    }
}
