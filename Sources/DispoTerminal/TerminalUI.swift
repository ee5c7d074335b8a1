import CNcursesw
import DispoViewModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The terminal front end (design.md §3): the only code that talks to ncurses. It owns the terminal from
/// `init` until `restore()`, runs the UI loop on one thread (`run`), turns keys, resizes, signals and the
/// clock into `Msg`s, performs the `TerminalEffect`s (clipboard, `$EDITOR`, repaint, quit) and
/// blits the rendered `Grid`.
///
/// Threading: `post` may be called from any thread; everything else from the thread that calls `run`.
public final class TerminalUI: @unchecked Sendable {
    // Terminal
    private let options: TerminalOptions
    private let inFd: Int32
    private let outFd: Int32
    private let outFile: UnsafeMutablePointer<FILE>
    private let inFile: UnsafeMutablePointer<FILE>
    private let screen: OpaquePointer
    private var blitter: Blitter
    private let resolvedTheme: ResolvedTheme
    /// Bytes that leave the screen sane, also used by the crash handler.
    private let restoreBytes: [UInt8]
    private var restored = false

    // Inbox and wake pipe
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let lock = NSLock()
    private var inbox: [Msg] = []
    private var currentSize: Size

    // Loop state (UI thread only)
    private var decoder: KeyDecoder
    private var lastGrid: Grid?
    private var forceFullRedraw = true
    private var frames = 0
    private var eventsHandled = 0
    private var eventsAtLastDraw = -1
    private var lastIdleEvents = -1
    /// `frames` when the idle report was last written: a frame drawn without a `Msg` (the full redraw
    /// after a resume from Ctrl-Z) is reported too.
    private var lastIdleFrames = -1
    private var lastInputAt = Date()
    /// Test hook: how to crash once the first screen is up (env `DISPO_TEST_CRASH_AFTER_START`).
    private let crashAfterStart: TestCrash? = TestCrash(environment: ProcessInfo.processInfo.environment)

    /// True when the locale's codeset is UTF-8 (`nl_langinfo(Int32(CODESET))`); false → ASCII glyphs.
    public let unicode: Bool
    /// The terminal's `TERM` as ncurses uses it (after any fallback).
    public let terminalType: String
    /// Called on the UI thread when SIGINT, SIGTERM, SIGHUP or SIGQUIT (or a hang-up of the terminal) ends
    /// the app, after the pending `Msg`s were reduced (their effects, but the terminal ones, handed to
    /// `perform`) and before the terminal is restored and the process exits with 128 + signal. It may
    /// block briefly, e.g. to flush the draft store (design.md §4). A third exit signal while it runs
    /// exits at once (terminal restored by the signal handler).
    public var onSignalExit: ((Int32) -> Void)?

    /// The terminal size in cells (columns × rows), as of the last resize the UI thread saw.
    public var size: Size {
        lock.lock(); defer { lock.unlock() }
        return currentSize
    }

    /// Takes over the terminal.
    ///
    /// `setlocale(LC_ALL, "")`; checks for UTF-8; opens the terminal (stdin/stdout when they are ttys,
    /// else `/dev/tty`); arms the signal handlers (terminal restored on every exit path); `newterm` with
    /// `$TERM`, falling back to `xterm-256color`, `xterm`, then `vt100` when ncurses does not know it (the
    /// note is posted as a status message); ESC delay 25 ms unless `ESCDELAY` is set; raw, no echo, no
    /// newline translation, keypad, cursor hidden; colours per `options.theme` and `NO_COLOR`; bracketed
    /// paste on; mouse when `options.mouse`.
    ///
    /// - Throws: `TerminalError.noTerminal` when there is no terminal, `.terminalSetupFailed` when even the
    ///   fallback types fail, `.pipeFailed` when the wake pipe cannot be made.
    public init(options: TerminalOptions) throws {
        self.options = options
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(Int32(CODESET))).uppercased().replacingOccurrences(of: "-", with: "")
        unicode = codeset == "UTF8"

