import Foundation

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
