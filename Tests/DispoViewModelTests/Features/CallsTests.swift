import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The Calls tab's list: moving, paging, copying, recordings, the cursor after a log is sent, and how the
/// list is drawn (columns, dates, ASCII, the widest layout).
@Suite("Calls") struct CallsTests: SnapshotSuite {
    init() { useUTF8Locale() }

    @Test func navigationKeys() {
        var s = Fixtures.ready(calls: Fixtures.manyCalls(50))
        press(&s, .char("2"))
        #expect(s.tab == .calls)
        press(&s, .char("j"), .down, .char("j"))
        #expect(s.calls.list.cursor == 3)
        press(&s, .char("k"))
        #expect(s.calls.list.cursor == 2)
        press(&s, .char("G"))
        #expect(s.calls.list.cursor == 49)
        press(&s, .char("g"))
        #expect(s.calls.list.cursor == 0 && s.calls.list.top == 0)
        press(&s, .pageDown)
        #expect(s.calls.list.cursor == s.frame.listRows.height)
        press(&s, .ctrl("u"))
        #expect(s.calls.list.cursor == s.frame.listRows.height - s.frame.listRows.height / 2)
        press(&s, .ctrl("d"), .ctrl("d"), .ctrl("d"), .ctrl("d"), .ctrl("d"))
        #expect(s.calls.list.cursor == 49)
        // The cursor is always on screen.
        #expect(s.calls.list.cursor >= s.calls.list.top && s.calls.list.cursor < s.calls.list.top + s.frame.listRows.height)
        press(&s, .char("k"), .char("k"), .char("k"), .char("k"), .char("k"), .up, .pageUp, .pageUp, .pageUp)
        #expect(s.calls.list.cursor == 0 && s.calls.list.top == 0)
    }

    @Test func pagingTriggersNearTheEndOnlyOnce() {
        var s = Fixtures.ready(callsNext: "/calls?page[size]=50&page[after]=c49", calls: Fixtures.manyCalls(50))
        var effects = press(&s, .char("2"))
        #expect(effects.isEmpty)
        for _ in 0..<38 { effects += press(&s, .char("j")) }
        #expect(effects.isEmpty, "cursor 38 of 50 is more than 10 rows away")
        effects = press(&s, .char("j"))  // cursor 39: within 10 rows of the end
        #expect(effects == [.io(.load(.callsPage(href: "/calls?page[size]=50&page[after]=c49")))])
        #expect(press(&s, .char("j"), .char("G")).isEmpty, "nothing while a page is loading")
        // G goes to the real end: once the page is in, the cursor follows to its last call.
        _ = reduce(&s, .callsPageLoaded(Page(items: Fixtures.manyCalls(50, from: 50), next: nil), replacing: false))
        #expect(s.calls.list.items.count == 100 && s.calls.list.cursor == 99 && !s.calls.list.seekingEnd)
        #expect(press(&s, .char("G")).isEmpty, "no next page: no request")
    }

    @Test func firstPageNeverRequestsAllPages() {
        var s = AppState(environment: Fixtures.env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .usersLoaded([Fixtures.rita]))
        let effects = reduce(&s, .callsPageLoaded(Page(items: Fixtures.manyCalls(50), next: "/calls?next"), replacing: true))
        #expect(effects.isEmpty)
    }

    @Test func copyKeys() {
        var s = Fixtures.ready()
        press(&s, .char("2"))
        #expect(press(&s, .char("y")) == [.terminal(.copyToClipboard("+351 912 345 678"))])
        #expect(press(&s, .char("Y")) == [.terminal(.copyToClipboard("call-1"))])
        press(&s, .char("G"))
        #expect(press(&s, .char("Y")) == [.terminal(.copyToClipboard("https://rec.example.com/r/5.mp3"))])
        _ = reduce(&s, .clipboardSent(description: "the number"))
        #expect(s.session.status?.text == "Copied the number")
    }

