import Foundation

/// Copying to the rep's local clipboard with OSC 52, which works over SSH because the terminal emulator
/// on the rep's machine does the copy.
public enum OSC52 {
    /// Largest base64 payload written (bytes). xterm's default limit is about 100 000 bytes and tmux
    /// passes at most its input buffer; 74 994 is what other terminal tools use to stay under both.
    public static let maxBase64Bytes = 74_994

    /// What a copy request turns into.
    public enum Plan: Equatable, Sendable {
        /// Write `bytes` to the terminal; `via` names the route for the status line ("OSC 52",
        /// "OSC 52, through tmux", "tmux passthrough").
        case write(bytes: [UInt8], via: String)
        /// The payload would be `base64Bytes` long, over `maxBase64Bytes`: nothing is written.
        case tooLarge(base64Bytes: Int)
        /// Clipboard mode `off`: nothing is written.
        case disabled
    }

    /// Builds the escape sequence for `text`.
    ///
    /// - `osc52`: `ESC ] 52 ; c ; <base64 of UTF-8 text> BEL`.
    /// - `auto`: plain OSC 52; inside tmux both the plain sequence (taken by tmux with `set-clipboard on`)
    ///   and the passthrough-wrapped one (forwarded with `allow-passthrough on`), as tmux's defaults
    ///   (`external`, passthrough off) take neither.
    /// - `tmux`: the same sequence inside tmux's DCS passthrough, for tmux with `set-clipboard off` and
    ///   `allow-passthrough on`: `ESC P tmux; ESC ESC ] 52 ; c ; <base64> BEL ESC \` (ESCs doubled).
    /// - `off`: `.disabled`.
    public static func plan(text: String, mode: ClipboardMode, inTmux: Bool) -> Plan {
        if mode == .off { return .disabled }
        let payload = Data(text.utf8).base64EncodedString()
        if payload.utf8.count > maxBase64Bytes { return .tooLarge(base64Bytes: payload.utf8.count) }
        let osc: [UInt8] = Array("\u{1B}]52;c;".utf8) + Array(payload.utf8) + [0x07]
        if mode == .osc52 || (mode == .auto && !inTmux) { return .write(bytes: osc, via: "OSC 52") }
        var wrapped: [UInt8] = Array("\u{1B}Ptmux;".utf8)
        for byte in osc {
            if byte == 0x1B { wrapped.append(0x1B) }
            wrapped.append(byte)
        }
        wrapped += [0x1B, UInt8(ascii: "\\")]
        if mode == .tmux { return .write(bytes: wrapped, via: "tmux passthrough") }
        // auto inside tmux: tmux takes plain OSC 52 only with `set-clipboard on`, and forwards the
        // wrapped form only with `allow-passthrough on`; both are off by default, so send both.
        return .write(bytes: osc + wrapped, via: "OSC 52 via tmux: needs its set-clipboard on")
    }

    /// A short, safe description of copied text for the status line: at most `limit` characters (control
    /// characters shown as `?`), then `…` and the byte count when longer.
    public static func describe(_ text: String, limit: Int = 32) -> String {
        var shown = ""
        var count = 0
        for ch in text {
            if count == limit { break }
            let safe = ch.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) }
            shown.append(safe ? ch : "?")
            count += 1
        }
        if text.count > limit { return "\"\(shown)…\" (\(text.utf8.count) bytes)" }
        return "\"\(shown)\""
    }
}

extension TerminalUI {
    /// OSC 52 copy: writes the sequence `OSC52.plan` makes (after ncurses' output) and posts
    /// `.clipboardSent`, or an error status message when the clipboard is off or the text is too large.
    func copyToClipboard(_ text: String) {
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
}
