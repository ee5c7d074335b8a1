import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Width, sanitising and parsing of text. One width function (`displayWidth`) is used for layout, for
// writing into the grid and for snapshots, so what is measured is what is drawn.

/// glibc's `wcwidth` (the function ncurses measures with). Swift's Glibc module does not export it (it
/// sits behind `_XOPEN_SOURCE`), so it is looked up once from the C library already loaded.
private let libcWcwidth: (@convention(c) (Int32) -> Int32)? = {
    #if canImport(Glibc)
    guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, "wcwidth") else { return nil }
    return unsafeBitCast(sym, to: (@convention(c) (Int32) -> Int32).self)
    #else
    return nil
    #endif
}()

/// Columns of one scalar per the C library's `wcwidth`: -1 unprintable, 0 combining/zero-width, 1 or 2.
/// Without a C `wcwidth` (not expected on Linux), printable scalars count 1.
@inline(__always)
func wcwidth(_ v: UInt32) -> Int {
    if let f = libcWcwidth { return Int(f(Int32(bitPattern: v))) }
    return v < 0x20 || (0x7F...0x9F).contains(v) ? -1 : 1
}

/// The glyph that stands for an unprintable or dangerous scalar that has no control picture.
let replacementGlyph: Character = "\u{FFFD}"

