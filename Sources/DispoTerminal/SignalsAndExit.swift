import CNcursesw
import DispoViewModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Signals as the UI loop sees them, leaving and re-entering curses mode (Ctrl-Z, `$EDITOR`), and giving
/// the terminal back on exit.
extension TerminalUI {
    /// Takes in what woke `poll`: the signals the wake pipe carried (`wake` are its revents) and a hang-up
    /// of the terminal (`terminal` revents). SIGWINCH re-reads the size, SIGTSTP suspends, SIGCONT forces
    /// a full redraw; a resize found is appended to `pending`. Returns the signal that ends the app, if
    /// any: the first of SIGINT, SIGTERM, SIGHUP, SIGQUIT, else SIGHUP when the terminal went away.
    func handleWake(terminal: Int16, wake: Int16, pending: inout [Msg]) -> Int32? {
        var signals: [Int32] = []
        if wake & Int16(POLLIN) != 0 { signals = inbox.drainSignals() }
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
        if terminal & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
            exitSignal = exitSignal ?? SIGHUP  // the terminal went away
        }
        return exitSignal
    }

    /// Leaves curses mode (for a suspend or `$EDITOR`): bracketed paste off, `endwin`.
    func leaveScreen() {
        writeRaw(Array("\u{1B}[?2004l".utf8))
        def_prog_mode()
        endwin()
        fflush(outFile)
    }

    /// Comes back after `leaveScreen`: program mode, modes, cursor, mouse, bracketed paste, full redraw.
    func enterScreen() {
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

    /// Ctrl-Z / SIGTSTP: restore the terminal, stop like a shell job, and come back (on SIGCONT) with a
    /// full redraw; the caller then re-reads the size.
    func suspend() {
        leaveScreen()
        SignalBridge.setDefault(SIGTSTP)
        SignalBridge.unblock(SIGTSTP)
        kill(getpid(), SIGTSTP)
        // Stopped here until SIGCONT.
        SignalBridge.setOrderly(SIGTSTP)
        enterScreen()
    }

    /// Ends the app for an exit signal: `onSignalExit`, the terminal restored, exit status 128 + `sig`.
    func exitOnSignal(_ sig: Int32) -> Never {
        onSignalExit?(sig)
        restore()
        exit(128 + sig)
    }

    /// Gives the terminal back: bracketed paste and mouse off, `endwin` (alternate screen left, cursor
    /// shown, modes as found), the screen cleared where there is no alternate screen, signal handlers
    /// disarmed, captured stderr replayed. Idempotent; also run
    /// by `run` on quit and on exit signals.
    public func restore() {
        if restored { return }
        restored = true
        if options.mouse { mousemask(0, nil) }
        writeRaw(Array("\u{1B}[?2004l".utf8))
        endwin()
        writeRaw(clearOnExit)  // no alternate screen to leave: clear the last frame away
        SignalBridge.disarm()
        SignalBridge.replayStderr()
    }
}
