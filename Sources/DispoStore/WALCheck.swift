import Foundation

/// What the store's write-ahead log (`<store>-wal`) holds, read before SQLite opens it.
///
/// SQLite replays WAL frames in order and stops at the first one whose salt or checksum is wrong,
/// silently ignoring it and everything after. Most such stops are normal: frames left from before the
/// log was restarted carry older salts, and a crash while writing a commit leaves a torn tail that was
/// never acknowledged. A committed transaction AFTER a bad frame is different: it was acknowledged
/// (fsynced) and SQLite will drop it. This check finds those (each later frame is verified from its
/// predecessor's stored checksum, so one garbled frame does not hide what follows) and a damaged
/// header, which makes SQLite ignore the whole log.
///
/// Format (sqlite.org/fileformat2.html, "WAL file format"): a 32-byte header (magic 0x377f0682/3 —
/// its low bit says the checksum reads big-endian words —, version, page size, checkpoint sequence,
/// salt-1, salt-2, checksum-1, checksum-2; all big-endian), then frames: a 24-byte header (page number,
/// database size after commit or 0, salt-1, salt-2, checksum-1, checksum-2) and one page. Checksums
/// are cumulative over the header's first 24 bytes, then each frame's first 8 header bytes and page.
struct WALCheck: Sendable, Hashable {
    /// Frames SQLite will use (up to its last valid commit).
    var usableFrames = 0
    /// Acknowledged commits after the first bad frame, which SQLite will ignore.
    var lostCommits = 0
    /// The first bad frame (1-based), when commits after it are lost.
    var damagedFrame: Int?
    /// True when the header itself fails its check while the file holds frames.
    var headerDamaged = false

    /// True when SQLite would silently drop committed data.
    var losesCommits: Bool { lostCommits > 0 || headerDamaged }

    /// Reads the WAL at `path`; nil when there is none (or it holds no frame).
    static func inspect(path: String) -> WALCheck? {
        guard let bytes = try? FileIO.readAll(path: path), bytes.count >= 32 else { return nil }
        let magic = be32(bytes, 0)
        let pageSize = Int(be32(bytes, 8))
        let validPageSize = pageSize >= 512 && pageSize <= 65536 && pageSize & (pageSize - 1) == 0
        var check = WALCheck()
        guard (magic == 0x377F_0682 || magic == 0x377F_0683), validPageSize else {
            check.headerDamaged = bytes.count > 32
            return check
        }
        let bigEndian = magic & 1 == 1
        let headerSum = checksum(bytes, 0..<24, seed: (0, 0), bigEndian: bigEndian)
        guard headerSum == (be32(bytes, 24), be32(bytes, 28)) else {
            check.headerDamaged = bytes.count >= 32 + 24 + pageSize
            return check
        }
        let salt = (be32(bytes, 16), be32(bytes, 20))
        let frameSize = 24 + pageSize
        let frames = (bytes.count - 32) / frameSize
        var seed = headerSum
        var firstBad: Int?
        for index in 0..<frames {
            let at = 32 + index * frameSize
            // A frame of another salt is left from before the log restarted (or garbled); frames after
            // it that carry this salt and verify were written after it.
            let sameSalt = (be32(bytes, at + 8), be32(bytes, at + 12)) == salt
            let stored = (be32(bytes, at + 16), be32(bytes, at + 20))
            let sum = checksum(bytes, (at + 24)..<(at + frameSize),
                               seed: checksum(bytes, at..<(at + 8), seed: seed, bigEndian: bigEndian), bigEndian: bigEndian)
            let valid = sameSalt && be32(bytes, at) != 0 && sum == stored
            if firstBad == nil {
                if valid {
                    if be32(bytes, at + 4) != 0 { check.usableFrames = index + 1 }
                } else {
                    firstBad = index
                }
            } else if valid, be32(bytes, at + 4) != 0 {
                check.lostCommits += 1
            }
            // Later frames chain from this frame's stored sums, whatever its own state.
            seed = stored
        }
        if check.lostCommits > 0, let firstBad { check.damagedFrame = firstBad + 1 }
        return check
    }

    /// SQLite's WAL checksum over `range` (a multiple of 8 bytes), continuing from `seed`.
    static func checksum(_ b: [UInt8], _ range: Range<Int>, seed: (UInt32, UInt32), bigEndian: Bool) -> (UInt32, UInt32) {
        var (s0, s1) = seed
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let x0 = bigEndian ? be32(b, i) : le32(b, i)
            let x1 = bigEndian ? be32(b, i + 4) : le32(b, i + 4)
            s0 = s0 &+ x0 &+ s1
            s1 = s1 &+ x1 &+ s0
            i += 8
        }
        return (s0, s1)
    }

    private static func be32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    private static func le32(_ b: [UInt8], _ i: Int) -> UInt32 { readLE32(b, i) }
}
