import CNcursesw
import DispoViewModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The steps of taking the terminal over, in the order `init` runs them.
extension TerminalUI {
    /// The terminal's file descriptors, as our own copies (closing them at the end must not close 0 and
    /// 1): stdin/stdout when both are ttys, else `/dev/tty`. `outFile`, the stream given to `newterm`, is
    /// on a further copy of `outFd` of its own (`FrameOutput` points that one elsewhere during a frame).
    ///
    /// - Throws: `TerminalError.noTerminal` when neither is a terminal.
    static func openTerminal() throws -> (inFd: Int32, outFd: Int32, inFile: UnsafeMutablePointer<FILE>,
                                          outFile: UnsafeMutablePointer<FILE>) {
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
        let cursesFd = outFd >= 0 ? fcntl(outFd, F_DUPFD_CLOEXEC, 3) : -1
        guard inFd >= 0, outFd >= 0, cursesFd >= 0, isatty(inFd) == 1,
              let inFile = fdopen(inFd, "r"), let outFile = fdopen(cursesFd, "w") else {
            throw TerminalError.noTerminal
        }
        return (inFd, outFd, inFile, outFile)
    }

    /// `newterm` with `$TERM`, else `xterm-256color`, `xterm`, then `vt100`. Returns the screen, the type
    /// in use and `$TERM` as found (empty when unset).
    ///
    /// - Throws: `TerminalError.terminalSetupFailed` when every type fails, after putting the terminal
    ///   back as found and disarming the signal handlers.
    static func openScreen(inFile: UnsafeMutablePointer<FILE>, outFile: UnsafeMutablePointer<FILE>) throws
        -> (screen: OpaquePointer, term: String, envTerm: String) {
        let envTerm = ProcessInfo.processInfo.environment["TERM"] ?? ""
        var candidates: [String?] = envTerm.isEmpty ? [] : [nil]
        candidates += ["xterm-256color", "xterm", "vt100"]
        for candidate in candidates {
            let scr: OpaquePointer? = candidate.map { newterm($0, outFile, inFile) } ?? newterm(nil, outFile, inFile)
            if let scr { return (scr, candidate ?? envTerm, envTerm) }
        }
        SignalBridge.restoreNow()
        SignalBridge.disarm()
        throw TerminalError.terminalSetupFailed(term: envTerm)
    }

    /// ESC delay (`escDelayMilliseconds` unless `ESCDELAY` is set); raw, no echo, no newline translation,
    /// keypad, no-delay reads, cursor left where drawing ends and hidden, no scrolling, no typeahead check
    /// in `doupdate`.
    static func setModes(escDelayMilliseconds: Int) {
        if ProcessInfo.processInfo.environment["ESCDELAY"] == nil {
            set_escdelay(Int32(escDelayMilliseconds))
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
        // The UI loop skips frames itself while keys wait; ncurses' own check would cut a frame short
        // (half sent, the rest next time) and polls the input on every line it updates.
        typeahead(-1)
    }

    /// The colours to use: `mono` for `mono`, under `NO_COLOR` (non-empty), without colours or when they
    /// cannot be started; otherwise `wanted`'s scheme (`Theme.scheme`) for `background` and the terminal's
    /// number of colours. Starts ncurses' colours.
    static func resolveTheme(_ wanted: Theme, background: Background) -> ResolvedTheme {
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        if wanted == .mono || noColor || !has_colors() || start_color() != OK { return .mono }
        return wanted.scheme(background: background, colors: Int(dispo_colors())).map { .colors($0) } ?? .mono
    }

    /// What leaves the screen sane: exit the alternate screen, show the cursor, plain attributes,
    /// bracketed paste and (when it was on) mouse reporting off.
    static func restoreSequence(mouse: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        for cap in ["sgr0", "cnorm", "rmcup"] {
            if let s = tigetstr(cap), Int(bitPattern: s) != -1 {
                bytes += Array(String(cString: s).utf8)
            }
        }
        bytes += Array("\u{1B}[?2004l".utf8)
        if mouse { bytes += Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l".utf8) }
        return bytes
    }

    /// ncurses' key codes, for the key decoder.
    static func keyCodes() -> KeyCodes {
        KeyCodes(
            up: KEY_UP, down: KEY_DOWN, left: KEY_LEFT, right: KEY_RIGHT, home: KEY_HOME, end: KEY_END,
            pageUp: KEY_PPAGE, pageDown: KEY_NPAGE, enter: KEY_ENTER, backspace: KEY_BACKSPACE,
            delete: KEY_DC, insert: KEY_IC, backTab: KEY_BTAB, f0: KEY_F0, resize: dispo_key_resize(),
            mouse: dispo_key_mouse(), shiftLeft: KEY_SLEFT, shiftRight: KEY_SRIGHT, shiftHome: KEY_SHOME,
            shiftEnd: KEY_SEND)
    }
}
