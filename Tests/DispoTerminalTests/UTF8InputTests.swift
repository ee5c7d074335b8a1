import Testing
@testable import DispoTerminal

/// Feeds `bytes` one by one, then flushes, collecting the scalar values.
private func decode(_ bytes: [UInt8]) -> [UInt32] {
    var input = UTF8Input()
    var out: [UInt32] = []
    for b in bytes { out += input.feed(b) }
    return out + input.flush()
}

@Suite("UTF-8 input without a UTF-8 locale")
struct UTF8InputTests {
    @Test func validUTF8BecomesItsCharacters() {
        #expect(decode(Array("Zoë 名 🙂".utf8)) == "Zoë 名 🙂".unicodeScalars.map(\.value))
    }

    /// A sequence split across reads is held until its last byte.
    @Test func sequenceHeldUntilComplete() {
        var input = UTF8Input()
        #expect(input.feed(0xC3) == [])
        #expect(input.pending == [0xC3])
        #expect(input.feed(0xAB) == [0xEB])  // ë
        #expect(input.pending.isEmpty)
    }

    /// Bytes that are not UTF-8 (a Latin-1 terminal's ë is 0xEB) are kept as Latin-1, none lost.
    @Test func invalidBytesAreKeptAsLatin1() {
        #expect(decode([0x5A, 0x6F, 0xEB]) == [0x5A, 0x6F, 0xEB])          // "Zo" + 0xEB alone at the end
        #expect(decode([0x5A, 0x6F, 0xEB, 0x21]) == [0x5A, 0x6F, 0xEB, 0x21])  // 0xEB then "!": not a continuation
        #expect(decode([0x80, 0xFF, 0x41]) == [0x80, 0xFF, 0x41])          // stray continuation, 0xFF
        #expect(decode([0xE0, 0x80, 0x80]) == [0xE0, 0x80, 0x80])          // overlong: as Latin-1
    }
}
