/// Turns the bytes a terminal sends into characters when the C library cannot (no UTF-8 locale at all,
/// so ncurses' `wget_wch` would drop every byte over 0x7F): valid UTF-8 becomes its scalars; a byte that
/// cannot start or continue UTF-8 is taken as Latin-1 (what a non-UTF-8 terminal most likely sent), so
/// no byte the rep typed is lost.
struct UTF8Input: Sendable, Equatable {
    /// Bytes of a sequence begun but not finished.
    private(set) var pending: [UInt8] = []

    /// Takes one byte; returns the scalar values it completes (none while a sequence is open; the held
    /// bytes as Latin-1, then this byte, when the sequence turns out invalid).
    mutating func feed(_ byte: UInt8) -> [UInt32] {
        if !pending.isEmpty {
            if byte & 0xC0 == 0x80 {
                pending.append(byte)
                if pending.count == Self.length(of: pending[0]) {
                    let bytes = pending
                    pending = []
                    if let scalar = String(validating: bytes, as: UTF8.self)?.unicodeScalars.first {
                        return [scalar.value]
                    }
                    return bytes.map(UInt32.init)  // overlong or a surrogate: as Latin-1
                }
                return []
            }
            let held = flush()
            return held + feed(byte)
        }
        switch Self.length(of: byte) {
        case 1: return [UInt32(byte)]
        case 0: return [UInt32(byte)]  // a stray continuation byte, or 0xF8…0xFF: Latin-1
        default: pending = [byte]; return []
        }
    }

    /// Gives up on an unfinished sequence (no more bytes came): its bytes as Latin-1.
    mutating func flush() -> [UInt32] {
        let held = pending.map(UInt32.init)
        pending = []
        return held
    }

    /// The length of the UTF-8 sequence `lead` starts: 1 for ASCII, 2–4, or 0 when it cannot start one.
    static func length(of lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }
}
