import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Whole screens as golden snapshots (`Snapshots/`): loading, errors, empty lists, terminals too small,
/// no colour, hostile server strings.
@Suite("App screens") struct AppScreensTests: SnapshotSuite {
    init() { useUTF8Locale() }

    @Test func loadingFirstFrame() {
        var s = AppState(environment: Fixtures.env)
        let effects = reduce(&s, .resize(Self.small))
        #expect(effects == [.io(.load(.account)), .io(.load(.users)), .io(.load(.dispositions))])
        shot(s, "App/loading")
    }

    @Test func errorState() {
        var s = AppState(environment: Fixtures.env)
        _ = reduce(&s, .resize(Self.small))
        _ = reduce(&s, .accountFailed(APIFailure(kind: .unauthorized, status: 401, message: "unauthorized")))
        shot(s, "App/error-unauthorized")
        var t = AppState(environment: Fixtures.env)
        _ = reduce(&t, .resize(Self.small))
        _ = reduce(&t, .accountFailed(APIFailure(kind: .notSent, message: "connection refused")))
        assertSnapshot(render(t, size: Self.small, options: options), "App/error-unreachable-80x24")
    }

    @Test func emptyLists() {
        var s = Fixtures.ready(calls: [], tasks: [])
        shot(s, "Tasks/empty-tasks")
        press(&s, .char("2"))
        assertSnapshot(render(s, size: Self.small, options: options), "Calls/empty-calls-80x24")
        press(&s, .char("3"))
        assertSnapshot(render(s, size: Self.small, options: options), "Outbox/empty-outbox-80x24")
    }

    /// The header's right end says which server logs go to: `SANDBOX` only for the built-in one, the
    /// host and port for another test server, nothing for Amplemarket.
    @Test(arguments: [("SANDBOX", true, "SANDBOX"), ("TEST 127.0.0.1:8787", true, "TEST 127.0.0.1:8787"), (nil, false, nil)])
    func theHeaderNamesTheServer(_ tag: String?, _ isSandbox: Bool, _ shown: String?) {
        var s = Fixtures.ready()
        s.environment.serverTag = tag
        s.environment.isSandbox = isSandbox
        // The first row, without the grid text's end-of-row mark and the padding.
        let row = gridText(render(s, size: Self.small, options: options)).split(separator: "\n").first.map(String.init) ?? ""
        let header = String(row.reversed().drop { $0 == "|" || $0 == " " }.reversed())
        if let shown {
            #expect(header.hasSuffix(" " + shown), "\(header)")
        } else {
            #expect(!header.contains("SANDBOX") && !header.contains("TEST"), "\(header)")
        }
        #expect(header.contains("online"), "\(header)")
    }

    /// A long host name takes at most a third of an 80-column header, ending with `…`.
    @Test func aLongServerNameIsCutWithAnEllipsis() {
        var s = Fixtures.ready()
        s.environment.serverTag = "TEST staging-amplemarket-mirror.internal.example.com:8443"
        let row = gridText(render(s, size: Self.small, options: options)).split(separator: "\n").first.map(String.init) ?? ""
        #expect(row.contains(" TEST staging-") && row.hasSuffix("…|") && !row.contains("8443"), "\(row)")
        #expect(row.contains("online"), "\(row)")
    }

    @Test func tooSmall() {
        let s = Fixtures.ready()
        for size in [Size(cols: 59, rows: 24), Size(cols: 80, rows: 15), Size(cols: 20, rows: 3)] {
            assertSnapshot(render(s, size: size, options: options), "App/too-small-\(size.cols)x\(size.rows)")
        }
        // Degenerate sizes draw what fits and never crash.
        for size in [Size(cols: 1, rows: 1), Size(cols: 0, rows: 0), Size(cols: 0, rows: 5), Size(cols: 3, rows: 0),
                     Size(cols: -1, rows: -1)] {
            let g = render(s, size: size, options: options)
            #expect(g.cells.count == max(0, size.cols) * max(0, size.rows))
        }
    }

