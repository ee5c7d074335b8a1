import CNcursesw
import DispoViewModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The terminal front end: the only code that talks to ncurses. It owns the terminal from `init` until
/// `restore()`, runs the UI loop on one thread (`run`), turns keys, resizes, signals and the clock into
/// `Msg`s, performs the `TerminalEffect`s (clipboard, `$EDITOR`, repaint, quit) and blits the rendered
/// `Grid`.
///
/// Its parts, by file: the UI loop (`UILoop`), setting the terminal up (`TerminalSetup`), the inbox and
/// wake pipe (`Inbox`), reading input and pastes (`Input`), drawing frames (`Drawing`, `Blitter`,
/// `PreparedFrame`, `Palette`), signals, suspend and exit (`SignalsAndExit`), `$EDITOR` (`Editor`),
/// OSC 52 (`Clipboard`), the idle report (`IdleReport`).
///
/// Threading: `post` may be called from any thread; everything else from the thread that calls `run`.
public final class TerminalUI: @unchecked Sendable {
    // Terminal
    let options: TerminalOptions
    let inFd: Int32
    let outFd: Int32
    let outFile: UnsafeMutablePointer<FILE>
    private let inFile: UnsafeMutablePointer<FILE>
    private let screen: OpaquePointer
    var blitter: Blitter
    /// Gathers each frame's output into one write.
    let frameOutput: FrameOutput
    let resolvedTheme: ResolvedTheme
    /// Bytes that leave the screen sane, also used by the crash handler.
    private let restoreBytes: [UInt8]
    /// What clears the screen on exit when the terminal has no alternate screen (`vt100`, `linux`: no
    /// `smcup`), so dispo's last frame is not left under the shell's prompt; empty otherwise.
    let clearOnExit: [UInt8]
    var restored = false

    /// Msgs posted from any thread, and the pipe that wakes the UI thread (signals come through it too).
    let inbox: Inbox
    private let sizeLock = NSLock()
    private var currentSize: Size

    // Loop state (UI thread only)
    var decoder: KeyDecoder
    var lastGrid: Grid?
    var forceFullRedraw = true
    var frames = 0
    /// When the last frame was drawn (the loop skips frames while keys wait, but not for long).
    var lastDrawAt = Date.distantPast
    /// Frames not drawn because more input was already waiting (typeahead).
    var skippedFrames = 0
    /// Frames shown from a `SpeculativeFrame` (the key came as made ahead).
    var speculativeFramesShown = 0
    var eventsHandled = 0
    var eventsAtLastDraw = -1
    var lastIdleEvents = -1
    /// `frames` when the idle report was last written: a frame drawn without a `Msg` (the full redraw
    /// after a resume from Ctrl-Z) is reported too.
    var lastIdleFrames = -1
    var lastInputAt = Date()
    /// Test hook: how to crash once the first screen is up (env `DISPO_TEST_CRASH_AFTER_START`).
    let crashAfterStart: TestCrash? = TestCrash(environment: ProcessInfo.processInfo.environment)

    /// True when the rep's locale's codeset is UTF-8 (`nl_langinfo(CODESET)` after `setlocale(LC_ALL,
    /// "")`), or once the terminal sent UTF-8 text (it is then a UTF-8 terminal whatever the locale
    /// says); false → ASCII only on screen: lines and marks in ASCII, other text as `?`.
    public internal(set) var unicode: Bool
    /// True when the C library reads UTF-8 (`LC_CTYPE` is the rep's UTF-8 locale, or `C.UTF-8` put in
    /// for a locale that is not): `wget_wch` then decodes typed text. False (no UTF-8 locale on this
    /// system): bytes are read one by one and decoded by `UTF8Input`.
    let readsUTF8: Bool
    /// Decodes bytes when `readsUTF8` is false.
    var utf8Input = UTF8Input()
    /// The terminal's `TERM` as ncurses uses it (after any fallback).
    public let terminalType: String
    /// Called on the UI thread when SIGINT, SIGTERM, SIGHUP or SIGQUIT (or a hang-up of the terminal) ends
    /// the app, after the pending `Msg`s were reduced (their effects, but the terminal ones, handed to
    /// `perform`) and before the terminal is restored and the process exits with 128 + signal. It may
    /// block briefly, e.g. to flush the draft store so the last keystrokes survive. A third exit signal
    /// while it runs exits at once (terminal restored by the signal handler).
    public var onSignalExit: ((Int32) -> Void)?

