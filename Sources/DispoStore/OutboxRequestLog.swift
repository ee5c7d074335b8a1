import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The outbox's second durable record: an append-only file beside the store
/// (`outbox-requests.log`, mode 0600) with one record per queued log, edit and finish.
///
/// Why a second record: SQLite keeps a commit in exactly one place. A damaged page of the outbox table,
/// or a damaged write-ahead-log frame (SQLite then silently ignores that frame and every later one),
/// loses every queued log stored there, with nothing left to salvage. The request log is written
/// after each commit, fsynced, and read only when the store is opened: any log it holds that the store
/// lacks is put back (uncertain, so it is looked for on the server before a re-send).
///
/// Format: records back to back, each `"DOR1"`, the payload's length (UInt32 little-endian), its CRC-32
/// (UInt32 little-endian), then the payload (JSON: kind `q` queued / `e` edited / `f` finished, local
/// id, and for `q`/`e` the request body, summary, workspace and creation time). A record that fails its
/// check is skipped (the reader looks for the next `"DOR1"`), so one bad record never hides the rest.
///
/// Appends from several processes are safe: each one opens the file, takes an exclusive `flock` on it,
/// checks it is still the file at `path` (compaction replaces it) and writes one record.
public struct OutboxRequestLog: Sendable {
    /// The file name beside the store.
    public static let fileName = "outbox-requests.log"
    /// The file's path.
    public let path: String

    /// A queued log as the request log last recorded it.
    public struct Entry: Sendable, Hashable {
        public var localID: String
        public var workspaceKey: String
        public var requestJSON: Data
        public var summary: String
        public var createdAt: Date
    }

    /// What happened to an outbox entry.
    enum Event {
        case queued(OutboxRecord)
        case edited(localID: String, requestJSON: Data, summary: String)
        case finished(localID: String)
    }

    /// The request log beside the store at `storePath`.
    init(storePath: String) {
        path = ((storePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(Self.fileName)
    }

    private struct Payload: Codable {
        var k: String
        var id: String
        var ws: String?
        var req: Data?
        var sum: String?
        var at: Double?
    }

    private static let magic: [UInt8] = Array("DOR1".utf8)

    /// Appends one record, fsynced. Throws `StoreError.notWritable` / `.diskFull` / `.ioError`.
    func append(_ event: Event) throws {
        let payload: Payload
        switch event {
        case .queued(let r):
            payload = Payload(k: "q", id: r.localID, ws: r.workspaceKey, req: r.requestJSON, sum: r.summary,
                              at: r.createdAt.timeIntervalSince1970)
        case .edited(let id, let json, let summary):
            payload = Payload(k: "e", id: id, req: json, sum: summary)
        case .finished(let id):
            payload = Payload(k: "f", id: id)
        }
        let body = try JSONEncoder().encode(payload)
        var record = Self.magic
        record += le32(UInt32(body.count)) + le32(crc32(Array(body)))
        record += Array(body)
        try FileIO.appendLocked(path: path, bytes: record)
    }

    /// The logs the file holds that are not finished (the latest request and summary of each), and how
    /// many damaged records were skipped before a readable one (a torn last record is not counted: its
    /// commit had already happened). A missing file holds nothing. Throws `StoreError.cannotOpen`.
    func unfinished() throws -> (entries: [Entry], damaged: Int) {
        let (payloads, damaged) = try read()
        var entries: [String: Entry] = [:]
        var order: [String] = []
        for p in payloads {
            switch p.k {
            case "q":
                guard let ws = p.ws, let req = p.req, let sum = p.sum, let at = p.at else { continue }
                if entries[p.id] == nil { order.append(p.id) }
                entries[p.id] = Entry(localID: p.id, workspaceKey: ws, requestJSON: req, summary: sum,
                                      createdAt: Date(timeIntervalSince1970: at))
            case "e":
                if let req = p.req { entries[p.id]?.requestJSON = req }
                if let sum = p.sum { entries[p.id]?.summary = sum }
            case "f":
                entries[p.id] = nil
            default: continue
            }
        }
        return (order.compactMap { entries[$0] }, damaged)
    }

    /// Rewrites the file without the records of `finished` entries (atomically: a new file renamed over
    /// the old, both fsynced), when that removes anything. Throws `StoreError`.
    func compact(dropping finished: Set<String>) throws {
        try FileIO.rewriteLocked(path: path) { bytes in
            var kept: [UInt8] = []
            var dropped = false
            Self.scan(bytes) { range, payload in
                if let payload, finished.contains(payload.id) { dropped = true; return }
                if payload != nil { kept += bytes[range] }
            }
            return dropped ? kept : nil
        }
    }

    private func read() throws -> ([Payload], Int) {
        guard let bytes = try FileIO.readAll(path: path) else { return ([], 0) }
        var payloads: [Payload] = []
        var damaged = 0
        var pendingDamage = 0
        Self.scan(bytes) { _, payload in
            if let payload {
                payloads.append(payload)
                damaged += pendingDamage
                pendingDamage = 0
            } else {
                pendingDamage += 1
            }
        }
        return (payloads, damaged)
    }

    /// Walks the records of `bytes`: `visit(range, payload)` for each readable record, `visit(range, nil)`
    /// for each damaged stretch (after which the next `"DOR1"` is looked for).
    private static func scan(_ bytes: [UInt8], _ visit: (Range<Int>, Payload?) -> Void) {
        var offset = 0
        let decoder = JSONDecoder()
        while offset + 12 <= bytes.count {
            if Array(bytes[offset..<offset + 4]) == magic {
                let length = Int(readLE32(bytes, offset + 4))
                let sum = readLE32(bytes, offset + 8)
                let end = offset + 12 + length
                if length <= 1 << 24, end <= bytes.count {
                    let body = Array(bytes[(offset + 12)..<end])
                    if crc32(body) == sum, let p = try? decoder.decode(Payload.self, from: Data(body)) {
                        visit(offset..<end, p)
                        offset = end
                        continue
                    }
                }
            }
            // Damaged: find the next record's start.
            let start = offset
            offset += 1
            while offset + 4 <= bytes.count, Array(bytes[offset..<offset + 4]) != magic { offset += 1 }
            visit(start..<offset, nil)
        }
    }
}

private func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)] }

func readLE32(_ b: [UInt8], _ i: Int) -> UInt32 {
    UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
}

private let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

/// CRC-32 (IEEE 802.3, as zlib's `crc32`).
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
}
