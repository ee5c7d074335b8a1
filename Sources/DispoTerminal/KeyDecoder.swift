import DispoViewModel

/// One unit of input as ncurses' `wget_wch` reports it.
enum InputToken: Equatable, Sendable {
    /// A character (`wget_wch` returned OK): a Unicode scalar value, control characters included.
    case char(UInt32)
    /// A function key code (`wget_wch` returned KEY_CODE_YES): `KEY_UP`, `KEY_RESIZE`, …
    case code(Int32)
    /// No more input right now (`wget_wch` returned ERR in no-delay mode).
    case end
}

/// What the decoder asks the UI loop to do.
enum DecodedInput: Equatable, Sendable {
    case key(Key)
    /// `KEY_RESIZE`: re-read the size.
    case resize
    /// `KEY_MOUSE`: fetch the event with `getmouse`.
    case mouse
    /// Ctrl-Z: suspend like a shell job.
    case suspend
}

/// ncurses key codes the decoder understands (the values of `KEY_*` in curses.h), passed in so the
/// decoder itself stays free of ncurses and testable.
struct KeyCodes: Sendable {
    var up: Int32, down: Int32, left: Int32, right: Int32, home: Int32, end: Int32
    var pageUp: Int32, pageDown: Int32, enter: Int32, backspace: Int32, delete: Int32, insert: Int32
    var backTab: Int32, f0: Int32, resize: Int32, mouse: Int32
    var shiftLeft: Int32, shiftRight: Int32, shiftHome: Int32, shiftEnd: Int32
    /// Key codes ncurses gives the keypad's keys in application mode, from terminfo (`KEY_A1` … for
    /// ka1 ka3 kb2 kc1 kc3, codes of its own for the extended kc2 kpZRO kpADD …), and what each types:
    /// the digit or sign on the key.
    var keypadKeys: [Int32: Character] = [:]
}

/// Turns `wget_wch` results into `Key`s (the keys of every screen, readline keys in text fields).
///
/// - `ESC` followed (within ncurses' ESC delay) by a printable character → `.alt(c)`; `ESC` alone →
///   `.escape`; `ESC` + Backspace → `.ctrl("w")` (delete previous word, as readline does).
/// - `ESC [ 200 ~ … ESC [ 201 ~` (bracketed paste) → one `.paste(text)`, CR turned into LF.
/// - CSI / SS3 sequences ncurses did not know (e.g. with a fallback TERM) → arrows, Home/End, PgUp/PgDn,
///   Insert/Delete, F1–F12, Shift-Tab; others are dropped.
/// - The keypad in application mode (DECKPAM, which `keypad` turns on): `ESC O p` … `ESC O y` → the
///   digits 0–9, `ESC O M` → Enter, `ESC O k m j n o l X` → `+ - * . / , =`, as VT100 and xterm send
///   them; the keypad codes ncurses decodes itself from terminfo (`KEY_A1`, kpZRO, …) → the same.
/// - C0 controls → `.enter` (CR, LF), `.tab`, `.backspace` (DEL, BS), Ctrl-Z → suspend, other
///   Ctrl-letters → `.ctrl(letter)`.
struct KeyDecoder: Sendable {
    enum State: Equatable, Sendable {
        case ground
        case escape
        /// Inside `ESC [` or `ESC O`: the bytes after the introducer so far.
        case sequence(introducer: UInt32, body: [UInt32])
        /// Inside a bracketed paste: the text so far and the bytes of a possible end marker.
        case paste(text: String, marker: [UInt32])
    }

    private(set) var state: State = .ground
    let codes: KeyCodes

    init(codes: KeyCodes) { self.codes = codes }

    /// True while a sequence or a paste is incomplete: the UI loop then polls with a timeout and calls
    /// `flush()` when nothing more arrives.
    var isMidSequence: Bool {
        switch state { case .ground, .escape: false; case .sequence, .paste: true }
    }
    /// True inside a bracketed paste (a longer timeout applies: pastes can be slow over SSH).
    var isInPaste: Bool { if case .paste = state { true } else { false } }

