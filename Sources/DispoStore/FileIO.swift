import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Small POSIX file helpers for the files beside the store (request log, damaged copies): every
/// descriptor is `O_CLOEXEC`, every write is fsynced, errors become `StoreError`.
enum FileIO {
    /// The system's words for `errno`.
    static func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// Maps a failed write's `errno` to the store's error.
    static func writeError(_ path: String, _ code: Int32 = errno) -> StoreError {
        switch code {
        case ENOSPC, EDQUOT, EFBIG: return .diskFull(path: path)
        case EROFS: return .readOnly(path: path)
        case EACCES, EPERM: return .notWritable(path: path, reason: errnoText(code))
        default: return .ioError(path: path, reason: errnoText(code))
        }
    }

    /// Opens `path` with `flags | O_CLOEXEC` (mode 0600 when created), retrying on EINTR; -1 on failure.
    static func open(_ path: String, _ flags: Int32) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != EINTR { return fd }
        }
    }

    /// Writes all of `bytes` at the descriptor's offset. Throws the mapped error.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw writeError(path)
            }
            done += n
        }
    }

    /// fsyncs the directory holding `path`, so a created or renamed entry survives a crash.
    static func syncDirectory(of path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY)
        if fd >= 0 { _ = fsync(fd); _ = close(fd) }
    }

    /// The whole file, or nil when it does not exist. Throws `StoreError.cannotOpen` otherwise.
    static func readAll(path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw StoreError.cannotOpen(path: path, reason: errnoText())
        }
        defer { _ = close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.cannotOpen(path: path, reason: errnoText())
            }
            if n == 0 { return bytes }
            bytes += buffer[0..<n]
        }
    }

    /// Appends `bytes` to `path` (created 0600) under an exclusive `flock`, then fsyncs. If the file was
    /// replaced while waiting for the lock, appends to the new one.
    static func appendLocked(path: String, bytes: [UInt8]) throws {
        for _ in 0..<8 {
            let existed = access(path, F_OK) == 0
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT)
            if fd < 0 { throw writeError(path) }
            defer { _ = close(fd) }
            while flock(fd, LOCK_EX) != 0 { if errno != EINTR { throw writeError(path) } }
            guard isStillAtPath(fd, path) else { continue }
            try writeAll(fd, bytes, path: path)
            if fsync(fd) != 0 { throw writeError(path) }
            if !existed { syncDirectory(of: path) }
            return
        }
        throw StoreError.ioError(path: path, reason: "the file kept being replaced")
    }

    /// Under an exclusive `flock` on `path`, hands its bytes to `transform`; when that returns new bytes,
    /// they replace the file atomically (written to a temporary file, fsynced, renamed, directory
    /// fsynced). Nothing happens when the file does not exist or `transform` returns nil.
    static func rewriteLocked(path: String, _ transform: ([UInt8]) -> [UInt8]?) throws {
        let fd = open(path, O_RDWR)
        if fd < 0 { if errno == ENOENT { return }; throw writeError(path) }
        defer { _ = close(fd) }
        while flock(fd, LOCK_EX) != 0 { if errno != EINTR { throw writeError(path) } }
        guard isStillAtPath(fd, path), let bytes = try readAll(path: path), let replacement = transform(bytes) else { return }
        try replace(path: path, with: replacement)
    }

    /// Writes `bytes` to `path` atomically: a temporary file beside it, fsynced, renamed over, the
    /// directory fsynced. Throws the mapped error.
    static func replace(path: String, with bytes: [UInt8]) throws {
        let temporary = path + ".tmp-\(getpid())"
        let out = open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        if out < 0 { throw writeError(temporary) }
        do {
            try writeAll(out, bytes, path: temporary)
            if fsync(out) != 0 { throw writeError(temporary) }
        } catch {
            _ = close(out); _ = unlink(temporary)
            throw error
        }
        _ = close(out)
        if rename(temporary, path) != 0 { let e = writeError(path); _ = unlink(temporary); throw e }
        syncDirectory(of: path)
    }

    /// Copies `source` to `destination` (0600, fsynced). Throws the mapped error.
    static func copy(_ source: String, to destination: String) throws {
        guard let bytes = try readAll(path: source) else { throw StoreError.cannotOpen(path: source, reason: errnoText(ENOENT)) }
        let out = open(destination, O_WRONLY | O_CREAT | O_TRUNC)
        if out < 0 { throw writeError(destination) }
        defer { _ = close(out) }
        try writeAll(out, bytes, path: destination)
        if fsync(out) != 0 { throw writeError(destination) }
    }

    /// True when the open descriptor `fd` is the file now at `path` (same device and inode).
    static func isStillAtPath(_ fd: Int32, _ path: String) -> Bool {
        var open = stat(), named = stat()
        guard fstat(fd, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    /// A UTC time stamp for names of files kept aside: `yyyyMMdd'T'HHmmss'Z'`.
    static func stamp(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// `base`, or `base-2`, `base-3`… : the first of these no file has.
    static func freeName(_ base: String) -> String {
        var name = base
        var counter = 2
        while access(name, F_OK) == 0 { name = "\(base)-\(counter)"; counter += 1 }
        return name
    }
}