    /// The terminal size in cells (columns × rows), as of the last resize the UI thread saw.
    public var size: Size { sizeLock.withLock { currentSize } }

    /// Takes over the terminal.
    ///
    /// `setlocale(LC_ALL, "")`; checks for UTF-8 and, when the locale is not, reads input as UTF-8 all the
    /// same (`LC_CTYPE` = `C.UTF-8` where it exists; a status note says so once); opens the terminal
    /// (stdin/stdout when they are ttys, else `/dev/tty`); arms the signal handlers (terminal restored on
    /// every exit path); `newterm` with `$TERM`, falling back to `xterm-256color`, `xterm`, then `vt100`
    /// when ncurses does not know it (the note is posted as a status message); refuses a terminal without
    /// cursor addressing; ESC delay 25 ms unless `ESCDELAY` is set; raw, no echo, no newline translation,
    /// keypad, cursor hidden; colours per `options.theme` and `NO_COLOR`; bracketed paste on; mouse when
    /// `options.mouse`.
    ///
    /// - Throws: `TerminalError.noTerminal` when there is no terminal, `.noCursorAddressing` when it cannot
    ///   move the cursor (`TERM=dumb`), `.terminalSetupFailed` when even the fallback types fail,
    ///   `.pipeFailed` when the wake pipe cannot be made.
    public init(options: TerminalOptions) throws {
        self.options = options
        setlocale(LC_ALL, "")
        unicode = Self.codesetIsUTF8()
        if !unicode {
            // Typed text must not be lost: read it as UTF-8 even when the locale (LANG=C, none) is not.
            for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil { break }
        }
        readsUTF8 = Self.codesetIsUTF8()

        let terminal = try Self.openTerminal()
        inFd = terminal.inFd; outFd = terminal.outFd; inFile = terminal.inFile; outFile = terminal.outFile
        inbox = try Inbox()
        frameOutput = FrameOutput(cursesFd: fileno(outFile), terminalFd: outFd)

        // Handlers first: ncurses then leaves SIGINT/SIGTERM/SIGTSTP/SIGWINCH to us.
        SignalBridge.install(inFd: inFd, outFd: outFd, wakeFd: inbox.wakeWrite)

        let opened = try Self.openScreen(inFile: inFile, outFile: outFile)
        screen = opened.screen
        terminalType = opened.term
        var notes: [String] = []
        if !unicode {
            notes.append(readsUTF8 ? "The locale is not UTF-8: ASCII drawing until UTF-8 is typed; typed text is kept"
                                   : "The locale is not UTF-8 (no C.UTF-8 here): text the terminal cannot show is ?")
        }
        if opened.term != opened.envTerm {
            setenv("TERM", opened.term, 1)  // so $EDITOR sees a type this system knows
            notes.append(opened.envTerm.isEmpty ? "TERM is not set: using \(opened.term)"
                                                : "TERM=\(opened.envTerm) is unknown here: using \(opened.term)")
        }

        guard Self.capability("cup") != nil else {
            // Without cursor addressing (TERM=dumb, a printing terminal) nothing can be drawn where it
            // belongs: say so instead of showing a blank screen.
            endwin()
            delscreen(opened.screen)
            SignalBridge.restoreNow()
            SignalBridge.disarm()
            throw TerminalError.noCursorAddressing(term: opened.term)
        }
        clearOnExit = Self.capability("smcup") != nil ? [] : Array((Self.capability("clear") ?? "\u{1B}[H\u{1B}[J").utf8)

        Self.setModes(escDelayMilliseconds: options.escDelayMilliseconds)
        let theme = Self.resolveTheme(options.theme, background: Self.detectBackground(options.theme, inFd: inFd, outFd: outFd))
        resolvedTheme = theme
        blitter = Blitter(palette: Palette(theme: theme), unicode: unicode)
        if options.mouse {
            mousemask(dispo_button1_pressed() | dispo_button4_pressed() | dispo_button5_pressed(), nil)
            mouseinterval(0)
        }

        // Keypad back to numeric mode too (rmkx, `ESC [ ? 1 l ESC >`): a shell after a crash must get
        // plain digits and arrows.
        restoreBytes = Array((Self.capability("rmkx") ?? "\u{1B}[?1l\u{1B}>").utf8)
            + Self.restoreSequence(mouse: options.mouse) + clearOnExit
        SignalBridge.setRestoreBytes(restoreBytes)
        SignalBridge.setCrashNote(
            "The terminal was restored. SWIFT_BACKTRACE=enable=yes gives the Swift runtime's backtrace.\n")

        var codes = Self.keyCodes()
        codes.keypadKeys = Self.keypadKeys()
        decoder = KeyDecoder(codes: codes)
        currentSize = Size(cols: max(1, Int(dispo_cols())), rows: max(1, Int(dispo_lines())))

        writeRaw(Array("\u{1B}[?2004h".utf8))  // bracketed paste on
        SignalBridge.captureStderr()
        for note in notes { post(.statusMessage(note, isError: false)) }
    }