    /// Gives up on an incomplete sequence: an unfinished paste is delivered as it is; an unfinished CSI is
    /// dropped (`ESC [` alone becomes `.alt("[")`).
    mutating func flush() -> [DecodedInput] {
        let s = state
        state = .ground
        switch s {
        case .ground: return []
        case .escape: return [.key(.escape)]
        case .sequence(let intro, let body):
            return body.isEmpty ? [.key(.alt(Character(Unicode.Scalar(intro)!)))] : []
        case .paste(var text, let marker):
            for v in marker { Self.appendPasted(v, to: &text) }
            return text.isEmpty ? [] : [.key(.paste(text))]
        }
    }

    mutating func feed(_ token: InputToken) -> [DecodedInput] {
        switch state {
        case .ground:
            return ground(token)
        case .escape:
            switch token {
            case .end:
                state = .ground
                return [.key(.escape)]
            case .char(let v):
                if v == 0x5B || v == 0x4F {  // '[' or 'O'
                    state = .sequence(introducer: v, body: [])
                    return []
                }
                if v == 0x7F || v == 0x08 { state = .ground; return [.key(.ctrl("w"))] }
                if v == 0x1B { return [.key(.escape)] }  // ESC ESC: one Escape, still after an ESC
                if v >= 0x20, let scalar = Unicode.Scalar(v) {
                    state = .ground
                    return [.key(.alt(Character(scalar)))]
                }
                state = .ground
                return [.key(.escape)] + ground(token)
            case .code(let c):
                state = .ground
                if c == codes.backspace { return [.key(.ctrl("w"))] }  // Alt-Backspace with kbs = ^?
                return [.key(.escape)] + ground(token)
            }
        case .sequence(let intro, var body):
            switch token {
            case .end:
                return []  // wait for the rest (flush() on timeout)
            case .code:
                state = .ground
                return ground(token)
            case .char(let v):
                if v < 0x20 || v > 0x7E {  // not part of a sequence: drop the sequence, decode v
                    state = .ground
                    return ground(token)
                }
                body.append(v)
                if v >= 0x40 {  // final byte
                    state = .ground
                    return finishSequence(introducer: intro, body: body)
                }
                if body.count > 32 { state = .ground; return [] }  // runaway: drop it
                state = .sequence(introducer: intro, body: body)
                return []
            }
        case .paste(var text, var marker):
            switch token {
            case .end: return []
            case .code: return []  // function keys inside a paste are not text
            case .char(let v):
                let endMarker: [UInt32] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]  // ESC [ 2 0 1 ~
                if marker.isEmpty && v != 0x1B {
                    Self.appendPasted(v, to: &text)
                    state = .paste(text: text, marker: [])
                    return []
                }
                marker.append(v)
                if marker == endMarker {
                    state = .ground
                    return [.key(.paste(text))]
                }
                if endMarker.starts(with: marker) {
                    state = .paste(text: text, marker: marker)
                    return []
                }
                // Not the end marker: the bytes were text (an ESC in pasted text stays visible later).
                let last = marker.removeLast()
                for m in marker { Self.appendPasted(m, to: &text) }
                state = .paste(text: text, marker: [])
                return feed(.char(last))
            }
        }
    }

    private static func appendPasted(_ v: UInt32, to text: inout String) {
        if v == 0x0D { text.append("\n"); return }
        if let scalar = Unicode.Scalar(v) { text.unicodeScalars.append(scalar) }
    }

    private mutating func ground(_ token: InputToken) -> [DecodedInput] {
        switch token {
        case .end: return []
        case .code(let c): return decode(code: c)
        case .char(let v):
            switch v {
            case 0x1B: state = .escape; return []
            case 0x0D, 0x0A: return [.key(.enter)]
            case 0x09: return [.key(.tab)]
            case 0x7F, 0x08: return [.key(.backspace)]
            case 0x1A: return [.suspend]
            case 0x01...0x1A: return [.key(.ctrl(Character(Unicode.Scalar(v + 0x60)!)))]
            case 0x00, 0x1C...0x1F, 0x80...0x9F: return []
            default:
                guard let scalar = Unicode.Scalar(v) else { return [] }
                return [.key(.char(Character(scalar)))]
            }
        }
    }

    private func decode(code c: Int32) -> [DecodedInput] {
        let k = codes
        switch c {
        case k.up: return [.key(.up)]
        case k.down: return [.key(.down)]
        case k.left, k.shiftLeft: return [.key(.left)]
        case k.right, k.shiftRight: return [.key(.right)]
        case k.home, k.shiftHome: return [.key(.home)]
        case k.end, k.shiftEnd: return [.key(.end)]
        case k.pageUp: return [.key(.pageUp)]
        case k.pageDown: return [.key(.pageDown)]
        case k.enter: return [.key(.enter)]
        case k.backspace: return [.key(.backspace)]
        case k.delete: return [.key(.delete)]
        case k.insert: return [.key(.insert)]
        case k.backTab: return [.key(.backTab)]
        case k.resize: return [.resize]
        case k.mouse: return [.mouse]
        case (k.f0 + 1)...(k.f0 + 12): return [.key(.function(Int(c - k.f0)))]
        default:
            if let typed = k.keypadKeys[c] { return [.key(.char(typed))] }
            return []
        }
    }

    /// What the keys of a keypad in application mode type, by the final byte of their `ESC O` sequence.
    static let applicationKeypad: [Character: Character] = [
        "p": "0", "q": "1", "r": "2", "s": "3", "t": "4", "u": "5", "v": "6", "w": "7", "x": "8", "y": "9",
        "k": "+", "m": "-", "j": "*", "n": ".", "o": "/", "l": ",", "X": "=",
    ]

    private mutating func finishSequence(introducer: UInt32, body: [UInt32]) -> [DecodedInput] {
        let text = String(String.UnicodeScalarView(body.compactMap(Unicode.Scalar.init)))
        if introducer == 0x5B && text == "200~" {
            state = .paste(text: "", marker: [])
            return []
        }
        guard let final = text.last else { return [] }
        let params = String(text.dropLast())
        // Modifiers (`1;5A`) are ignored: the base key is reported.
        let first = params.split(separator: ";").first.map(String.init) ?? ""
        switch final {
        case "A": return [.key(.up)]
        case "B": return [.key(.down)]
        case "C": return [.key(.right)]
        case "D": return [.key(.left)]
        case "H": return [.key(.home)]
        case "F": return [.key(.end)]
        case "Z": return [.key(.backTab)]
        case "M" where introducer == 0x4F: return [.key(.enter)]
        case "P" where introducer == 0x4F: return [.key(.function(1))]
        case "Q" where introducer == 0x4F: return [.key(.function(2))]
        case "R" where introducer == 0x4F: return [.key(.function(3))]
        case "S" where introducer == 0x4F: return [.key(.function(4))]
        case _ where introducer == 0x4F && params.isEmpty && Self.applicationKeypad[final] != nil:
            return [.key(.char(Self.applicationKeypad[final]!))]
        case "~":
            switch first {
            case "1", "7": return [.key(.home)]
            case "4", "8": return [.key(.end)]
            case "2": return [.key(.insert)]
            case "3": return [.key(.delete)]
            case "5": return [.key(.pageUp)]
            case "6": return [.key(.pageDown)]
            case "11": return [.key(.function(1))]
            case "12": return [.key(.function(2))]
            case "13": return [.key(.function(3))]
            case "14": return [.key(.function(4))]
            case "15": return [.key(.function(5))]
            case "17": return [.key(.function(6))]
            case "18": return [.key(.function(7))]
            case "19": return [.key(.function(8))]
            case "20": return [.key(.function(9))]
            case "21": return [.key(.function(10))]
            case "23": return [.key(.function(11))]
            case "24": return [.key(.function(12))]
            default: return []
            }
        default: return []
        }
    }
}
