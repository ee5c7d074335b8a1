import Foundation

/// Copying to the rep's local clipboard with OSC 52, which works over SSH because the terminal emulator
/// on the rep's machine does the copy.
public enum OSC52 {
    /// Largest base64 payload written (bytes). xterm's default limit is about 100 000 bytes and tmux
    /// passes at most its input buffer; 74 994 is what other terminal tools use to stay under both.
    public static let maxBase64Bytes = 74_994

    /// The terminal multiplexer dispo runs inside, which decides how OSC 52 must be wrapped to get out.
    public enum Multiplexer: Equatable, Sendable {
        case none, tmux, screen

        /// tmux when `TMUX` is set (non-empty), else GNU screen when `STY` is set, else none. Inside
        /// both (one in the other), tmux's variable wins: the inner one cannot be told from the outer.
        public init(environment: [String: String]) {
            if !(environment["TMUX"] ?? "").isEmpty { self = .tmux }
            else if !(environment["STY"] ?? "").isEmpty { self = .screen }
            else { self = .none }
        }
    }

    /// Longest piece of a sequence sent in one GNU screen passthrough string (bytes). screen drops a
    /// string longer than its buffer whole (screen 4.09: a 7.5 kB OSC 52 in one string never reached the
    /// terminal, the same in 76-byte pieces did); 76 is what other terminal tools use.
    public static let screenChunkBytes = 76

    /// What a copy request turns into.
    public enum Plan: Equatable, Sendable {
        /// Write `bytes` to the terminal; `via` ends the status line's sentence, saying what was sent
        /// and how ("to the terminal's clipboard (OSC 52)", "as OSC 52 through GNU screen", …).
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
    ///   (`external`, passthrough off) take neither; inside GNU screen the sequence in screen's
    ///   passthrough: `ESC P <piece> ESC \` for each piece of at most `screenChunkBytes` bytes, which
    ///   screen forwards, unchanged and joined, to the terminal it runs in.
    /// - `tmux`: the same sequence inside tmux's DCS passthrough, for tmux with `set-clipboard off` and
    ///   `allow-passthrough on`: `ESC P tmux; ESC ESC ] 52 ; c ; <base64> BEL ESC \` (ESCs doubled).
    /// - `off`: `.disabled`.
    public static func plan(text: String, mode: ClipboardMode, multiplexer: Multiplexer) -> Plan {
        if mode == .off { return .disabled }
        let payload = Data(text.utf8).base64EncodedString()
        if payload.utf8.count > maxBase64Bytes { return .tooLarge(base64Bytes: payload.utf8.count) }
        let osc: [UInt8] = Array("\u{1B}]52;c;".utf8) + Array(payload.utf8) + [0x07]
        let plain = "to the terminal's clipboard (OSC 52)"
        switch (mode, multiplexer) {
        case (.osc52, _), (.auto, .none): return .write(bytes: osc, via: plain)
        case (.auto, .screen): return .write(bytes: screenPassthrough(osc), via: "as OSC 52 through GNU screen")
        case (.tmux, _): return .write(bytes: tmuxPassthrough(osc), via: "as OSC 52 through tmux passthrough")
        case (.auto, .tmux):
            // tmux takes plain OSC 52 only with `set-clipboard on`, and forwards the wrapped form only
            // with `allow-passthrough on`; both are off by default, so send both.
            return .write(bytes: osc + tmuxPassthrough(osc), via: "as OSC 52 (tmux needs set-clipboard on)")
        case (.off, _): return .disabled
        }
    }

    /// `sequence` in tmux's DCS passthrough: `ESC P tmux;`, the sequence with each ESC doubled, `ESC \`.
    static func tmuxPassthrough(_ sequence: [UInt8]) -> [UInt8] {
        var wrapped: [UInt8] = Array("\u{1B}Ptmux;".utf8)
        for byte in sequence {
            if byte == 0x1B { wrapped.append(0x1B) }
            wrapped.append(byte)
        }
        return wrapped + [0x1B, UInt8(ascii: "\\")]
    }

    /// `sequence` in GNU screen's passthrough: cut into pieces of at most `screenChunkBytes` bytes, each
    /// sent as `ESC P <piece> ESC \`.
    static func screenPassthrough(_ sequence: [UInt8]) -> [UInt8] {
        var wrapped: [UInt8] = []
        wrapped.reserveCapacity(sequence.count + (sequence.count / screenChunkBytes + 1) * 4)
        var start = 0
        while start < sequence.count {
            let end = min(start + screenChunkBytes, sequence.count)
            wrapped += [0x1B, UInt8(ascii: "P")]
            wrapped += sequence[start..<end]
            wrapped += [0x1B, UInt8(ascii: "\\")]
            start = end
        }
        return wrapped
    }

    /// The status line's sentence after a copy was written: what was sent (`text` described in at most
    /// 16 characters) and `via`, how. Never says the clipboard changed: the terminal does not answer.
    /// At most 78 columns for every `via` that `plan` gives.
    public static func sentMessage(_ text: String, via: String) -> String {
        "Sent \(describe(text, limit: 16)) \(via)"
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
    /// OSC 52 copy: writes the sequence `OSC52.plan` makes (after ncurses' output) and says on the status
    /// line what was sent (`OSC52.sentMessage`), or an error when the clipboard is off or the text is
    /// too large.
    func copyToClipboard(_ text: String) {
        let multiplexer = OSC52.Multiplexer(environment: ProcessInfo.processInfo.environment)
        switch OSC52.plan(text: text, mode: options.clipboard, multiplexer: multiplexer) {
        case .disabled:
            post(.statusMessage("clipboard is off (clipboard = off): nothing copied", isError: true))
        case .tooLarge(let n):
            post(.statusMessage("not copied: \(n) bytes of base64 is over the \(OSC52.maxBase64Bytes)-byte limit",
                                isError: true))
        case .write(let bytes, let via):
            writeRaw(bytes)
            post(.statusMessage(OSC52.sentMessage(text, via: via), isError: false))
        }
    }
}