        // The terminal's file descriptors (our own copies: fclose at the end must not close 0/1).
        var inFd: Int32 = -1, outFd: Int32 = -1
        if isatty(0) == 1 && isatty(1) == 1 {
            inFd = fcntl(0, F_DUPFD_CLOEXEC, 3)
            outFd = fcntl(1, F_DUPFD_CLOEXEC, 3)
        } else {
            let tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
            if tty >= 0 {
                inFd = tty
                outFd = fcntl(tty, F_DUPFD_CLOEXEC, 3)
            }
        }
        guard inFd >= 0, outFd >= 0, isatty(inFd) == 1,
              let inFile = fdopen(inFd, "r"), let outFile = fdopen(outFd, "w") else {
            throw TerminalError.noTerminal
        }
        self.inFd = inFd; self.outFd = outFd; self.inFile = inFile; self.outFile = outFile

        var fds: [Int32] = [-1, -1]
        guard dispo_pipe_nonblocking(&fds) == 0 else { throw TerminalError.pipeFailed(errno: errno) }
        wakeRead = fds[0]; wakeWrite = fds[1]

        // Handlers first: ncurses then leaves SIGINT/SIGTERM/SIGTSTP/SIGWINCH to us.
        SignalBridge.install(inFd: inFd, outFd: outFd, wakeFd: wakeWrite)

        let envTerm = ProcessInfo.processInfo.environment["TERM"] ?? ""
        var candidates: [String?] = envTerm.isEmpty ? [] : [nil]
        candidates += ["xterm-256color", "xterm", "vt100"]
        var opened: (OpaquePointer, String)?
        for candidate in candidates {
            let scr: OpaquePointer? = candidate.map { newterm($0, outFile, inFile) } ?? newterm(nil, outFile, inFile)
            if let scr { opened = (scr, candidate ?? envTerm); break }
        }
        guard let (scr, term) = opened else {
            SignalBridge.restoreNow()
            SignalBridge.disarm()
            throw TerminalError.terminalSetupFailed(term: envTerm)
        }
        screen = scr
        terminalType = term
        var notes: [String] = []
        if term != envTerm {
            setenv("TERM", term, 1)  // so $EDITOR sees a type this system knows
            notes.append(envTerm.isEmpty ? "TERM is not set: using \(term)"
                                         : "TERM=\(envTerm) is unknown here: using \(term)")
        }

        if ProcessInfo.processInfo.environment["ESCDELAY"] == nil {
            set_escdelay(Int32(options.escDelayMilliseconds))
        }
        raw()
        noecho()
        nonl()
        let win = dispo_stdscr()
        intrflush(win, false)
        keypad(win, true)
        nodelay(win, true)
        leaveok(win, true)
        scrollok(win, false)
        curs_set(0)

        // Colours.
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        var theme: ResolvedTheme
        switch options.theme {
        case .mono: theme = .mono
        case .auto, .default16: theme = .default16
        case .color256: theme = .color256
        }
        if noColor || !has_colors() { theme = .mono }
        if theme != .mono && start_color() != OK { theme = .mono }
        if theme == .color256 && dispo_colors() < 256 { theme = .default16 }
        resolvedTheme = theme
        blitter = Blitter(palette: Palette(theme: theme), unicode: unicode)

        if options.mouse {
            mousemask(dispo_button1_pressed() | dispo_button4_pressed() | dispo_button5_pressed(), nil)
            mouseinterval(0)
        }

