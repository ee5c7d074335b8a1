import Testing
import DispoViewModel
@testable import DispoTerminal

/// Key codes as curses.h defines them (octal), so the tests read like ncurses input.
private let codes = KeyCodes(
    up: 0o403, down: 0o402, left: 0o404, right: 0o405, home: 0o406, end: 0o550, pageUp: 0o523,
    pageDown: 0o522, enter: 0o527, backspace: 0o407, delete: 0o512, insert: 0o513, backTab: 0o541,
    f0: 0o410, resize: 0o632, mouse: 0o631, shiftLeft: 0o611, shiftRight: 0o622, shiftHome: 0o607,
    shiftEnd: 0o606)

/// Feeds characters (as wget_wch would return them) then an end-of-input, collecting the output.
private func decode(_ tokens: [InputToken], decoder: inout KeyDecoder) -> [DecodedInput] {
    var out: [DecodedInput] = []
    for t in tokens { out += decoder.feed(t) }
    out += decoder.feed(.end)
    return out
}

private func decode(_ text: String) -> [DecodedInput] {
    var d = KeyDecoder(codes: codes)
    return decode(text.unicodeScalars.map { .char($0.value) }, decoder: &d)
}

@Suite("Key decoding")
struct KeyDecoderTests {
    @Test func printableAndControlCharacters() {
        #expect(decode("jé名") == [.key(.char("j")), .key(.char("é")), .key(.char("名"))])
        #expect(decode("\r\n\t\u{7F}\u{8}") == [.key(.enter), .key(.enter), .key(.tab), .key(.backspace), .key(.backspace)])
        #expect(decode("\u{1}\u{3}\u{5}\u{17}") == [.key(.ctrl("a")), .key(.ctrl("c")), .key(.ctrl("e")), .key(.ctrl("w"))])
        #expect(decode("\u{1A}") == [.suspend])
    }

    @Test func escapeAloneAndAltPrefix() {
        #expect(decode("\u{1B}") == [.key(.escape)])
        #expect(decode("\u{1B}b\u{1B}f") == [.key(.alt("b")), .key(.alt("f"))])
        #expect(decode("\u{1B}\u{7F}") == [.key(.ctrl("w"))])  // Alt-Backspace deletes a word
        var d = KeyDecoder(codes: codes)
        #expect(decode([.char(0x1B), .code(codes.backspace)], decoder: &d) == [.key(.ctrl("w"))])
        #expect(decode([.char(0x1B), .code(codes.up)], decoder: &d) == [.key(.escape), .key(.up)])
        #expect(decode("\u{1B}\u{1B}") == [.key(.escape), .key(.escape)])
    }

    @Test func functionKeyCodes() {
        var d = KeyDecoder(codes: codes)
        let tokens: [InputToken] = [.code(codes.up), .code(codes.pageDown), .code(codes.delete),
                                    .code(codes.backTab), .code(codes.f0 + 5), .code(codes.resize),
                                    .code(codes.mouse), .code(codes.shiftHome), .code(0o777)]
        #expect(decode(tokens, decoder: &d) == [.key(.up), .key(.pageDown), .key(.delete), .key(.backTab),
                                                 .key(.function(5)), .resize, .mouse, .key(.home)])
    }

    @Test func sequencesNcursesDidNotKnow() {
        // With a fallback TERM (vt100) the terminal's own keys arrive as raw CSI / SS3.
        #expect(decode("\u{1B}[A\u{1B}[1;5C\u{1B}OP\u{1B}[5~\u{1B}[3~\u{1B}[Z\u{1B}[24~") ==
                [.key(.up), .key(.right), .key(.function(1)), .key(.pageUp), .key(.delete), .key(.backTab),
                 .key(.function(12))])
        #expect(decode("\u{1B}[99x") == [])  // unknown: dropped, nothing typed
    }

    @Test func incompleteSequenceWaitsThenFlushes() {
        var d = KeyDecoder(codes: codes)
        #expect(decode([.char(0x1B), .char(0x5B)], decoder: &d) == [])
        #expect(d.isMidSequence)
        #expect(d.flush() == [.key(.alt("["))])
        #expect(!d.isMidSequence)
        // The rest of a split sequence arriving later completes it.
        #expect(decode([.char(0x1B), .char(0x5B), .char(0x36)], decoder: &d) == [])
        #expect(decode([.char(0x7E)], decoder: &d) == [.key(.pageDown)])
    }

    @Test func bracketedPasteIsOneKey() {
        #expect(decode("\u{1B}[200~+1 (555) 010-2030\r2nd line\u{1B}[201~x") ==
                [.key(.paste("+1 (555) 010-2030\n2nd line")), .key(.char("x"))])
    }

    @Test func pasteSplitAcrossReadsAndKeysInsideIt() {
        var d = KeyDecoder(codes: codes)
        #expect(decode("\u{1B}[200~ab".unicodeScalars.map { .char($0.value) }, decoder: &d) == [])
        #expect(d.isInPaste)
        // Function keys inside a paste are not text; a lone ESC that is not the end marker stays text.
        #expect(decode([.code(codes.up), .char(0x1B), .char(0x78)], decoder: &d) == [])
        #expect(decode("c\u{1B}[201~".unicodeScalars.map { .char($0.value) }, decoder: &d) ==
                [.key(.paste("ab\u{1B}xc"))])
    }

    @Test func unfinishedPasteIsDeliveredOnFlush() {
        var d = KeyDecoder(codes: codes)
        _ = decode("\u{1B}[200~note\u{1B}[20".unicodeScalars.map { .char($0.value) }, decoder: &d)
        #expect(d.flush() == [.key(.paste("note\u{1B}[20"))])
    }

    /// A keypad in application mode (the mode `keypad` switches on) sends `ESC O p` … `ESC O y` for its
    /// digits: they type the digits, `ESC O M` is Enter and the operator keys type `+ - * . /`.
    @Test func applicationKeypadTypesDigitsAndEnter() {
        let digits = "pqrstuvwxy".map { "\u{1B}O\($0)" }.joined()
        #expect(decode(digits) == "0123456789".map { .key(.char($0)) })
        #expect(decode("\u{1B}OM") == [.key(.enter)])
        #expect(decode("\u{1B}Ok\u{1B}Om\u{1B}Oj\u{1B}On\u{1B}Oo") == "+-*./".map { .key(.char($0)) })
        // A phone number on the keypad, then Enter, decodes as typed.
        let key: [Character: String] = ["0": "\u{1B}Op", "1": "\u{1B}Oq", "2": "\u{1B}Or", "5": "\u{1B}Ou"]
        let number = "5550102".map { key[$0]! }.joined()
        #expect(decode(number + "\u{1B}OM") == "5550102".map { .key(.char($0)) } + [.key(.enter)])
        // The same letters after CSI are not keypad keys.
        #expect(decode("\u{1B}[p") == [])
    }

    /// Keypad keys ncurses decodes itself from terminfo (ka1 kb2 …: 7 5 … on the keypad) type digits.
    @Test func keypadCodesFromTerminfoTypeDigits() {
        var withKeypad = codes
        withKeypad.keypadKeys = [0o534: "7", 0o535: "9", 0o536: "5", 0o537: "1", 0o540: "3"]
        var d = KeyDecoder(codes: withKeypad)
        #expect(decode([.code(0o534), .code(0o536), .code(0o540), .code(0o537), .code(0o535)], decoder: &d) ==
                "75319".map { .key(.char($0)) })
        var plain = KeyDecoder(codes: codes)
        #expect(decode([.code(0o534)], decoder: &plain) == [], "without the map the code is dropped")
    }
}
