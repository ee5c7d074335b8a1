import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells when another process committed to the store, without waking up while nothing happens: a
/// background thread blocks in `poll` on an inotify watch of the store's directory; when the store
/// file or its `-wal` changes, it waits for the writer to finish (an empty IMMEDIATE transaction: the
/// event comes from a write in the middle of a commit), reads SQLite's `PRAGMA data_version` (which
/// changes only for commits made by other connections) and calls `onChange` when it moved. This
/// process's own writes wake the thread but do not call `onChange`.
public final class StoreWatcher: @unchecked Sendable {
    private let inotify: Int32
    private let stopPipe: (read: Int32, write: Int32)
    private let lock = NSLock()
    private var stopped = false

    /// Starts watching `store` (a store on disk). `onChange` runs on the watcher's thread.
    /// - Throws: `StoreError.ioError` when inotify cannot be set up; `.database` for a store in memory.
    public init(store: DispoStore, onChange: @escaping @Sendable () -> Void) throws {
        guard let directory = store.directory else { throw StoreError.database("a store in memory cannot be watched") }
        let names: Set<String> = [(store.path as NSString).lastPathComponent,
                                  (store.path as NSString).lastPathComponent + "-wal"]
        inotify = inotify_init1(Int32(IN_CLOEXEC))
        if inotify < 0 { throw StoreError.ioError(path: directory, reason: FileIO.errnoText()) }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE)
        var fds: [Int32] = [0, 0]
        guard inotify_add_watch(inotify, directory, mask) >= 0, pipe(&fds) == 0 else {
            let reason = FileIO.errnoText()
            _ = close(inotify)
            throw StoreError.ioError(path: directory, reason: reason)
        }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        stopPipe = (fds[0], fds[1])
        let initialVersion = (try? store.dataVersion()) ?? 0
        let (inotify, stopRead) = (inotify, stopPipe.read)
        let thread = Thread { [weak store] in
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            var version = initialVersion
            while true {
                var polled = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                              pollfd(fd: stopRead, events: Int16(POLLIN), revents: 0)]
                let rc = poll(&polled, 2, -1)
                if rc < 0 { if errno == EINTR { continue } else { break } }
                if polled[1].revents != 0 { break }
                let n = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress!, $0.count) }
                guard n > 0 else { if n < 0 && errno == EINTR { continue } else { break } }
                guard Self.names(in: buffer, count: n).contains(where: names.contains) else { continue }
                // The event comes from a write in the middle of the other commit: wait until it is done.
                guard let store, (try? store.waitForWriters()) != nil, let now = try? store.dataVersion() else { continue }
                if now != version {
                    version = now
                    onChange()
                }
            }
            _ = close(inotify)
            _ = close(stopRead)
        }
        thread.name = "dispo.store-watcher"
        thread.start()
    }

    deinit { stop() }

    /// Stops the watcher's thread. Idempotent.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
        _ = close(stopPipe.write)
    }

    /// The file names of the inotify events in `buffer[0..<count]`.
    private static func names(in buffer: [UInt8], count: Int) -> [String] {
        var names: [String] = []
        var offset = 0
        while offset + 16 <= count {
            let length = Int(readLE32(buffer, offset + 12))
            let end = min(count, offset + 16 + length)
            let raw = buffer[(offset + 16)..<end].prefix { $0 != 0 }
            names.append(String(decoding: raw, as: UTF8.self))
            offset += 16 + length
        }
        return names
    }
}

extension DispoStore {
    /// Returns once no other connection is writing (takes and gives back the write lock, writing
    /// nothing). Throws `StoreError` (busy for longer than the busy timeout).
    func waitForWriters() throws {
        try writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "ROLLBACK")
        }
    }

    /// SQLite's `data_version` on this store's connection: it changes when another connection commits.
    /// Throws `StoreError`.
    func dataVersion() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }
}