/// True for the scalars that reorder text (bidi embeddings, overrides, isolates and marks): drawn as a
/// visible glyph so a name cannot flip the rest of the row (Trojan-source style).
@inline(__always)
func isBidiControl(_ v: UInt32) -> Bool {
    (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
}

/// The visible stand-in for a dangerous scalar, or nil when the scalar is safe to draw as it is.
/// C0 controls become their control pictures (ESC → `␛`), DEL → `␡`, C1 controls, bidi controls,
/// line/paragraph separators and anything `wcwidth` calls unprintable → `�`. Tab is handled by the caller.
@inline(__always)
func replacement(for scalar: Unicode.Scalar) -> Character? {
    let v = scalar.value
    if v < 0x20 { return Character(Unicode.Scalar(0x2400 + v)!) }
    if v < 0x7F { return nil }
    if v == 0x7F { return "\u{2421}" }
    if v <= 0x9F { return replacementGlyph }
    if isBidiControl(v) { return replacementGlyph }
    if v == 0x2028 || v == 0x2029 { return "\u{2424}" }
    if v == 0xFE0F || v == 0x200D || v == 0xFE0E { return nil }  // emoji presentation / ZWJ: part of clusters
    if wcwidth(v) < 0 { return replacementGlyph }
    return nil
}

/// The width in columns of one cluster that is already sanitised: the width of its first spacing
/// scalar (per glibc `wcwidth`, as ncurses measures it); 2 when it carries VS16 (emoji presentation) or
/// is a regional-indicator flag; 0 for a cluster with no spacing scalar.
@inline(__always)
func clusterWidth(_ c: Character) -> Int {
    let scalars = c.unicodeScalars
    let first = scalars.first!.value
    if first >= 0x20 && first < 0x7F && scalars.count == 1 { return 1 }
    var width = 0
    for s in scalars {
        let w = wcwidth(s.value)
        if w > 0 { width = w; break }
    }
    if width == 1 {
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if (0x1F1E6...0x1F1FF).contains(first) && scalars.count > 1 { return 2 }
    }
    // Our own replacement glyphs are one column even when the locale cannot measure them.
    if width == 0 && scalars.count == 1 && (first == 0xFFFD || (0x2400...0x2424).contains(first)) { return 1 }
    return width
}

/// True when every byte of `s` is printable ASCII (the fast path: one column per byte, nothing to do).
@inline(__always)
func isPlainASCII(_ s: String) -> Bool {
    s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
}

/// Untrusted text (anything from the server, the rep or a paste) → inert, visible text for one line.
///
/// - C0 controls become control pictures (`ESC` → `␛`, `LF` → `␊`, `BEL` → `␇`), `DEL` → `␡`, so escape
///   sequences (CSI, OSC, OSC 52 clipboard writes) reach the terminal as harmless printable text;
/// - C1 controls, bidi overrides / embeddings / isolates / marks and unprintable scalars → `�`;
/// - `TAB` is expanded with spaces to the next multiple of 8 columns from the start of `s`;
/// - a cluster with no width (a lone combining mark, a zero-width space) is shown as `◌` + mark or `�`,
///   so every cluster of the result is at least one column wide.
/// Needs a UTF-8 `LC_CTYPE` (see `displayWidth`).
public func sanitize(_ s: String) -> String {
    if isPlainASCII(s) { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count)
    var column = 0
    for cluster in s {
        var needsRewrite = false
        for scalar in cluster.unicodeScalars where scalar.value == 9 || replacement(for: scalar) != nil {
            needsRewrite = true; break
        }
        if !needsRewrite {
            let w = clusterWidth(cluster)
            if w > 0 { out.append(cluster); column += w; continue }
            // No spacing scalar: make it visible.
            if let f = cluster.unicodeScalars.first, f.properties.generalCategory == .nonspacingMark
                || f.properties.generalCategory == .enclosingMark || f.properties.generalCategory == .spacingMark {
                out.append("\u{25CC}"); out.append(cluster); column += 1
            } else {
                out.append(replacementGlyph); column += 1
            }
            continue
        }
        // Rewrite scalar by scalar.
        var pending = String.UnicodeScalarView()
        func flushPending() {
            if pending.isEmpty { return }
            let piece = sanitize(String(pending))  // no dangerous scalars left in it
            out.append(piece); column += displayWidth(piece)
            pending = String.UnicodeScalarView()
        }
        for scalar in cluster.unicodeScalars {
            if scalar.value == 9 {
                flushPending()
                let spaces = 8 - column % 8
                out.append(String(repeating: " ", count: spaces)); column += spaces
            } else if let r = replacement(for: scalar) {
                flushPending()
                out.append(r); column += 1
            } else {
                pending.append(scalar)
            }
        }
        flushPending()
    }
    return out
}

/// The display width of `s` in terminal columns: the width of `sanitize(s)`, counted per grapheme cluster
/// (a cluster's width is its first spacing scalar's glibc `wcwidth`, the function ncurses uses; emoji ZWJ
/// and VS16 sequences count 2; combining marks 0; unprintables as their visible stand-ins).
///
/// `wcwidth` depends on the C locale: the process must run with a UTF-8 `LC_CTYPE` (the terminal front
/// end calls `setlocale(LC_ALL, "")`; tests call `setlocale(LC_CTYPE, "C.UTF-8")`).
public func displayWidth(_ s: String) -> Int {
    if isPlainASCII(s) { return s.utf8.count }
    var total = 0
    for cluster in sanitize(s) { total += clusterWidth(cluster) }
    return total
}

/// Parses a call duration typed by the rep into whole seconds (≥ 0).
///
/// Accepts plain seconds (`95`), `m:ss` (`1:35`), `h:mm:ss` (`1:02:03`) and unit forms (`1m35s`, `1m35`,
/// `2m`, `95s`, `1h2m`, with optional spaces; digits after the last unit count in the next smaller one).
/// In the colon forms and after `m`, seconds (and minutes after the first part) must be below 60. Returns
/// nil for anything else (empty, negative, fractions, overflow). The log form also refuses more than
/// `maximumCallSeconds`.
public func parseDuration(_ s: String) -> Int? {
    let text = s.trimmingCharacters(in: .whitespaces).lowercased()
    if text.isEmpty { return nil }
    func number(_ part: Substring) -> Int? {
        guard !part.isEmpty, part.count <= 9, part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(part)
    }
    if let n = number(Substring(text)) { return n }
    if text.contains(":") {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        var values: [Int] = []
        for p in parts { guard let n = number(p) else { return nil }; values.append(n) }
        for v in values.dropFirst() where v >= 60 { return nil }
        for p in parts.dropFirst() where p.count != 2 { return nil }
        return values.reduce(0) { $0 * 60 + $1 }
    }
    // Unit form: h, m, s in that order, each at most once.
    var total = 0
    var digits = ""
    var lastUnit = -1
    let units: [Character: (Int, Int)] = ["h": (0, 3600), "m": (1, 60), "s": (2, 1)]
    for ch in text where ch != " " {
        if ch.isASCII && ch.isNumber { digits.append(ch); continue }
        guard let (order, factor) = units[ch], order > lastUnit, let n = number(Substring(digits)) else { return nil }
        total += n * factor; lastUnit = order; digits = ""
    }
    guard lastUnit >= 0 else { return nil }
    if !digits.isEmpty {
        // `1m35` / `1h5`: trailing digits count in the unit after the last one given.
        guard lastUnit < 2, let n = number(Substring(digits)) else { return nil }
        if lastUnit == 1 && n >= 60 { return nil }
        total += n * (lastUnit == 0 ? 60 : 1)
    }
    return total
}

/// Formats seconds as `m:ss` (`95` → `1:35`), or `h:mm:ss` from an hour on.
public func formatDuration(_ seconds: Int) -> String {
    let s = max(0, seconds)
    // Plain concatenation: `String(format:)` is slow on Linux and list rows format every frame.
    if s >= 3600 { return String(s / 3600) + ":" + pad2(s % 3600 / 60, "0") + ":" + pad2(s % 60, "0") }
    return String(s / 60) + ":" + pad2(s % 60, "0")
}

/// `s` cut or padded to exactly `width` columns: too wide → cut at a cluster boundary with `ellipsis`
/// (one column) at the end; narrower → padded with spaces (on the left when `alignRight`). The result is
/// sanitised. A wide cluster that would straddle the cut is replaced by padding.
public func fitToWidth(_ s: String, _ width: Int, alignRight: Bool = false, ellipsis: Character = "…") -> String {
    guard width > 0 else { return "" }
    let clean = sanitize(s)
    var w = 0
    if isPlainASCII(clean) { w = clean.utf8.count } else { for cluster in clean { w += clusterWidth(cluster) } }
    if w <= width {
        let pad = String(repeating: " ", count: width - w)
        return alignRight ? pad + clean : clean + pad
    }
    var out = ""
    var used = 0
    for cluster in clean {
        let cw = clusterWidth(cluster)
        if used + cw > width - 1 { break }
        out.append(cluster); used += cw
    }
    out.append(ellipsis); used += 1
    if used < width { out += String(repeating: " ", count: width - used) }
    return out
}

/// Splits `s` into lines of at most `width` columns, at spaces where possible (long words are cut).
/// Newlines in `s` start new lines; each line is sanitised. Returns at least one line.
public func wrapText(_ s: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in s.split(separator: "\n", omittingEmptySubsequences: false) {
        let para = sanitize(String(paragraph.hasSuffix("\r") ? paragraph.dropLast() : paragraph))
        if para.isEmpty { lines.append(""); continue }
        var line = ""
        var lineWidth = 0
        var word = ""
        var wordWidth = 0
        func flushWord() {
            if word.isEmpty { return }
            if lineWidth > 0 && lineWidth + 1 + wordWidth > width {
                lines.append(line); line = ""; lineWidth = 0
            }
            if lineWidth > 0 { line.append(" "); lineWidth += 1 }
            // A word longer than the line is cut into pieces.
            for cluster in word {
                let cw = clusterWidth(cluster)
                if lineWidth + cw > width { lines.append(line); line = ""; lineWidth = 0 }
                line.append(cluster); lineWidth += cw
            }
            word = ""; wordWidth = 0
        }
        for cluster in para {
            if cluster == " " { flushWord() } else { word.append(cluster); wordWidth += clusterWidth(cluster) }
        }
        flushWord()
        lines.append(line)
    }
    return lines.isEmpty ? [""] : lines
}

/// `s` made safe to put on the clipboard (and so to paste into a shell): C0 controls (newlines and tabs
/// included), DEL, C1 controls, Unicode line/paragraph separators and bidi controls (U+061C, U+200E–U+200F,
/// U+202A–U+202E, U+2066–U+2069) removed, then leading and trailing white space trimmed. A "number" that
/// carries a newline thus cannot run as a command when pasted.
public func clipboardSafe(_ s: String) -> String {
    var scalars = String.UnicodeScalarView()
    for u in s.unicodeScalars {
        let v = u.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { continue }
        if v == 0x061C || v == 0x200E || v == 0x200F || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v) || v == 0x2028 || v == 0x2029 { continue }
        scalars.append(u)
    }
    return String(scalars).trimmingCharacters(in: .whitespaces)
}

