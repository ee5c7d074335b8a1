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
        personAnswered(&s)
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
        (["log": ["j"], "down": ["j"]], "j is already bound to"),
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

    /// A key given to one action leaves the defaults of actions the file does not mention: `down = "n"`
    /// takes `n` from the quick no-answer, which keeps no other key (its hint goes), not the file refused.
    @Test func aKeyTakenFromADefaultLeavesThatAction() throws {
        let km = try Keymap(overrides: ["down": ["n"]])
        #expect(km.listAction(.char("n")) == .down && km.keys(.noAnswer).isEmpty)
        var s = Fixtures.ready(size: Size(cols: 120, rows: 30))
        s.environment.keymap = km
        let hints = String(screen(s, s.size).split(separator: "\n").last!)
        #expect(hints.contains("v/b no ans/VM/busy") && !hints.contains("/v/b"), "\(hints)")
    }

    @Test func swappingTwoKeysIsAllowed() throws {
        let km = try Keymap(overrides: ["down": ["k"], "up": ["j"]])
        #expect(km.listAction(.char("k")) == .down && km.listAction(.char("j")) == .up)
    }

    // MARK: A rebinding shows everywhere

    /// Every key the rep sees named is the rebound one: hints, help, the detail's scroll line, empty lists.
    static func rebound() throws -> Keymap {
        try Keymap(overrides: ["down": ["n"], "filter": ["s"], "copy_number": ["c"], "help": ["h"], "tab_calls": ["w"],
                               "send": ["ctrl-x"], "refresh": ["u"]])
    }

    /// The keys the help overlay shows for the row whose words are exactly `words`, as drawn in its key column.
    private func helpKeys(_ text: String, _ words: String) -> String? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "│", omittingEmptySubsequences: false)
            guard parts.count >= 3, let r = parts[1].range(of: "  " + words) else { continue }
            guard parts[1][r.upperBound...].allSatisfy({ $0 == " " }) else { continue }
            return parts[1][..<r.lowerBound].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    @Test func tasksHintsAndHelpShowTheReboundKeys() throws {
        var s = Fixtures.ready(size: Size(cols: 120, rows: 30))
        s.environment.keymap = try Self.rebound()
        let hints = String(screen(s, s.size).split(separator: "\n").last!)
        for words in ["n/k move", "s search", "u refresh", "1/w/3/4 tabs", "h help"] {
            #expect(hints.contains(words), "\(words) in \(hints)")
        }
        #expect(!hints.contains("j/k") && !hints.contains("? help") && !hints.contains("R refresh"), "\(hints)")
        press(&s, .char("h"))
        #expect(s.modal == .help(top: 0))
        let help = screen(s, s.size)
        #expect(helpKeys(help, "move down / up") == "n/↓ k/↑")
        #expect(helpKeys(help, "search text (Esc clears)") == "s")
        #expect(helpKeys(help, "copy last number / task id") == "c Y")
        #expect(helpKeys(help, "refresh") == "u/F5")
        #expect(helpKeys(help, "this help") == "h/F1")
    }

    @Test func theLogFormShowsTheReboundSendKey() throws {
        var s = Fixtures.ready(size: Size(cols: 120, rows: 30))
        s.environment.keymap = try Self.rebound()
        press(&s, .enter)
        let hints = String(screen(s, s.size).split(separator: "\n").last!)
        #expect(hints.contains("Ctrl-X send") && !hints.contains("Ctrl-S"), "\(hints)")
        press(&s, .function(1))
        #expect(helpKeys(screen(s, s.size), "send (the only key that sends)") == "Ctrl-X")
    }

    @Test func theDetailScrollLineAndMovingUseTheReboundKeys() throws {
        var calls = Fixtures.calls
        calls[0].notes = (1...80).map { "Line \($0) of the notes." }.joined(separator: "\n")
        var s = Fixtures.ready(calls: calls)
        s.environment.keymap = try Self.rebound()
        press(&s, .char("j"))
        #expect(s.tasks.list.cursor == 0, "j no longer moves")
        press(&s, .char("n"))
        #expect(s.tasks.list.cursor == 1)
        press(&s, .char("w"))
        #expect(s.tab == .calls)
        press(&s, .char("j"))
        #expect(s.calls.list.cursor == 0)
        press(&s, .char("n"), .char("k"))
        #expect(s.calls.list.cursor == 0)
        press(&s, .enter)
        #expect(s.calls.detail.isOpen)
        var lines = screen(s).split(separator: "\n")
        #expect(lines[21].contains("more lines") && lines[21].contains("n/k PgDn/PgUp scroll"), "\(lines[21])")
        #expect(lines[23].contains("n/k PgDn/PgUp scroll"), "the hint line too: \(lines[23])")
        press(&s, .char("j"))
        #expect(s.calls.detail.scroll == 0)
        press(&s, .char("n"), .char("n"))
        #expect(s.calls.detail.scroll == 2)
        lines = screen(s).split(separator: "\n")
        #expect(!lines.contains { $0.contains("j/k") })
    }

    @Test func emptyListsAndRetriesNameTheReboundRefreshKey() throws {
        var s = Fixtures.ready(calls: [], tasks: [])
        s.environment.keymap = try Self.rebound()
        #expect(screen(s).contains("No open phone tasks. u refreshes; calls are on tab w."))
        _ = reduce(&s, .callsFailed(APIFailure(kind: .server, status: 503, message: "unavailable")))
        #expect(s.session.status?.text == "Could not load calls: unavailable (u retries)")
        press(&s, .char("w"), .escape)
        #expect(s.session.status == nil)
        #expect(screen(s).contains("unavailable (u retries)"), "the empty list says the load's error")
        var t = AppState(environment: Fixtures.env)
        t.environment.keymap = try Self.rebound()
        _ = reduce(&t, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&t, .accountFailed(APIFailure(kind: .notSent, message: "connection refused")))
        #expect(screen(t).split(separator: "\n")[23].hasPrefix("u retry  q quit"))
    }

    /// A key bound to an action that also has it as a fixed key is shown once.
    @Test func aKeyIsLabelledOnce() throws {
        let km = try Keymap(overrides: ["page_down": ["pgdn"]])
        #expect(km.label(.pageDown) == "PgDn")
    }
}