        // What leaves the screen sane: exit the alternate screen, show the cursor, plain attributes,
        // bracketed paste and mouse reporting off.
        var bytes: [UInt8] = []
        for cap in ["sgr0", "cnorm", "rmcup"] {
            if let s = tigetstr(cap), Int(bitPattern: s) != -1 {
                bytes += Array(String(cString: s).utf8)
            }
        }
        bytes += Array("\u{1B}[?2004l".utf8)
        if options.mouse { bytes += Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l".utf8) }
        restoreBytes = bytes
        SignalBridge.setRestoreBytes(bytes)

        decoder = KeyDecoder(codes: KeyCodes(
            up: KEY_UP, down: KEY_DOWN, left: KEY_LEFT, right: KEY_RIGHT, home: KEY_HOME, end: KEY_END,
            pageUp: KEY_PPAGE, pageDown: KEY_NPAGE, enter: KEY_ENTER, backspace: KEY_BACKSPACE,
            delete: KEY_DC, insert: KEY_IC, backTab: KEY_BTAB, f0: KEY_F0, resize: dispo_key_resize(),
            mouse: dispo_key_mouse(), shiftLeft: KEY_SLEFT, shiftRight: KEY_SRIGHT, shiftHome: KEY_SHOME,
            shiftEnd: KEY_SEND))
        currentSize = Size(cols: max(1, Int(dispo_cols())), rows: max(1, Int(dispo_lines())))

        writeRaw(Array("\u{1B}[?2004h".utf8))  // bracketed paste on
        SignalBridge.captureStderr()
        for note in notes { post(.statusMessage(note, isError: false)) }
    }

    deinit { restore() }

    // MARK: - Inbox

    /// Queues `msg` for the UI thread and wakes it. Thread-safe; never blocks.
    public func post(_ msg: Msg) {
        lock.lock()
        inbox.append(msg)
        lock.unlock()
        var zero: UInt8 = 0
        _ = write(wakeWrite, &zero, 1)  // a full pipe already means "wake up": EAGAIN is fine
    }

    private func takeInbox() -> [Msg] {
        lock.lock(); defer { lock.unlock() }
        let msgs = inbox
        inbox.removeAll(keepingCapacity: true)
        return msgs
    }

    private var inboxIsEmpty: Bool {
        lock.lock(); defer { lock.unlock() }
        return inbox.isEmpty
    }

    // MARK: - Loop

    /// Runs the UI loop on the calling thread until `reduce` emits `.quit`, then restores the terminal.
    ///
    /// Each turn: `poll` on the terminal and the wake pipe (no timeout when idle except the next minute
    /// boundary, which posts `.tick`); signals; keys (decoded into `Msg.key`); the inbox; `reduce` for
    /// each `Msg`, performing its `TerminalEffect`s here and handing each `IOEffect` to `perform` (on this thread; it must not block); then one frame, blitted only
    /// when the grid differs from the last one. The first `Msg` is `.resize(size)`.
    ///
    /// When `options.idleFile` is set, each time the loop is idle after handling something or drawing a
    /// frame (e.g. the full redraw on resuming from Ctrl-Z) — inbox empty, no input pending, frame drawn,
    /// `busy()` false — it writes `IdleReport` there.
    public func run(state: inout AppState, perform: (IOEffect) -> Void, busy: @escaping @Sendable () -> Bool) {
        run(state: &state, reduce: DispoViewModel.reduce, render: DispoViewModel.render, perform: perform, busy: busy,
            tickDeadline: { $0.nextTickDeadline })
    }

