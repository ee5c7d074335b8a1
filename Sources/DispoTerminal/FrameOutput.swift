import CNcursesw
#if canImport(Glibc)
import Glibc
#endif

/// Sends each frame to the terminal in one `write(2)`.
///
/// ncurses writes straight to its file descriptor (not through the `FILE` given to `newterm`, so a
/// stdio buffer does not help) and empties its own buffer after every cursor movement: a frame left in
/// several writes, each of which can be its own packet over SSH. During a frame the descriptor ncurses
/// writes to is pointed at an in-memory file; afterwards it is pointed back at the terminal and what
/// was gathered goes out in one write. Without an in-memory file (no `memfd_create`) frames go out as
/// ncurses writes them.
///
/// ncurses also makes its terminal-mode calls on that descriptor, so nothing but drawing may run inside
/// `frame`.
final class FrameOutput {
    /// The descriptor ncurses writes to (its own copy of the terminal).
    let cursesFd: Int32
    /// A descriptor on the terminal that stays on it.
    let terminalFd: Int32
    private let memFd: Int32
    /// The in-memory file mapped for reading, `mappedSize` bytes (nil: frames are read with `pread`).
    private let mapped: UnsafeRawPointer?
    private static let mappedSize = 8 << 20
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// `write(2)` calls the last frame took (0 when it had no bytes).
    private(set) var lastWrites = 0
    /// Bytes the last frame sent.
    private(set) var lastBytes = 0

    /// - Parameters:
    ///   - cursesFd: the descriptor of the `FILE` given to `newterm`.
    ///   - terminalFd: another descriptor on the same terminal, which frames are written to.
    init(cursesFd: Int32, terminalFd: Int32) {
        self.cursesFd = cursesFd
        self.terminalFd = terminalFd
        memFd = dispo_memfd()
        // Sized once and mapped, a frame is sent straight from the mapping: no read and no truncation
        // per frame (the file's pages are only made as ncurses writes them).
        if memFd >= 0, ftruncate(memFd, off_t(Self.mappedSize)) == 0,
           let map = mmap(nil, Self.mappedSize, PROT_READ, MAP_SHARED, memFd, 0), map != MAP_FAILED {
            mapped = UnsafeRawPointer(map)
        } else {
            mapped = nil
        }
        capacity = 64 * 1024
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        if let mapped { munmap(UnsafeMutableRawPointer(mutating: mapped), Self.mappedSize) }
        if memFd >= 0 { close(memFd) }
        buffer.deallocate()
    }

    /// Runs `draw` (ncurses drawing and `doupdate`) with ncurses' output gathered, then writes it to the
    /// terminal at once. A write the kernel takes in part is continued; an error (the terminal gone)
    /// drops the rest of the frame.
    func frame(_ draw: () -> Void) {
        lastWrites = 0
        lastBytes = 0
        guard memFd >= 0, dispo_dup_onto(memFd, cursesFd) >= 0 else {
            draw()
            return
        }
        draw()
        _ = dispo_dup_onto(terminalFd, cursesFd)
        let size = Int(lseek(memFd, 0, SEEK_CUR))
        guard size > 0 else { return }
        // The next frame writes from the start again; bytes past its end are never read.
        _ = lseek(memFd, 0, SEEK_SET)
        if let mapped, size <= Self.mappedSize {
            send(mapped, count: size)
            return
        }
        if size > capacity {
            buffer.deallocate()
            capacity = max(size, capacity * 2)
            buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        }
        var got = 0
        while got < size {
            let n = pread(memFd, buffer + got, size - got, off_t(got))
            if n > 0 { got += n } else if n < 0 && errno == EINTR { continue } else { break }
        }
        send(UnsafeRawPointer(buffer), count: got)
    }

    /// Writes `count` bytes at `bytes` to the terminal, continuing partial writes.
    private func send(_ bytes: UnsafeRawPointer, count got: Int) {
        var sent = 0
        while sent < got {
            let n = write(terminalFd, bytes + sent, got - sent)
            if n > 0 { sent += n; lastWrites += 1 } else if n < 0 && errno == EINTR { continue } else if n < 0 && errno == EAGAIN {
                // A terminal full for now (a slow link): wait until it takes more rather than spin.
                var ready = pollfd(fd: terminalFd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&ready, 1, 1_000)
            } else { break }
        }
        lastBytes = sent
    }
}
