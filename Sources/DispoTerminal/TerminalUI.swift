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
/// wake pipe (`Inbox`), reading input and pastes (`Input`), drawing frames (`Drawing`, `Blitter`),
/// signals, suspend and exit (`SignalsAndExit`), `$EDITOR` (`Editor`), OSC 52 (`Clipboard`), the idle
/// report (`IdleReport`).
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
    let resolvedTheme: ResolvedTheme
    /// Bytes that leave the screen sane, also used by the crash handler.
    private let restoreBytes: [UInt8]
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
    var eventsHandled = 0
    var eventsAtLastDraw = -1
    var lastIdleEvents = -1
    /// `frames` when the idle report was last written: a frame drawn without a `Msg` (the full redraw
    /// after a resume from Ctrl-Z) is reported too.
    var lastIdleFrames = -1
    var lastInputAt = Date()
    /// Test hook: how to crash once the first screen is up (env `DISPO_TEST_CRASH_AFTER_START`).
    let crashAfterStart: TestCrash? = TestCrash(environment: ProcessInfo.processInfo.environment)

    /// True when the locale's codeset is UTF-8 (`nl_langinfo(Int32(CODESET))`); false → ASCII glyphs.
    public let unicode: Bool
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

        let terminal = try Self.openTerminal()
        inFd = terminal.inFd; outFd = terminal.outFd; inFile = terminal.inFile; outFile = terminal.outFile
        inbox = try Inbox()

        // Handlers first: ncurses then leaves SIGINT/SIGTERM/SIGTSTP/SIGWINCH to us.
        SignalBridge.install(inFd: inFd, outFd: outFd, wakeFd: inbox.wakeWrite)

        let opened = try Self.openScreen(inFile: inFile, outFile: outFile)
        screen = opened.screen
        terminalType = opened.term
        var notes: [String] = []
        if opened.term != opened.envTerm {
            setenv("TERM", opened.term, 1)  // so $EDITOR sees a type this system knows
            notes.append(opened.envTerm.isEmpty ? "TERM is not set: using \(opened.term)"
                                                : "TERM=\(opened.envTerm) is unknown here: using \(opened.term)")
        }

        Self.setModes(escDelayMilliseconds: options.escDelayMilliseconds)
        let theme = Self.resolveTheme(options.theme)
        resolvedTheme = theme
        blitter = Blitter(palette: Palette(theme: theme), unicode: unicode)
        if options.mouse {
            mousemask(dispo_button1_pressed() | dispo_button4_pressed() | dispo_button5_pressed(), nil)
            mouseinterval(0)
        }

        restoreBytes = Self.restoreSequence(mouse: options.mouse)
        SignalBridge.setRestoreBytes(restoreBytes)

        var codes = Self.keyCodes()
        codes.keypadDigits = [KEY_A1: "7", KEY_A3: "9", KEY_B2: "5", KEY_C1: "1", KEY_C3: "3"]
        decoder = KeyDecoder(codes: codes)
        currentSize = Size(cols: max(1, Int(dispo_cols())), rows: max(1, Int(dispo_lines())))

        writeRaw(Array("\u{1B}[?2004h".utf8))  // bracketed paste on
        SignalBridge.captureStderr()
        for note in notes { post(.statusMessage(note, isError: false)) }
    }

    deinit { restore() }

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