    /// The same loop over any state type, with the reducer and renderer passed in (used by `run` above
    /// with `DispoViewModel.reduce` / `render`, and by front-end tests with a scripted model).
    public func run<State>(state: inout State, reduce: (inout State, Msg) -> [Effect],
                           render: (State, Size, RenderOptions) -> Grid,
                           perform: (IOEffect) -> Void, busy: @escaping @Sendable () -> Bool,
                           tickDeadline: (State) -> Date? = { _ in nil }) {
        var pending: [Msg] = [.resize(size)]
        var nextTick = Self.nextMinute(after: Date())
        var lastTick = Date.distantPast
        var quit = false
        while !quit {
            // 1. Handle what is there.
            pending += takeInbox()
            if !pending.isEmpty {
                for msg in pending {
                    eventsHandled += 1
                    let effects = reduce(&state, msg)
                    for effect in effects {
                        switch effect {
                        case .io(let io): perform(io)
                        case .terminal(.quit): quit = true
                        case .terminal(.repaint): forceFullRedraw = true
                        case .terminal(.copyToClipboard(let text)): copyToClipboard(text)
                        case .terminal(.openEditor(let field, let text)): openEditor(field: field, text: text)
                        }
                    }
                    if quit { break }
                }
                pending.removeAll(keepingCapacity: true)
                if quit { break }
            }

            // 2. Draw (nothing handled and nothing forced: the state and size are as last drawn).
            if eventsHandled != eventsAtLastDraw || forceFullRedraw {
                drawIfChanged { size, options in render(state, size, options) }
                eventsAtLastDraw = eventsHandled
            }

            // 3. Idle signal.
            if !inboxIsEmpty { continue }
            let idleFile = options.idleFile
            if let idleFile, eventsHandled != lastIdleEvents || frames != lastIdleFrames, !decoder.isMidSequence, !inputPending(),
               !busy() {
                writeIdleReport(to: idleFile)
                lastIdleEvents = eventsHandled
                lastIdleFrames = frames
            }
            if let crash = crashAfterStart, frames > 0, idleFile == nil || lastIdleEvents == eventsHandled,
               !inputPending(), !busy() {
                crash.crash()
            }

            // 4. Wait.
            // The state may want a tick sooner (a running call timer, a status message expiring); never
            // more often than every 50 ms, so a deadline that stays in the past cannot spin.
            var dueTick = nextTick
            if let wanted = tickDeadline(state) { dueTick = min(dueTick, max(wanted, lastTick.addingTimeInterval(0.05))) }
            var timeout = Int32(max(1, min(60_000, dueTick.timeIntervalSinceNow * 1000 + 1)))
            if decoder.isMidSequence { timeout = min(timeout, decoder.isInPaste ? 1_000 : 100) }
            if idleFile != nil && (eventsHandled != lastIdleEvents || frames != lastIdleFrames) { timeout = min(timeout, 20) }
            var fds = [pollfd(fd: inFd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, timeout)
            if ready < 0 && errno != EINTR { break }

            // 5. Signals and wakes.
            var signals: [Int32] = []
            if fds[1].revents & Int16(POLLIN) != 0 { signals = drainWakePipe() }
            var exitSignal: Int32?
            for sig in signals {
                switch sig {
                case SIGINT, SIGTERM, SIGHUP, SIGQUIT: if exitSignal == nil { exitSignal = sig }
                case SIGWINCH: if let msg = checkResize() { pending.append(msg) }
                case SIGTSTP: suspend(); if let msg = checkResize() { pending.append(msg) }
                case SIGCONT: forceFullRedraw = true
                default: break
                }
            }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                exitSignal = exitSignal ?? SIGHUP  // the terminal went away
            }
            if let sig = exitSignal {
                pending += takeInbox()
                // Let the app see what was still queued (e.g. a last keystroke's draft save) before exit.
                for msg in pending {
                    for effect in reduce(&state, msg) {
                        if case .io(let io) = effect { perform(io) }
                    }
                }
                exitOnSignal(sig)
            }

            // 6. Keys.
            if fds[0].revents & Int16(POLLIN) != 0 || ready == 0 || decoder.isMidSequence {
                let keys = readInput()
                pending += keys
                // The state's clock is only as fresh as its last tick: give it the time of these keys
                // (status messages are stamped with it; the call timer starts with it).
                if !keys.isEmpty { pending.append(.tick(Date())) }
            }

            // 7. Clock.
            let now = Date()
            if now >= dueTick {
                pending.append(.tick(now))
                lastTick = now
                nextTick = Self.nextMinute(after: now)
            }
        }
        restore()
    }

    private static func nextMinute(after date: Date) -> Date {
        let t = date.timeIntervalSince1970
        return Date(timeIntervalSince1970: (t / 60).rounded(.down) * 60 + 60)
    }

    private func drainWakePipe() -> [Int32] {
        var signals: [Int32] = []
        var buf = [UInt8](repeating: 0, count: 256)
        while true {
            let n = read(wakeRead, &buf, buf.count)
            if n <= 0 { break }
            for b in buf[0..<n] where b != 0 && !signals.contains(Int32(b)) { signals.append(Int32(b)) }
        }
        return signals
    }

    /// True when the terminal has unread input.
    private func inputPending() -> Bool {
        var fd = pollfd(fd: inFd, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, 0) > 0 && fd.revents & Int16(POLLIN) != 0
    }

