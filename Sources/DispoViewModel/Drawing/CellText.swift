import Synchronization

/// The grapheme cluster a cell shows, held so that a cell is plain bits: up to 15 UTF-8 bytes in the
/// value itself (every letter, CJK character, combining sequence and most emoji), or, for a longer cluster
/// (an emoji ZWJ family, a flag tag sequence), its number in a process-wide table of such clusters. Cells
/// then copy, compare and go away without reference counting, so making, diffing and dropping a
/// 200×60 grid every frame costs no retain or release per cell.
///
/// Equal texts are equal values: the inline bytes are the cluster's own, and the table gives one number per
/// distinct long cluster.
public struct CellText: Hashable, Sendable {
    /// UTF-8 bytes 0–7 (or the table number).
    @usableFromInline var low: UInt64
    /// UTF-8 bytes 8–14 in the low 56 bits; the top byte is the byte count (0–15), or `tableMark`.
    @usableFromInline var high: UInt64

    /// Two words compared; inlined into the terminal's frame diff, which compares every cell.
    @inlinable public static func == (a: CellText, b: CellText) -> Bool { a.low == b.low && a.high == b.high }

    private static let tableMark: UInt64 = 0xFF

    private init(low: UInt64, high: UInt64) { self.low = low; self.high = high }

    /// The empty text of a continuation cell (the right half of a wide cluster).
    public static let empty = CellText(low: 0, high: 0)
    /// A blank.
    public static let space = CellText(ascii: 0x20)

    /// One ASCII character (`byte` < 0x80).
    @inline(__always)
    public init(ascii byte: UInt8) { self.init(low: UInt64(byte), high: 1 << 56) }

    /// One Unicode scalar as its UTF-8 bytes.
    public init(scalar: Unicode.Scalar) {
        var low: UInt64 = 0
        var n = 0
        for b in UTF8.encode(scalar)! { low |= UInt64(b) << (8 * n); n += 1 }
        self.init(low: low, high: UInt64(n) << 56)
    }

    /// `text` as it is (one cluster, already sanitised: the caller's rule, not checked here).
    public init(_ text: some StringProtocol) {
        var low: UInt64 = 0, high: UInt64 = 0
        var n = 0
        for b in text.utf8 {
            if n == 15 { n = 16; break }
            if n < 8 { low |= UInt64(b) << (8 * n) } else { high |= UInt64(b) << (8 * (n - 8)) }
            n += 1
        }
        if n <= 15 {
            self.init(low: low, high: high | UInt64(n) << 56)
        } else {
            self.init(low: UInt64(LongClusters.number(of: String(text))), high: Self.tableMark << 56)
        }
    }

    private var count: Int { Int(high >> 56) }

    /// True for the continuation cell's empty text.
    public var isEmpty: Bool { low == 0 && high == 0 }
    /// True for a single space.
    public var isSpace: Bool { low == 0x20 && high == 1 << 56 }

    /// The single byte when the text is one printable ASCII character, else nil.
    @inline(__always)
    public var printableASCII: UInt8? {
        guard high == 1 << 56, low >= 0x20, low < 0x7F else { return nil }
        return UInt8(truncatingIfNeeded: low)
    }

    /// Calls `body` with the text's UTF-8 bytes (without making a `String` when they sit in the cell).
    public func withUTF8<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        let n = count
        if n == Int(Self.tableMark) {
            var text = LongClusters.text(number: Int(low))
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
        var bytes = (low, high)
        return withUnsafeBytes(of: &bytes) { body(UnsafeRawBufferPointer(rebasing: $0.prefix(n))) }
    }

    /// The text as a `String`.
    public var string: String {
        let n = count
        if n == Int(Self.tableMark) { return LongClusters.text(number: Int(low)) }
        if n == 0 { return "" }
        if n == 1, low < 0x80 { return asciiStrings[Int(low)] }
        var bytes = (low, high)
        return withUnsafeBytes(of: &bytes) { String(decoding: $0.prefix(n), as: UTF8.self) }
    }
}

/// One-character strings for ASCII bytes, made once.
private let asciiStrings: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

/// The clusters too long to sit in a `CellText`, each with its number; they are few (emoji sequences), and
/// kept for the life of the process so a number never changes meaning.
private enum LongClusters {
    private struct Table {
        var numbers: [String: Int] = [:]
        var texts: [String] = []
    }
    private static let table = Mutex(Table())

    static func number(of text: String) -> Int {
        table.withLock { t in
            if let n = t.numbers[text] { return n }
            t.texts.append(text)
            t.numbers[text] = t.texts.count - 1
            return t.texts.count - 1
        }
    }

    static func text(number: Int) -> String { table.withLock { $0.texts[number] } }
}
