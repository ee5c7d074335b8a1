/// Deterministic stand-in audio for recordings: an ID3 header and MPEG-1 Layer III frame headers over
/// pseudo-random payload, 4–8 KiB depending on the call id.
enum FakeAudio {
    static func mp3(for callID: String) -> [UInt8] {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in callID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var rng = SandboxRandom(seed: hash)
        var bytes: [UInt8] = Array("ID3".utf8) + [0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        let frames = 10 + Int(hash % 10)
        for _ in 0..<frames {
            bytes += [0xFF, 0xFB, 0x90, 0x64]
            for _ in 0..<413 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        }
        return bytes
    }
}