    private func readInput() -> [Msg] {
        var msgs: [Msg] = []
        var outputs: [DecodedInput] = []
        var sawInput = false
        var wch: wint_t = 0
        while true {
            let rc = wget_wch(dispo_stdscr(), &wch)
            if rc == ERR {
                outputs += decoder.feed(.end)
                break
            }
            sawInput = true
            outputs += decoder.feed(rc == KEY_CODE_YES ? .code(Int32(bitPattern: wch)) : .char(wch))
        }
        if sawInput {
            lastInputAt = Date()
        } else if decoder.isMidSequence {
            let limit: TimeInterval = decoder.isInPaste ? 1.0 : 0.1
            if Date().timeIntervalSince(lastInputAt) >= limit * 0.9 {
                outputs += decoder.flush()
            }
        }
        if let paste = Self.unbracketedPaste(outputs) { return [.key(.paste(paste))] }
        for out in outputs {
            switch out {
            case .key(let key): msgs.append(.key(key))
            case .resize: if let msg = checkResize() { msgs.append(msg) }
            case .mouse: if let key = readMouse() { msgs.append(.key(key)) }
            case .suspend:
                suspend()
                if let msg = checkResize() { msgs.append(msg) }
            }
        }
        return msgs
    }

    /// Text pasted into a terminal without bracketed paste (GNU screen, some SSH clients, `tmux
    /// paste-buffer` without `-p`) arrives as keystrokes, its line breaks as Enter, which would move
    /// through the form, answer prompts and send a half-typed log. A person cannot type several
    /// characters *and* Enter within one read of the terminal, so such a batch (at least 8 characters
    /// and a line break) is taken as one paste.
    static func unbracketedPaste(_ outputs: [DecodedInput]) -> String? {
        guard outputs.count >= 3 else { return nil }
        var text = ""
        var printable = 0, breaks = 0
        for out in outputs {
            guard case .key(let key) = out else { return nil }
            switch key {
            case .char(let c): text.append(c); printable += 1
            case .enter: text.append("\n"); breaks += 1
            case .tab: text.append("\t")
            default: return nil
            }
        }
        // Keys typed over a slow link can arrive together too (`j j Enter`): only a run long enough not to
        // be typing counts as a paste.
        return printable >= 8 && breaks >= 1 ? text : nil
    }

