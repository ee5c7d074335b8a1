import Foundation

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

/// The longest call the log form accepts, in seconds (24 h): more is surely a typing mistake.
public let maximumCallSeconds = 24 * 3600
