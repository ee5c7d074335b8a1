import Foundation

/// `s` cut or padded to exactly `width` columns: too wide → cut at a cluster boundary with `ellipsis`
/// (one column) at the end; narrower → padded with spaces (on the left when `alignRight`). The result is
/// sanitised. A wide cluster that would straddle the cut is replaced by padding.
public func fitToWidth(_ s: String, _ width: Int, alignRight: Bool = false, ellipsis: Character = "…") -> String {
    guard width > 0 else { return "" }
    if let w = isPlainASCII(s) ? s.utf8.count : simpleTextWidth(s) {
        // Simple text: one cluster per scalar, nothing to sanitise.
        if w <= width {
            let pad = String(repeating: " ", count: width - w)
            return alignRight ? pad + s : s + pad
        }
        var out = String.UnicodeScalarView()
        var used = 0
        for scalar in s.unicodeScalars {
            let cw = simpleScalarWidth(scalar.value)
            if used + cw > width - 1 { break }
            out.append(scalar); used += cw
        }
        var cut = String(out)
        cut.append(ellipsis); used += 1
        if used < width { cut += String(repeating: " ", count: width - used) }
        return cut
    }
    let clean = sanitize(s)
    var w = 0
    for cluster in clean { w += clusterWidth(cluster) }
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
    // One line of simple text that fits, with no space to fold (leading, trailing or doubled), is its
    // own wrapping: most of the detail's fields.
    if let w = isPlainASCII(s) ? s.utf8.count : simpleTextWidth(s), w <= width,
       s.first != " ", s.last != " ", !s.contains("  ") {
        return [s]
    }
    var lines: [String] = []
    for paragraph in s.split(separator: "\n", omittingEmptySubsequences: false) {
        let para = sanitize(String(paragraph.hasSuffix("\r") ? paragraph.dropLast() : paragraph))
        if para.isEmpty { lines.append(""); continue }
        var line = ""
        var lineWidth = 0
        var word: Substring = ""
        var wordWidth = 0
        // Simple text (one cluster per scalar) is walked scalar by scalar, without grapheme breaking.
        let simple = simpleTextWidth(para) != nil
        func flushWord() {
            if word.isEmpty { return }
            if lineWidth > 0 && lineWidth + 1 + wordWidth > width {
                lines.append(line); line = ""; lineWidth = 0
            }
            if lineWidth > 0 { line.append(" "); lineWidth += 1 }
            if lineWidth + wordWidth <= width {
                line.append(contentsOf: word); lineWidth += wordWidth
            } else if simple {
                // A word longer than the line is cut into pieces.
                for scalar in word.unicodeScalars {
                    let cw = simpleScalarWidth(scalar.value)
                    if lineWidth + cw > width { lines.append(line); line = ""; lineWidth = 0 }
                    line.unicodeScalars.append(scalar); lineWidth += cw
                }
            } else {
                for cluster in word {
                    let cw = clusterWidth(cluster)
                    if lineWidth + cw > width { lines.append(line); line = ""; lineWidth = 0 }
                    line.append(cluster); lineWidth += cw
                }
            }
            word = ""; wordWidth = 0
        }
        if simple {
            // Words are slices of the paragraph between spaces, not strings built scalar by scalar.
            let scalars = para.unicodeScalars
            var start = scalars.startIndex
            var i = start
            while i < scalars.endIndex {
                let scalar = scalars[i]
                if scalar == " " {
                    word = Substring(scalars[start..<i]); flushWord()
                    start = scalars.index(after: i)
                } else {
                    wordWidth += simpleScalarWidth(scalar.value)
                }
                i = scalars.index(after: i)
            }
            word = Substring(scalars[start..<scalars.endIndex])
        } else {
            var built = ""
            for cluster in para {
                if cluster == " " { word = Substring(built); built = ""; flushWord() } else { built.append(cluster); wordWidth += clusterWidth(cluster) }
            }
            word = Substring(built)
        }
        flushWord()
        lines.append(line)
    }
    return lines.isEmpty ? [""] : lines
}