    deinit { restore() }

    /// The terminal's string capability `name` (terminfo, e.g. `cup`, `smcup`) with its padding
    /// (`$<50>`) taken out, as bytes can be written raw; nil when the terminal lacks it.
    static func capability(_ name: String) -> String? {
        guard let s = tigetstr(name), Int(bitPattern: s) != -1, Int(bitPattern: s) != 0 else { return nil }
        let text = String(cString: s)
        return text.replacingOccurrences(of: #"\$<[0-9.*/]*>"#, with: "", options: .regularExpression)
    }

    /// The keypad's keys in application mode as ncurses reports them, and what each types: terminfo's
    /// keypad capabilities (ka1 … kc3 are 7 9 / 4 5 6 / 1 2 3 by position; kpZRO kpADD kpSUB kpMUL kpDIV
    /// kpDOT kpCMA are extended ones, to which ncurses gives codes of its own), through `key_defined`.
    static func keypadKeys() -> [Int32: Character] {
        let caps: [(String, Character)] = [
            ("kpZRO", "0"), ("kc1", "1"), ("kc2", "2"), ("kc3", "3"), ("kb1", "4"), ("kb2", "5"), ("kb3", "6"),
            ("ka1", "7"), ("ka2", "8"), ("ka3", "9"), ("kpADD", "+"), ("kpSUB", "-"), ("kpMUL", "*"),
            ("kpDIV", "/"), ("kpDOT", "."), ("kpCMA", ","),
        ]
        var keys: [Int32: Character] = [:]
        for (cap, typed) in caps {
            guard let sequence = capability(cap) else { continue }
            let code = key_defined(sequence)
            if code > 0 { keys[code] = typed }
        }
        return keys
    }

    /// True when `LC_CTYPE`'s codeset is UTF-8 (`nl_langinfo(CODESET)`: "UTF-8", "utf8", …).
    static func codesetIsUTF8() -> Bool {
        String(cString: nl_langinfo(Int32(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
    }

    /// Queues `msg` for the UI thread and wakes it. Thread-safe; never blocks.
    public func post(_ msg: Msg) { inbox.post(msg) }

    /// Records the size the UI thread now sees; true when it differs from the last one.
    func setSize(_ new: Size) -> Bool {
        sizeLock.withLock {
            let changed = new != currentSize
            currentSize = new
            return changed
        }
    }
}