    private func readMouse() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let col = Int(event.x), row = Int(event.y)
        if event.bstate & dispo_button4_pressed() != 0 { return .mouse(MouseEvent(kind: .wheelUp, col: col, row: row)) }
        if event.bstate & dispo_button5_pressed() != 0 { return .mouse(MouseEvent(kind: .wheelDown, col: col, row: row)) }
        if event.bstate & (dispo_button1_pressed() | dispo_button1_clicked()) != 0 {
            return .mouse(MouseEvent(kind: .press, col: col, row: row))
        }
        return nil
    }

    /// Re-reads the size from the kernel; when it changed, resizes ncurses and returns `.resize`.
    private func checkResize() -> Msg? {
        var rows: Int32 = 0, cols: Int32 = 0
        if dispo_tty_size(outFd, &rows, &cols) != 0 || rows <= 0 || cols <= 0 {
            rows = dispo_lines(); cols = dispo_cols()
        }
        rows = max(1, rows); cols = max(1, cols)
        if rows != dispo_lines() || cols != dispo_cols() {
            resizeterm(rows, cols)
        }
        let new = Size(cols: Int(cols), rows: Int(rows))
        lock.lock()
        let changed = new != currentSize
        currentSize = new
        lock.unlock()
        guard changed else { return nil }
        forceFullRedraw = true
        return .resize(new)
    }

    // MARK: - Drawing

    private func drawIfChanged(_ render: (Size, RenderOptions) -> Grid) {
        let size = self.size
        let grid = render(size, RenderOptions(unicode: unicode, colors: resolvedTheme != .mono))
        if !forceFullRedraw, let last = lastGrid, last == grid { return }
        if forceFullRedraw { clearok(dispo_curscr(), true) }
        forceFullRedraw = false
        blitter.draw(grid, screenRows: Int(dispo_lines()), screenCols: Int(dispo_cols()))
        lastGrid = grid
        frames += 1
    }

    private func writeIdleReport(to path: String) {
        let report = IdleReport(frames: frames, events: eventsHandled, size: size,
                                digest: lastGrid.map(IdleReport.digest) ?? 0)
        try? Data(report.text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    // MARK: - Terminal hand-offs

    /// Writes bytes to the terminal right after ncurses' own output (ncurses has flushed at `doupdate`).
    private func writeRaw(_ bytes: [UInt8]) {
        fflush(outFile)
        bytes.withUnsafeBufferPointer { buf in
            _ = fwrite(buf.baseAddress, 1, buf.count, outFile)
        }
        fflush(outFile)
    }

    /// Leaves curses mode (for a suspend or `$EDITOR`): bracketed paste off, `endwin`.
    private func leaveScreen() {
        writeRaw(Array("\u{1B}[?2004l".utf8))
        def_prog_mode()
        endwin()
        fflush(outFile)
    }

    /// Comes back after `leaveScreen`: program mode, modes, cursor, mouse, bracketed paste, full redraw.
    private func enterScreen() {
        reset_prog_mode()
        let win = dispo_stdscr()
        keypad(win, true)
        nodelay(win, true)
        curs_set(0)
        if options.mouse {
            mousemask(dispo_button1_pressed() | dispo_button4_pressed() | dispo_button5_pressed(), nil)
        }
        writeRaw(Array("\u{1B}[?2004h".utf8))
        forceFullRedraw = true
        lastGrid = nil
    }

    /// Ctrl-Z / SIGTSTP: restore the terminal, stop like a shell job, and come back (on SIGCONT) at the
    /// current size with a full redraw.
    private func suspend() {
        leaveScreen()
        SignalBridge.setDefault(SIGTSTP)
        SignalBridge.unblock(SIGTSTP)
        kill(getpid(), SIGTSTP)
        // Stopped here until SIGCONT.
        SignalBridge.setOrderly(SIGTSTP)
        enterScreen()
    }

    /// OSC 52 copy (issue 4): writes the sequence after ncurses' output and posts `.clipboardSent`, or a
    /// status message when the clipboard is off or the text is too large.
    private func copyToClipboard(_ text: String) {
        let inTmux = !(ProcessInfo.processInfo.environment["TMUX"] ?? "").isEmpty
        switch OSC52.plan(text: text, mode: options.clipboard, inTmux: inTmux) {
        case .disabled:
            post(.statusMessage("clipboard is off (clipboard = off): nothing copied", isError: true))
        case .tooLarge(let n):
            post(.statusMessage("not copied: \(n) bytes of base64 is over the \(OSC52.maxBase64Bytes)-byte limit",
                                isError: true))
        case .write(let bytes, let via):
            writeRaw(bytes)
            post(.clipboardSent(description: "\(OSC52.describe(text)) to the clipboard (\(via))"))
        }
    }

    /// `$EDITOR` hand-off (issue 4 "Editing"): the text goes to a private temp file (0600), curses mode is
    /// left, `$VISUAL` / `$EDITOR` / `vi` runs through `/bin/sh -c` on the file, curses mode comes back at
    /// the current size, and `.editorFinished` carries the file's text (one trailing newline removed), or
    /// nil when the editor could not run or exited non-zero.
    private func openEditor(field: FormField, text: String) {
        let env = ProcessInfo.processInfo.environment
        let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let dir = (env["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
        var template = Array("\(dir)/dispo-\(field.rawValue)-XXXXXX.txt".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard fd >= 0 else {
            post(.statusMessage("cannot create a temporary file for the editor (errno \(errno))", isError: true))
            post(.editorFinished(field: field, text: nil))
            return
        }
        let path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
        defer { unlink(path) }
        let data = Array(text.utf8)
        var written = 0
        while written < data.count {
            let n = data[written...].withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            written += n
        }
        close(fd)

        leaveScreen()
        // While the editor has the terminal: Ctrl-C / Ctrl-\ belong to it; Ctrl-Z stops us with it.
        SignalBridge.ignore(SIGINT)
        SignalBridge.ignore(SIGQUIT)
        SignalBridge.setDefault(SIGTSTP)
        let status = SignalBridge.spawnShell("\(editor) \"$1\"", arg: path)
        SignalBridge.setOrderly(SIGINT)
        SignalBridge.setOrderly(SIGQUIT)
        SignalBridge.setOrderly(SIGTSTP)
        enterScreen()
        if let msg = checkResize() { post(msg) }

        var result: String?
        let exitedOK = status >= 0 && (status & 0x7F) == 0 && ((status >> 8) & 0xFF) == 0
        if exitedOK, let contents = try? String(contentsOfFile: path, encoding: .utf8) {
            result = contents.hasSuffix("\n") ? String(contents.dropLast()) : contents
        } else if !exitedOK {
            post(.statusMessage("editor `\(editor)` failed (status \(status)): text unchanged", isError: true))
        }
        post(.editorFinished(field: field, text: result))
    }

    // MARK: - Exit

    private func exitOnSignal(_ sig: Int32) -> Never {
        onSignalExit?(sig)
        restore()
        exit(128 + sig)
    }

    /// Gives the terminal back: bracketed paste and mouse off, `endwin` (alternate screen left, cursor
    /// shown, modes as found). Idempotent; also run by `run` on quit and on exit signals.
    public func restore() {
        if restored { return }
        restored = true
        if options.mouse { mousemask(0, nil) }
        writeRaw(Array("\u{1B}[?2004l".utf8))
        endwin()
        fflush(outFile)
        SignalBridge.disarm()
        SignalBridge.replayStderr()
    }
}

/// What the UI writes to `TerminalOptions.idleFile` when it is idle (a signal for end-to-end tests,
/// which wait for it instead of sleeping). Text, one `key value` per line:
/// ```
/// frames 12          frames blitted so far
/// events 40          Msgs reduced so far (keys, resizes, posted Msgs)
/// size 80x24         columns x rows
/// digest 9f…         FNV-1a 64 of the screen's text (hex), to tell screens apart
/// ```
public struct IdleReport: Sendable, Equatable {
    public var frames: Int
    public var events: Int
    public var size: Size
    public var digest: UInt64

    public var text: String {
        "frames \(frames)\nevents \(events)\nsize \(size.cols)x\(size.rows)\ndigest \(String(digest, radix: 16))\n"
    }

    /// FNV-1a 64 over every cell's text, row by row (a newline after each row).
    public static func digest(_ grid: Grid) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for row in 0..<grid.size.rows {
            for col in 0..<grid.size.cols {
                for b in grid[col, row].text.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            }
            h = (h ^ 0x0A) &* 0x100000001b3
        }
        return h
    }
}

/// A deliberate crash for end-to-end tests of the terminal restore (issue 4: "a forced crash leaves
/// `stty -a` as it was"). Read from the environment variable `DISPO_TEST_CRASH_AFTER_START`: `1` or
/// `trap` (a Swift runtime trap, `fatalError`), `abort` (SIGABRT) or `segv` (a real SIGSEGV from a write to
/// an unmapped address). The UI crashes the first time it is idle with a frame drawn (after writing the
/// idle report, when `TerminalOptions.idleFile` is set). Anything else, or unset: no crash.
enum TestCrash: String, Sendable {
    case trap, abort, segv

    /// The crash the environment asks for, or nil.
    init?(environment: [String: String]) {
        guard let value = environment["DISPO_TEST_CRASH_AFTER_START"]?.lowercased(), !value.isEmpty else { return nil }
        self.init(rawValue: value == "1" ? "trap" : value)
    }

    /// Crashes the process the chosen way (never returns).
    func crash() -> Never {
        switch self {
        case .trap:
            fatalError("crashing on purpose (DISPO_TEST_CRASH_AFTER_START=trap)")
        case .abort:
            Glibc.abort()
        case .segv:
            UnsafeMutablePointer<Int>(bitPattern: 8)!.pointee = 1
            fatalError("unreachable: the write above faults")
        }
    }
}
