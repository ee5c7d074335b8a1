import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Configurable keys: `[keys]` in config.toml → `Keymap(overrides:)`, and what the rebound keys do.
@Suite("Keys") struct KeysTests {
    init() { useUTF8Locale() }

    @Test func parsesKeySpecs() {
        #expect(parseKeySpec("j") == .char("j"))
        #expect(parseKeySpec("G") == .char("G"))
        #expect(parseKeySpec("ctrl-n") == .ctrl("n"))
        #expect(parseKeySpec("C-N") == .ctrl("n"))
        #expect(parseKeySpec("^t") == .ctrl("t"))
        #expect(parseKeySpec("alt-x") == .alt("x"))
        #expect(parseKeySpec("PgDn") == .pageDown)
        #expect(parseKeySpec("space") == .char(" "))
        #expect(parseKeySpec("F5") == .function(5))
        for bad in ["", "jj", "ctrl-", "ctrl-1", "f13", "hyper-x", "\u{1B}"] { #expect(parseKeySpec(bad) == nil, "\(bad)") }
    }

    @Test func overridesReplaceDefaultsAndFixedKeysStay() throws {
        let km = try Keymap(overrides: ["down": ["n"], "up": ["e"], "log": ["L", "ctrl-o"]])
        #expect(km.listAction(.char("n")) == .down)
        #expect(km.listAction(.down) == .down, "arrows stay")
        #expect(km.listAction(.char("j")) == nil, "the replaced default is free")
        #expect(km.listAction(.ctrl("o")) == .log && km.listAction(.char("L")) == .log)
        #expect(km.label(.down) == "n/↓")
        var s = Fixtures.ready(calls: Fixtures.manyCalls(10))
        s.environment.keymap = km
        press(&s, .char("2"), .char("n"), .char("n"), .char("e"), .char("j"))
        #expect(s.calls.list.cursor == 1)
        // Help and hints show the effective keys.
        press(&s, .char("?"))
        let text = gridText(render(s, size: s.size, options: RenderOptions()))
        #expect(text.contains("n/↓ e/↑"))
        #expect(text.contains("L/Ctrl-O"))
        press(&s, .escape)
        let hints = gridText(render(s, size: s.size, options: RenderOptions())).split(separator: "\n").last!
        #expect(hints.contains("L log"))
    }

    @Test func formKeysAreConfigurable() throws {
        var s = Fixtures.ready()
        s.environment.keymap = try Keymap(overrides: ["send": ["ctrl-x"], "timer": ["f9"]])
        press(&s, .enter)
        type(&s, "+351 912 000 111")
        press(&s, .tab, .tab)
        type(&s, "95")
        #expect(press(&s, .ctrl("s")).isEmpty, "Ctrl-S no longer sends")
        #expect(s.logForm.form != nil)
        press(&s, .function(9))
        #expect(s.logForm.timer != nil)
        let effects = press(&s, .ctrl("x"))
        guard case .io(.submitLog(_, let r, _))? = effects.first else { Issue.record("not sent: \(effects)"); return }
        #expect(r.duration == 95, "a typed duration wins over the timer")
        #expect(s.logForm.timer == nil)
    }

    @Test(arguments: [
        (["donw": ["j"]], "unknown key action `donw`"),
        (["down": ["jj"]], "cannot read the key \"jj\""),
        (["down": []], "needs at least one key"),
        (["log": ["j"]], "`log`: j is already bound to `down`"),
        (["send": ["s"]], "must be a Ctrl, Alt or F key"),
        (["quit": ["esc"]], "reserved"),
    ])
    func invalidOverridesNameTheAction(_ overrides: [String: [String]], _ message: String) {
        do {
            _ = try Keymap(overrides: overrides)
            Issue.record("accepted \(overrides)")
        } catch let e as KeymapError {
            #expect(e.message.contains(message), "\(e.message)")
            #expect(overrides[e.action] != nil)
        } catch { Issue.record("\(error)") }
    }

    @Test func swappingTwoKeysIsAllowed() throws {
        let km = try Keymap(overrides: ["down": ["k"], "up": ["j"]])
        #expect(km.listAction(.char("k")) == .down && km.listAction(.char("j")) == .up)
    }
}
