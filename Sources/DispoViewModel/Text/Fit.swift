/// `s` (sanitised) shortened to at most `width` columns for prose (messages, hints, notes): whole when
/// it fits; else cut at the last space that leaves room for `ellipsis`, without the punctuation or
/// spaces before the cut, and `ellipsis` (one column) appended. Only a first word wider than the room
/// is cut inside the word. Not padded; `""` for a width below 1.
public func fitWords(_ s: String, width: Int, ellipsis: Character = "…") -> String {
    guard width > 0 else { return "" }
    let clean = sanitize(s)
    if displayWidth(clean) <= width { return clean }
    if width == 1 { return String(ellipsis) }
    var kept = ""
    var used = 0
    var lastBreak: String.Index?
    for cluster in clean {
        let cw = clusterWidth(cluster)
        if used + cw > width - 1 {
            if cluster == " " { lastBreak = kept.endIndex }  // the room ends just at a word's end
            break
        }
        if cluster == " " { lastBreak = kept.endIndex }
        kept.append(cluster); used += cw
    }
    if let lastBreak {
        var cut = kept[..<lastBreak]
        while let last = cut.last, " ,;:-\u{2013}\u{2014}\u{00B7}(".contains(last) { cut = cut.dropLast() }
        if !cut.isEmpty { return cut + String(ellipsis) }
    }
    return kept + String(ellipsis)
}

/// `s` wrapped at spaces into at most `maxLines` lines of `width` columns (`wrapText`); when more would be
/// needed, the last line shown holds what is left, ended at a word boundary with `ellipsis`
/// (`fitWords`). Empty for `maxLines` or `width` below 1.
public func wrapWords(_ s: String, width: Int, maxLines: Int, ellipsis: Character = "…") -> [String] {
    guard maxLines > 0, width > 0 else { return [] }
    let lines = wrapText(s, width: width)
    if lines.count <= maxLines { return lines }
    // The lines left over never fit one line: the first word of each did not fit after the one before.
    let rest = lines[(maxLines - 1)...].joined(separator: " ")
    return Array(lines.prefix(maxLines - 1)) + [fitWords(rest, width: width, ellipsis: ellipsis)]
}
