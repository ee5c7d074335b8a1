import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who has the store file open: every process that opens the store holds a shared lock on a file
/// beside it (`<store>.open-lock`); moving a damaged store aside needs the exclusive lock, so it never
/// happens under another process still using the file.
///
/// An open file description lock (`F_OFD_SETLK`, Linux): it belongs to the descriptor (`O_CLOEXEC`),
/// dies with the process, and turns from exclusive to shared and back in one step (a failed upgrade
/// keeps the shared lock).
final class OpenLock: @unchecked Sendable {
    private let fd: Int32
    let path: String

    private static let ofdSetLock: Int32 = 37      // F_OFD_SETLK
    private static let ofdSetLockWait: Int32 = 38  // F_OFD_SETLKW

    /// Opens (creating, 0600) the lock file for the store at `storePath`. Throws `StoreError.notWritable`.
    init(storePath: String) throws {
        path = storePath + ".open-lock"
        fd = FileIO.open(path, O_RDWR | O_CREAT)
        if fd < 0 { throw StoreError.notWritable(path: path, reason: FileIO.errnoText()) }
    }

    deinit { _ = close(fd) }

    /// Takes the exclusive lock if no other process holds any; true when taken.
    func tryExclusive() -> Bool { set(F_WRLCK, wait: false) }

    /// Tries `tryExclusive` every 10 ms for up to `seconds`; true once taken. Holding the shared lock
    /// meanwhile (a failed upgrade keeps it).
    func tryExclusive(forUpTo seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if tryExclusive() { return true }
            if Date() >= deadline { return false }
            usleep(10_000)
        }
    }

    /// Takes (or turns the exclusive lock into) the shared lock, waiting while another process holds the
    /// exclusive one (it is salvaging the store).
    func shared() { _ = set(F_RDLCK, wait: true) }

    private func set(_ type: Int32, wait: Bool) -> Bool {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 0
        lock.l_pid = 0
        while true {
            let rc = withUnsafeMutablePointer(to: &lock) { fcntl(fd, wait ? Self.ofdSetLockWait : Self.ofdSetLock, UnsafeMutableRawPointer($0)) }
            if rc == 0 { return true }
            if errno != EINTR { return false }
        }
    }
}
