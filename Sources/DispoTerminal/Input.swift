import CNcursesw
import DispoViewModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading the terminal: keys through the decoder, pastes with and without bracketed paste, the mouse,
/// and the size after a resize.
extension TerminalUI {
    /// True when the terminal has unread input.
    func inputPending() -> Bool {
        var fd = pollfd(fd: inFd, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, 0) > 0 && fd.revents & Int16(POLLIN) != 0
    }

    /// Reads everything the terminal has now (`wget_wch` until ERR) and turns it into Msgs: keys, a
    /// paste, mouse events, a resize; Ctrl-Z suspends here. A half-read sequence is given up (flushed as
    /// keys) once no byte came for 90 % of its limit: 100 ms for a key sequence, 1 s inside a paste.
    func readInput() -> [Msg] {
        var msgs: [Msg] = []
        var outputs: [DecodedInput] = []
        var sawInput = false
        var wch: wint_t = 0
        while true {
            if !readsUTF8 {
                // No UTF-8 locale: ncurses would drop bytes over 0x7F, so read bytes and decode them here.
                let c = wgetch(dispo_stdscr())
                if c == ERR {
                    for v in utf8Input.flush() { outputs += decoder.feed(.char(v)) }
                    outputs += decoder.feed(.end)
                    break
                }
                sawInput = true
                if c >= 0x100 { outputs += decoder.feed(.code(c)); continue }
                for v in utf8Input.feed(UInt8(truncatingIfNeeded: c)) { outputs += decoder.feed(.char(v)) }
                continue
            }
            let rc = wget_wch(dispo_stdscr(), &wch)
            if rc == ERR {
                outputs += decoder.feed(.end)
                break
            }
            sawInput = true
            if rc != KEY_CODE_YES && wch >= 0x80 && !blitter.unicode { showTextAsTyped() }
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

    /// The terminal sent UTF-8 text although the locale is not UTF-8 (LANG=C over SSH, say): it is a
    /// UTF-8 terminal, so from now on text is drawn as it is, not as `?`, and lines in Unicode.
    private func showTextAsTyped() {
        unicode = true
        blitter.unicode = true
        forceFullRedraw = true
    }

    /// Text pasted into a terminal without bracketed paste (GNU screen, some SSH clients, `tmux
    /// paste-buffer` without `-p`) arrives as keystrokes, its line breaks as Enter, which would move
    /// through the form, answer prompts and send a half-typed log. A person cannot type several
    /// characters *and* Enter within one read of the terminal, so such a batch (at least 8 characters
    /// and a line break) is taken as one paste.
    ///
    /// Returns the pasted text (Enter as `\n`, Tab as `\t`), or nil when `outputs` are keys.
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

    /// The pending mouse event as a key: wheel up / down, or a button-1 press or click; nil for others.
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

    /// Re-reads the size from the kernel; when it changed, resizes ncurses, forces a full redraw and
    /// returns `.resize`.
    func checkResize() -> Msg? {
        var rows: Int32 = 0, cols: Int32 = 0
        if dispo_tty_size(outFd, &rows, &cols) != 0 || rows <= 0 || cols <= 0 {
            rows = dispo_lines(); cols = dispo_cols()
        }
        rows = max(1, rows); cols = max(1, cols)
        if rows != dispo_lines() || cols != dispo_cols() {
            resizeterm(rows, cols)
        }
        let new = Size(cols: Int(cols), rows: Int(rows))
        guard setSize(new) else { return nil }
        forceFullRedraw = true
        return .resize(new)
    }
}
