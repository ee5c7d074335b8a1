import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// One width function (`displayWidth`) is used for layout, for writing into the grid and for snapshots,
// so what is measured is what is drawn.

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
    // Over the bytes in place (small strings too) rather than through the view's iterator.
    s.utf8.withContiguousStorageIfAvailable { bytes in
        for b in bytes where b < 0x20 || b >= 0x7F { return false }
        return true
    } ?? s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
}

/// The columns of `v` when it is a "simple" scalar, else 0. A simple scalar is printable, needs no
/// stand-in, and is a whole grapheme cluster by itself next to any other simple scalar: printable ASCII,
/// Latin-1 and Latin Extended up to U+02FF (not the soft hyphen), Greek and Cyrillic letters (not their
/// combining marks), Hebrew and Arabic letters, kana, CJK ideographs, Hangul syllables and most
/// pictographic emoji (`isLoneEmoji`). Its width is
/// glibc's `wcwidth`, like every other cluster's.
@inline(__always)
func simpleScalarWidth(_ v: UInt32) -> Int {
    if v >= 0x20 && v < 0x7F { return 1 }
    let inRange = (v >= 0xA0 && v <= 0x2FF && v != 0xAD) || (v >= 0x370 && v <= 0x482) || (v >= 0x48A && v <= 0x52F)
        || (v >= 0x5D0 && v <= 0x5EA) || (v >= 0x620 && v <= 0x64A) || (v >= 0x3041 && v <= 0x3096)
        || (v >= 0x30A1 && v <= 0x30FA) || (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0xAC00 && v <= 0xD7A3)
        || isLoneEmoji(v)
    guard inRange else { return 0 }
    return max(0, wcwidth(v))
}

/// True for the pictographs of U+1F300–U+1F64F, U+1F680–U+1F6FF and U+1F900–U+1F9FF except the skin
/// tone modifiers (U+1F3FB–U+1F3FF): each is a cluster of its own unless a modifier, variation selector
/// or joiner follows, and none of those is simple.
@inline(__always)
private func isLoneEmoji(_ v: UInt32) -> Bool {
    ((v >= 0x1F300 && v <= 0x1F64F) || (v >= 0x1F680 && v <= 0x1F6FF) || (v >= 0x1F900 && v <= 0x1F9FF))
        && !(v >= 0x1F3FB && v <= 0x1F3FF)
}

/// The width of `s` when every scalar of it is simple (see `simpleScalarWidth`), else nil. Such text
/// is already sanitised and each scalar is one cluster, so it can be measured and drawn scalar by
/// scalar, without grapheme breaking: most names and notes.
@inline(__always)
func simpleTextWidth(_ s: String) -> Int? {
    var total = 0
    for scalar in s.unicodeScalars {
        let w = simpleScalarWidth(scalar.value)
        if w == 0 { return nil }
        total += w
    }
    return total
}

/// The display width of `s` in terminal columns: the width of `sanitize(s)`, counted per grapheme cluster
/// (a cluster's width is its first spacing scalar's glibc `wcwidth`, the function ncurses uses; emoji ZWJ
/// and VS16 sequences count 2; combining marks 0; unprintables as their visible stand-ins).
///
/// `wcwidth` depends on the C locale: the process must run with a UTF-8 `LC_CTYPE` (the terminal front
/// end calls `setlocale(LC_ALL, "")`; tests call `setlocale(LC_CTYPE, "C.UTF-8")`).
public func displayWidth(_ s: String) -> Int {
    if isPlainASCII(s) { return s.utf8.count }
    if let w = simpleTextWidth(s) { return w }
    var total = 0
    for cluster in sanitize(s) { total += clusterWidth(cluster) }
    return total
}