/// The longest call the log form accepts, in seconds (24 h): more is surely a typing mistake.
public let maximumCallSeconds = 24 * 3600

/// Why `number` (trimmed, non-empty) is not a phone number the form accepts, or nil when it is: at least 3
/// digits, only phone characters (`+`, digits, space, `(`, `)`, `-`, `.`, `/`), optionally followed by an
/// extension (`x123`, `ext 123`, `ext. 123`, `extension 123`).
public func phoneNumberProblem(_ number: String) -> String? {
    var main = Substring(number.lowercased())
    // An extension at the end: "x", "ext", "ext." or "extension", then digits.
    let markers = ["extension", "ext.", "ext", "x"]
    for m in markers {
        if let r = main.range(of: m, options: .backwards) {
            let tail = main[r.upperBound...].trimmingCharacters(in: .whitespaces)
            if !tail.isEmpty, tail.allSatisfy({ $0.isASCII && $0.isNumber }) {
                main = main[..<r.lowerBound]
                break
            }
        }
    }
    let allowed: Set<Character> = ["+", " ", "(", ")", "-", ".", "/"]
    var digits = 0
    for ch in main {
        if ch.isASCII && ch.isNumber { digits += 1; continue }
        if !allowed.contains(ch) {
            return "not a phone number: use digits, spaces and + ( ) - . / (extension: x123)"
        }
    }
    if digits < 3 { return "too short for a phone number (at least 3 digits)" }
    return nil
}

