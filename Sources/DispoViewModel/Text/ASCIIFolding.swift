import Foundation
import Synchronization

/// What a grapheme reads as on a terminal that takes only ASCII (a locale that is not UTF-8): a Latin
/// letter with marks as its base letter (`é` → `e`, `Å` → `A`, `e` + U+0301 → `e`), the few Latin
/// letters with no decomposition as the letter they are written from (`ø` → `o`, `ł` → `l`, `ß` → `s`,
/// `æ` → `a`), anything else (other scripts, symbols, emoji) as `?`. So "José Ramírez" reads as
/// "Jose Ramirez", not "Jos? Ram?rez", in the one column the grid gives each letter.
///
/// Answers are kept per grapheme (at most `limit`), so a name drawn in every frame is worked out once.
public final class ASCIIFolding: Sendable {
    /// The one the canvas and the front end share.
    public static let shared = ASCIIFolding()
    /// Graphemes remembered; past this the memo starts again.
    static let limit = 4_096
    private let memo = Mutex<[String: UInt8]>([:])

    /// The printable ASCII byte (0x20–0x7E) `grapheme` reads as, or `?` (0x3F).
    public func letter(for grapheme: String) -> UInt8 {
        if let known = memo.withLock({ $0[grapheme] }) { return known }
        let letter = Self.fold(grapheme)
        memo.withLock {
            if $0.count >= Self.limit { $0.removeAll(keepingCapacity: true) }
            $0[grapheme] = letter
        }
        return letter
    }

    /// Letters with no canonical decomposition, by the letter they read as.
    private static let undecomposable: [UInt32: UInt8] = [
        0xD8: 0x4F, 0xF8: 0x6F,      // Ø ø
        0x141: 0x4C, 0x142: 0x6C,    // Ł ł
        0x110: 0x44, 0x111: 0x64,    // Đ đ
        0x126: 0x48, 0x127: 0x68,    // Ħ ħ
        0x131: 0x69,                 // ı
        0xDF: 0x73,                  // ß
        0xC6: 0x41, 0xE6: 0x61,      // Æ æ
        0x152: 0x4F, 0x153: 0x6F,    // Œ œ
        0xD0: 0x44, 0xF0: 0x64,      // Ð ð
        0xDE: 0x54, 0xFE: 0x74,      // Þ þ
    ]

    /// Works out `letter(for:)` without the memo.
    static func fold(_ grapheme: String) -> UInt8 {
        let scalars = Array(grapheme.decomposedStringWithCanonicalMapping.unicodeScalars)
        guard let first = scalars.first else { return 0x3F }
        // Only marks may follow the base: a second letter or symbol means it is not one Latin letter.
        let onlyMarks = scalars.dropFirst().allSatisfy {
            switch $0.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark: true
            default: false
            }
        }
        guard onlyMarks else { return 0x3F }
        if first.value >= 0x20 && first.value < 0x7F { return UInt8(first.value) }
        return undecomposable[first.value] ?? 0x3F
    }
}