    /// Below the minimum size only the notice is drawn, as far as it fits, on every screen state.
    @Test(arguments: [Size(cols: 20, rows: 5), Size(cols: 40, rows: 12)])
    func tooSmall(_ size: Size) {
        var s = Fixtures.ready()
        _ = reduce(&s, .resize(size))
        let name = "App/too-small-\(size.cols)x\(size.rows)"
        assertSnapshot(render(s, size: size, options: RenderOptions()), name)
        // The same screen whatever is open underneath (form, picker, help, detail).
        let base = gridText(render(s, size: size, options: RenderOptions()))
        var t = Fixtures.ready()
        press(&t, .enter, .tab, .tab, .tab, .enter)
        _ = reduce(&t, .resize(size))
        #expect(t.modal != nil && t.logForm.form != nil)
        #expect(gridText(render(t, size: size, options: RenderOptions())) == base)
        let g = render(s, size: size, options: RenderOptions())
        let flat = gridText(g).replacingOccurrences(of: "|\n", with: " ")
            .split(separator: " ").joined(separator: " ")
        #expect(flat.contains("terminal too small"))
        #expect(flat.contains("(need 60×16)"))
        for cell in g.cells { #expect(cell.style == .plain) }
    }

    /// NO_COLOR: every cell's role is `.normal`; selection, header, errors and marks stay visible through
    /// reverse / bold / underline and glyphs, which the style layer of the golden file shows.
    @Test func noColor() {
        let options = RenderOptions(unicode: true, colors: false)
        var s = Fixtures.ready()
        press(&s, .char("2"))
        var g = render(s, size: s.size, options: options)
        #expect(g.cells.allSatisfy { $0.style.role == .normal })
        assertTextSnapshot(textAndStyles(g), "Calls/no-color-calls-80x24")
        // The selected row is reverse video, and no other list row is.
        let selectedRow = 3
        #expect((0..<80).allSatisfy { g[$0, selectedRow].style.reverse })
        #expect(!(0..<80).contains { g[$0, selectedRow + 1].style.reverse })

        var f = Fixtures.ready()
        press(&f, .enter)
        press(&f, .ctrl("s"))  // errors on required fields
        g = render(f, size: f.size, options: options)
        #expect(g.cells.allSatisfy { $0.style.role == .normal })
        assertTextSnapshot(textAndStyles(g), "LogForm/no-color-form-errors-80x24")
    }

    @Test func hostileStrings() {
        let note = String(repeating: "Long note. ", count: 910)  // ≈10 000 characters
        let hostile = Contact(id: "c-x", name: "\u{1B}[31mRed\u{1B}[0m \u{1B}]52;c;ZXZpbA==\u{07}", email: "\u{202E}moc.live@x")
        let calls = [
            Call(id: "h-1", from: "+1\u{1B}[2J", to: "\u{9B}6n", duration: 12, answered: true, human: true,
                 transcription: "\u{1B}P+q\u{1B}\\ tab\there", notes: note, dispositionID: "d-busy", taskID: "t-1",
                 userID: "u-1", external: true, contact: hostile, startDate: fixtureNow),
            Call(id: "h-2", from: "+1", to: "+2", duration: 5, answered: true, human: false, notes: "x",
                 taskID: "t-1", userID: "u-1", contact: Contact(id: "c-y", name: "\u{202E}Evil override\u{202C} ok",
                 email: nil), startDate: fixtureNow, dispositionName: "\u{7}bell\u{7F}"),
        ]
        var s = Fixtures.ready(calls: calls)
        press(&s, .char("2"))
        shot(s, "App/hostile")
        for (_, size) in Self.sizes {
            var t = s
            _ = reduce(&t, .resize(size))
            let g = render(t, size: size, options: options)
            for cell in g.cells {
                #expect(!cell.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value)
                    || isBidiControl($0.value) })
            }
        }
    }

    /// Hostile server strings at the large size, with the detail beside the list: ESC/CSI, OSC 52, C1,
    /// bidi overrides and a 10 000-character note, all inert and the columns aligned.
    @Test func hostileLarge() {
        let note = String(repeating: "Long note. ", count: 910) + "\u{1B}]52;c;ZXZpbA==\u{07}END"
        #expect(note.count >= 10_000)
        let hostile = Contact(id: "c-x", name: "\u{1B}[31mRed\u{1B}[0m \u{1B}]52;c;ZXZpbA==\u{07}", email: "\u{202E}moc.live@x")
        let calls = [
            Call(id: "h-1", from: "+1\u{1B}[2J", to: "\u{9B}6n", duration: 12, answered: true, human: true,
                 transcription: "\u{1B}]0;pwned title\u{07} tab\there", notes: note, dispositionID: "d-busy",
                 taskID: "t-1", userID: "u-1", external: true, contact: hostile, startDate: fixtureNow),
            Call(id: "h-2", from: "+1", to: "+2", duration: 5, answered: true, human: false, notes: "x",
                 taskID: "t-1", userID: "u-1", contact: Contact(id: "c-y", name: "\u{202E}Evil override\u{202C} ok",
                 email: nil), startDate: fixtureNow, dispositionName: "\u{7}bell\u{7F}"),
            Call(id: "h-3", from: "+1", to: "+3", duration: 61, answered: false, human: false, taskID: "t-1",
                 userID: "u-1", contact: Contact(id: "c-z", name: "Zalgo Z\u{301}\u{302}\u{303}a\u{300}", email: nil),
                 startDate: fixtureNow),
        ]
        var s = Fixtures.ready(size: Size(cols: 200, rows: 60), calls: calls)
        _ = reduce(&s, .journalNotes(["h-2": "\u{1B}]52;c;bG9jYWw=\u{1B}\\ local"]))
        press(&s, .char("2"))
        let g = render(s, size: s.size, options: RenderOptions())
        assertSnapshot(g, "App/hostile-200x60")
        for cell in g.cells {
            #expect(!cell.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value)
                || isBidiControl($0.value) })
        }
        let lines = gridText(g).split(separator: "\n").map(String.init)
        for line in lines { #expect(displayWidth(line) == 201) }
        // The list's divider sits in the same column on every body row.
        let dividerColumns = Set(lines[2..<58].map { line -> Int in
            guard let r = line.range(of: "│") else { return -1 }
            return displayWidth(String(line[..<r.lowerBound]))
        })
        #expect(dividerColumns == [110])
        press(&s, .char("j"))
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "App/hostile-local-notes-200x60")
    }
}
