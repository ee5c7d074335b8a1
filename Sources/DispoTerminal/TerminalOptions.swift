import DispoViewModel

/// The colour theme of the terminal front end, the `--theme` option and the `theme` config key. Colour
/// is never the only carrier of meaning, so every theme, `mono` too, shows everything.
public enum Theme: String, Sendable, Hashable, CaseIterable {
    /// 8/16 colours for the terminal's background as detected (`light16` on a light one, `default16`
    /// otherwise, see `BackgroundDetection`) when the terminal has colours and `NO_COLOR` is unset,
    /// `mono` otherwise.
    case auto
    /// 8/16 ANSI colours for a dark background, on the terminal's own background (`use_default_colors`,
    /// background -1).
    case default16
    /// The 256-colour palette for a dark background (falls back to `default16` when the terminal has
    /// fewer than 256 colours).
    case color256
    /// 8/16 ANSI colours for a light background: no yellow, white or bright colours.
    case light16
    /// The 256-colour palette for a light background (falls back to `light16` with fewer colours).
    case light256
    /// No colour at all: bold, reverse, underline and dim only (what `NO_COLOR` asks for).
    case mono
}

/// How `TerminalEffect.copyToClipboard` reaches the rep's local clipboard, also over SSH: the
/// `clipboard` config key.
public enum ClipboardMode: String, Sendable, Hashable, CaseIterable {
    /// OSC 52; inside tmux (`$TMUX`) also wrapped in its passthrough, inside GNU screen (`$STY`) wrapped
    /// in screen's.
    case auto
    /// Plain OSC 52 (`ESC ] 52 ; c ; <base64> BEL`), even inside tmux (tmux's `set-clipboard on`).
    case osc52
    /// OSC 52 wrapped in tmux's DCS passthrough (`ESC P tmux; …ESC \`; needs `allow-passthrough on`).
    case tmux
    /// Never write to the clipboard.
    case off
}

/// Options of the terminal front end, set by the app's runtime from the command line, config and env.
public struct TerminalOptions: Sendable {
    /// Report mouse clicks (button 1 press) and wheel steps as `Key.mouse`. Off by default: with it on,
    /// the terminal's own text selection needs Shift.
    public var mouse: Bool = false
    /// Colour theme; `NO_COLOR` (non-empty) forces `mono` whatever is set here.
    public var theme: Theme = .auto
    /// How copies reach the clipboard.
    public var clipboard: ClipboardMode = .auto
    /// Test hook (env `DISPO_IDLE_FILE`): when set, each time the UI becomes idle after handling
    /// something or drawing a frame (inbox empty, no input pending, frame drawn, runtime not busy) the
    /// front end writes
    /// `IdleReport.text` to this path atomically (temp file + rename).
    public var idleFile: String?
    /// ESC delay in milliseconds used unless the environment sets `ESCDELAY`.
    public var escDelayMilliseconds: Int = 25
    /// Make the frame for a repeat of the last key while waiting (see `SpeculativeFrame`), so that key,
    /// when it comes, is answered without first reducing and rendering. On unless env
    /// `DISPO_SPECULATE=0` (for measuring with and without it).
    public var speculativeFrames: Bool = true

    /// Options as given; `escDelayMilliseconds` is 25 unless set afterwards.
    public init(mouse: Bool = false, theme: Theme = .auto, clipboard: ClipboardMode = .auto,
                idleFile: String? = nil) {
        self.mouse = mouse; self.theme = theme; self.clipboard = clipboard; self.idleFile = idleFile
    }
}

/// Why the terminal front end could not start.
public enum TerminalError: Error, CustomStringConvertible, Sendable {
    /// Neither stdin/stdout nor `/dev/tty` is a terminal (e.g. run from a pipe or cron).
    case noTerminal
    /// ncurses could not set up the terminal even with the fallback types (`xterm-256color`, `xterm`,
    /// `vt100`). `term` is `$TERM`.
    case terminalSetupFailed(term: String)
    /// The terminal cannot move the cursor (no `cup` in terminfo: `TERM=dumb`, a printing terminal).
    /// `term` is the type in use.
    case noCursorAddressing(term: String)
    /// The wake pipe could not be created (`errno`).
    case pipeFailed(errno: Int32)

    /// The reason, for the rep, with what to do instead where there is something.
    public var description: String {
        switch self {
        case .noTerminal:
            "dispo needs a terminal: stdin/stdout are not a tty and /dev/tty cannot be opened " +
                "(use the subcommands, e.g. `dispo calls list --json`, for scripts)"
        case .terminalSetupFailed(let term):
            "cannot set up the terminal (TERM=\(term)), even as xterm-256color, xterm or vt100"
        case .noCursorAddressing(let term):
            "TERM=\(term) cannot move the cursor, and dispo draws a full screen: run it in a terminal such as " +
                "xterm-256color (set TERM), or use the subcommands (`dispo tasks`, `dispo log`)"
        case .pipeFailed(let e):
            "cannot create the UI wake pipe (errno \(e))"
        }
    }
}
