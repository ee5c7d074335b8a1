import DispoViewModel
import Testing
@testable import DispoTerminal

/// Text pasted without bracketed paste must arrive as one paste, not as keys: a paste with line breaks
/// must not send a half-typed log, nor answer a prompt with a `y` from the text.
@Suite("Unbracketed paste")
struct UnbracketedPasteTests {
    private func keys(_ text: String) -> [DecodedInput] {
        text.map { $0 == "\n" ? .key(.enter) : .key(.char($0)) }
    }

    @Test func charactersAndLineBreaksInOneReadAreOnePaste() {
        #expect(TerminalUI.unbracketedPaste(keys("Spoke to gatekeeper\nyes will call back\n")) == "Spoke to gatekeeper\nyes will call back\n")
    }

    @Test func typingIsNotAPaste() {
        // One key per read, as a person types; a lone Enter; two characters without a line break.
        #expect(TerminalUI.unbracketedPaste(keys("y")) == nil)
        #expect(TerminalUI.unbracketedPaste([.key(.enter)]) == nil)
        #expect(TerminalUI.unbracketedPaste(keys("ab")) == nil)
        #expect(TerminalUI.unbracketedPaste(keys("abc")) == nil, "no line break: ordinary keys (e.g. a fast typist)")
        #expect(TerminalUI.unbracketedPaste(keys("a\n")) == nil, "one character and Enter can be typed quickly")
        #expect(TerminalUI.unbracketedPaste(keys("jj\n")) == nil, "keys bunched by a slow link stay keys")
        #expect(TerminalUI.unbracketedPaste(keys("95\n")) == nil)
    }

    @Test func aBatchWithOtherKeysIsLeftAlone() {
        #expect(TerminalUI.unbracketedPaste([.key(.char("a")), .key(.char("b")), .key(.enter), .key(.up)]) == nil)
    }
}
