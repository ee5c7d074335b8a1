import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Render snapshots of the main screens, compared exactly with `Snapshots/*.txt`
/// (regenerate with `DISPO_UPDATE_SNAPSHOTS=1 swift test --filter DispoViewModelTests`, then review by eye).
@Suite struct SnapshotTests {
    init() { useUTF8Locale() }

    static let small = Size(cols: 80, rows: 24)
    static let large = Size(cols: 120, rows: 40)
    static let sizes: [(String, Size)] = [("80x24", small), ("120x40", large)]
    let options = RenderOptions(unicode: true, colors: true)

    func shot(_ state: AppState, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for (suffix, size) in Self.sizes {
            var s = state
            _ = reduce(&s, .resize(size))
            assertSnapshot(render(s, size: size, options: options), "\(name)-\(suffix)", sourceLocation: sourceLocation)
        }
    }

    @Test func loadingFirstFrame() {
        var s = AppState(environment: Fixtures.env)
        let effects = reduce(&s, .resize(Self.small))
        #expect(effects == [.io(.load(.account)), .io(.load(.users)), .io(.load(.dispositions))])
        shot(s, "loading")
    }

    @Test func tasksList() {
        shot(Fixtures.ready(), "tasks")
    }

    @Test func callsListWithDetail() {
        var s = Fixtures.ready()
        press(&s, .char("2"))
        shot(s, "calls")
        press(&s, .enter)  // narrow: the detail opens over the list
        assertSnapshot(render(s, size: Self.small, options: options), "calls-detail-80x24")
    }

    @Test func callWithoutContactDetail() {
        var s = Fixtures.ready(size: Self.large)
        press(&s, .char("2"), .char("G"))
        assertSnapshot(render(s, size: Self.large, options: options), "calls-no-contact-120x40")
    }

    @Test func logForm() {
        var s = Fixtures.ready()
        press(&s, .enter)      // Bruno: no number known, focus on To; From prefilled from the last call
        type(&s, "+351 912 000 111")
        press(&s, .tab, .tab)
        type(&s, "1:3")
        press(&s, .char("x"), .tab, .enter, .char("3"))  // "1:3x"; picker → No answer; focus moves to Notes
        type(&s, "Asked to call back; \u{1B}[1mbold?")
        press(&s, .ctrl("s"))  // duration error
        shot(s, "form-errors")
    }

    @Test func dispositionPicker() {
        var s = Fixtures.ready()
        press(&s, .enter, .tab, .tab, .tab, .enter)  // To → From → Duration → Disposition, Enter opens the picker
        shot(s, "picker")
        type(&s, "in")
        shot(s, "picker-filtered")
    }

    @Test func completeConfirmation() {
        var s = Fixtures.ready()
        press(&s, .enter)
        type(&s, "+351 912 000 111")
        press(&s, .tab, .tab)
        type(&s, "95")
        press(&s, .tab, .enter, .char("6"), .ctrl("s"))
        assertSnapshot(render(s, size: Self.small, options: options), "confirm-complete-80x24")
    }

    @Test func help() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("?"))
        shot(s, "help-calls")
    }

    @Test func userPicker() {
        var env = Fixtures.env
        env.configuredUserEmail = "nobody@acme.test"
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Self.small))
        _ = reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam]))
        assertSnapshot(render(s, size: Self.small, options: options), "user-picker-80x24")
    }

    @Test func errorState() {
        var s = AppState(environment: Fixtures.env)
        _ = reduce(&s, .resize(Self.small))
        _ = reduce(&s, .accountFailed(APIFailure(kind: .unauthorized, status: 401, message: "unauthorized")))
        shot(s, "error-unauthorized")
        var t = AppState(environment: Fixtures.env)
        _ = reduce(&t, .resize(Self.small))
        _ = reduce(&t, .accountFailed(APIFailure(kind: .notSent, message: "connection refused")))
        assertSnapshot(render(t, size: Self.small, options: options), "error-unreachable-80x24")
    }

    @Test func emptyLists() {
        var s = Fixtures.ready(calls: [], tasks: [])
        shot(s, "empty-tasks")
        press(&s, .char("2"))
        assertSnapshot(render(s, size: Self.small, options: options), "empty-calls-80x24")
        press(&s, .char("3"))
        assertSnapshot(render(s, size: Self.small, options: options), "empty-outbox-80x24")
    }

    @Test func outbox() {
        var s = Fixtures.ready()
        let req = LogCallRequest(from: "+1 555 0100", to: "+351 912 345 678", duration: 95, answered: true, human: true,
                                 taskID: "t-1", userID: "u-1", dispositionID: "d-vm")
        _ = reduce(&s, .outboxChanged([
            OutboxEntry(localID: "a", request: req, summary: "Ana Lima · Left voicemail", state: .needsAttention,
                        attempts: 3, lastError: "to: unsupported value", createdAt: fixtureNow),
            OutboxEntry(localID: "b", request: req, summary: "王小明 · Busy", state: .pending, attempts: 0,
                        createdAt: fixtureNow.addingTimeInterval(-60)),
            OutboxEntry(localID: "c", request: req, summary: "Zoë 🎉 Party · Busy", state: .sent(callID: "call-9"),
                        attempts: 1, createdAt: fixtureNow.addingTimeInterval(-120)),
        ]))
        press(&s, .char("3"))
        shot(s, "outbox")
    }

    @Test func tooSmall() {
        let s = Fixtures.ready()
        for size in [Size(cols: 59, rows: 24), Size(cols: 80, rows: 15), Size(cols: 20, rows: 3)] {
            assertSnapshot(render(s, size: size, options: options), "too-small-\(size.cols)x\(size.rows)")
        }
        // Degenerate sizes draw what fits and never crash.
        for size in [Size(cols: 1, rows: 1), Size(cols: 0, rows: 0), Size(cols: 0, rows: 5), Size(cols: 3, rows: 0),
                     Size(cols: -1, rows: -1)] {
            let g = render(s, size: size, options: options)
            #expect(g.cells.count == max(0, size.cols) * max(0, size.rows))
        }
    }

    @Test func asciiMode() {
        var s = Fixtures.ready()
        press(&s, .char("2"))
        assertSnapshot(render(s, size: Self.small, options: RenderOptions(unicode: false, colors: false)),
                       "calls-ascii-80x24")
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
        shot(s, "hostile")
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

    /// The duration column ends at the same display column on every row, whatever the names hold.
    @Test(arguments: [Size(cols: 80, rows: 24), Size(cols: 120, rows: 40)])
    func callColumnsStayAligned(_ size: Size) {
        var s = Fixtures.ready(size: size)
        press(&s, .char("2"))
        let text = gridText(render(s, size: size, options: options))
        let lines = text.split(separator: "\n").map(String.init)
        var ends: [Int] = []
        for (call, line) in zip(Fixtures.calls, lines[3...]) {  // rows start under the column heading
            let duration = formatDuration(call.duration!)
            guard let r = line.range(of: " " + duration + "  ") else { Issue.record("no duration in \(line)"); continue }
            ends.append(displayWidth(String(line[..<r.upperBound])))
        }
        #expect(ends.count == Fixtures.calls.count)
        #expect(Set(ends).count == 1, "duration ends at columns \(ends)")
        for line in lines { #expect(displayWidth(line) == size.cols + 1) }  // every row exactly as wide (+ "|")
    }
}
