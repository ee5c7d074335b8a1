import Foundation

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
    if isPlainASCII(s) || simpleTextWidth(s) != nil { return s }
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