    @Test func copiedTextIsCleanedForTheClipboard() {
        var s = Fixtures.ready(calls: [
            Call(id: "call-x\u{202E}", from: "+1", to: "  +1 555\nrm -rf ~\u{7}\u{1B}[0m\u{85}\u{2066} ", taskID: "t-1",
                 contact: Fixtures.ana, startDate: date("2025-11-29T15:00:00Z"))])
        press(&s, .char("2"))
        #expect(press(&s, .char("y")) == [.terminal(.copyToClipboard("+1 555rm -rf ~[0m"))])
        #expect(press(&s, .char("Y")) == [.terminal(.copyToClipboard("call-x"))])
        #expect(clipboardSafe("\n\t \u{200F}") == "")
    }

    @Test func recordingDownloadOrURL() {
        var calls = Fixtures.calls
        calls[3].recordingURL = "https://api.example/rec/4"
        var s = Fixtures.ready(calls: calls)
        press(&s, .char("2"), .char("j"), .char("j"), .char("j"))  // call-4: not external, with a recording
        #expect(press(&s, .char("r")) == [.io(.downloadRecording(callID: "call-4", path: "/home/rita/calls/call-call-4.mp3"))])
        press(&s, .char("j"))  // call-5: external with a URL
        #expect(press(&s, .char("r")).isEmpty)
        #expect(s.session.status?.text.contains("https://rec.example.com/r/5.mp3") == true)
    }

    @Test(arguments: [false, true])
    func cursorStaysOnTheSameCall(filtered: Bool) {
        var s = Fixtures.ready()
        press(&s, .char("2"))
        if filtered { press(&s, .char("f"), .char("a"), .escape) }  // answered only
        press(&s, .char("j"))
        let before = s.selectedCall?.id
        #expect(before == "call-2")
        let sent = Call(id: "new", from: "+1 555 0100", to: "+351 912 345 678", duration: 10, answered: true,
                        human: true, taskID: "t-1", userID: "u-1", external: true, contact: Fixtures.ana,
                        startDate: fixtureNow)
        _ = reduce(&s, .logSent(localID: "x", call: sent, notesStored: true))
        #expect(s.calls.list.items.first?.id == "new")
        #expect(s.selectedCall?.id == before)
    }

    /// Logged from the Tasks tab: the Calls tab opens on the new call, where the rep
    /// looks for it.
    @Test func loggedFromTasksTheNewCallIsSelected() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("j"), .char("j"), .char("1"))
        let sent = Call(id: "new", from: "+1 555 0100", to: "+351 912 345 678", duration: 10, answered: true,
                        human: true, taskID: "t-1", userID: "u-1", external: true, contact: Fixtures.ana,
                        startDate: fixtureNow)
        _ = reduce(&s, .logSent(localID: "x", call: sent, notesStored: true))
        press(&s, .char("2"))
        #expect(s.selectedCall?.id == "new")
    }

    @Test func listAndDetailUseTheRepsZoneAndStyle() {
        var s = Fixtures.ready(size: Size(cols: 120, rows: 40))
        s.environment.dateStyle = .iso
        s.environment.timeZone = TimeZone(identifier: "Asia/Kolkata")!
        press(&s, .char("2"))
        let g = render(s, size: s.size, options: RenderOptions())
        let text = gridText(g)
        #expect(text.contains("▸ 2025-11-29 21:02  Ana Lima"))
        #expect(text.contains("Start          2025-11-29 21:02:08 UTC+05:30"))
        assertSnapshot(g, "Calls/calls-iso-kolkata-120x40")
    }

    @Test func callsListWithDetail() {
        var s = Fixtures.ready()
        press(&s, .char("2"))
        shot(s, "Calls/calls")
        press(&s, .enter)  // narrow: the detail opens over the list
        assertSnapshot(render(s, size: Self.small, options: options), "Calls/calls-detail-80x24")
    }

    @Test func asciiMode() {
        var s = Fixtures.ready()
        press(&s, .char("2"))
        assertSnapshot(render(s, size: Self.small, options: RenderOptions(unicode: false, colors: false)),
                       "Calls/calls-ascii-80x24")
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

    @Test func largeCallsWithDetail() {
        var s = Fixtures.ready(size: Size(cols: 200, rows: 60))
        _ = reduce(&s, .journalNotes(["call-2": "Assistant said: try after 3pm."]))
        press(&s, .char("2"))
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "Calls/calls-200x60")
        press(&s, .char("j"))
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "Calls/calls-vm-200x60")
    }
}