/// `s` folded for the `/` filter: lower-cased, accents and other combining marks removed (`García` →
/// `garcia`, `Jürgen` → `jurgen`, `Léa` → `lea`), a few letters without a decomposition spelled out
/// (`ß` → `ss`, `ø` → `o`, `æ` → `ae`, `œ` → `oe`, `ł` → `l`, `đ` → `d`). ASCII text is only lower-cased,
/// byte by byte. Used once per call and task when a page arrives, and once per filter keystroke for the
/// typed text.
public func foldForSearch(_ s: String) -> String {
    if s.utf8.allSatisfy({ $0 < 0x80 }) {
        return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
    var out = String.UnicodeScalarView()
    for u in s.decomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
        switch u.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: continue
        default: break
        }
        switch u {
        case "ß": out.append(contentsOf: "ss".unicodeScalars)
        case "ø": out.append("o")
        case "æ": out.append(contentsOf: "ae".unicodeScalars)
        case "œ": out.append(contentsOf: "oe".unicodeScalars)
        case "ł": out.append("l")
        case "đ": out.append("d")
        case "ı": out.append("i")
        default: out.append(u)
        }
    }
    return String(out)
}

/// True when the bytes `needle` occur in `haystack` (both already folded by `foldForSearch`).
func foldedContains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard let first = needle.first else { return true }
    let n = needle.count
    if haystack.count < n { return false }
    return haystack.withUnsafeBufferPointer { h in
        needle.withUnsafeBufferPointer { nd in
            var i = 0
            let last = h.count - n
            while i <= last {
                if h[i] == first {
                    var j = 1
                    while j < n && h[i + j] == nd[j] { j += 1 }
                    if j == n { return true }
                }
                i += 1
            }
            return false
        }
    }
}
