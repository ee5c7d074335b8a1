import Foundation

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
