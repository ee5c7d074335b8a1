import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Call-list filters (design.md §1.2): answered, human / voicemail, disposition, date.
@Suite struct CallFilterTests {
    init() { useUTF8Locale() }

    func visibleIDs(_ s: AppState) -> [String] {
        (0..<s.calls.list.count).map { s.calls.list.item(atRow: $0)!.id }
    }

    @Test func menuCyclesEachFilterAndCounts() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("f"))
        guard case .filterMenu(let m)? = s.modal else { Issue.record("no filter menu"); return }
        #expect(m.answeredCounts == [.any: 5, .answered: 4, .unanswered: 1])
        #expect(m.partyCounts == [.any: 5, .human: 3, .voicemail: 1])
        #expect(m.dispositionCounts[.none] == 2 && m.dispositionCounts[.id("d-int")] == 1)
        // now = Nov 29 11:00 in New York; call-1 and call-2 are from today (local), call-5 from 2 days ago.
        #expect(m.dateCounts == [.any: 5, .today: 2, .last7Days: 5, .last30Days: 5])

        press(&s, .char("a"))  // answered
        #expect(s.calls.filter.filter.answered == .answered)
        #expect(visibleIDs(s) == ["call-1", "call-2", "call-4", "call-5"])
        press(&s, .char("h"), .char("h"))  // human → voicemail
        #expect(s.calls.filter.filter.party == .voicemail)
        #expect(visibleIDs(s) == ["call-2"])
        // Counts follow the other filters: with voicemail set, answered-any counts only voicemails.
        guard case .filterMenu(let m2)? = s.modal else { Issue.record("menu closed"); return }
        #expect(m2.answeredCounts[.any] == 1 && m2.partyCounts[.human] == 3)
        press(&s, .char("x"))
        #expect(!s.calls.filter.filter.isActive && s.calls.list.matches == nil)
        press(&s, .char("t"))  // today
        #expect(visibleIDs(s) == ["call-1", "call-2"])
        press(&s, .char("d"), .char("d"))  // any → (none) → first disposition (Left voicemail)
        #expect(s.calls.filter.filter.disposition == .id("d-vm"))
        #expect(visibleIDs(s) == ["call-2"])
        press(&s, .escape)
        #expect(s.modal == nil && s.calls.filter.filter.isActive)
        // Shown in the header, in words, with counts in the tab label.
        let text = gridText(render(s, size: s.size, options: RenderOptions()))
        #expect(text.contains("[2 Calls 1/5]"))
        #expect(text.contains("Filter: Left voicemail · today"))
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "calls-filtered-80x24")
        // Esc on the list clears the filters.
        press(&s, .escape)
        #expect(!s.calls.filter.filter.isActive && visibleIDs(s).count == 5)
    }

    @Test func menuNavigationWithArrowsAndSpace() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("f"), .char("j"), .char(" "))
        #expect(s.calls.filter.filter.party == .human)
        press(&s, .left, .left)
        #expect(s.calls.filter.filter.party == .voicemail)
        press(&s, .down, .down, .right)
        #expect(s.calls.filter.filter.dateRange == .today)
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "filter-menu-80x24")
        press(&s, .enter)
        #expect(s.modal == nil)
    }

    @Test func filterAndTextCombineAndCursorStaysOnTheCall() {
        var s = Fixtures.ready(calls: ListTests.manyCalls(40))
        press(&s, .char("2"))
        press(&s, .char("j"), .char("j"))  // c2 (human: even ids)
        #expect(s.selectedCall?.id == "c2")
        press(&s, .char("f"), .char("h"), .escape)  // human only
        #expect(s.selectedCall?.id == "c2", "the selected call still shows, so the cursor stays on it")
        #expect(visibleIDs(s).allSatisfy { Int($0.dropFirst())! % 2 == 0 })
        press(&s, .char("/"))
        type(&s, "Contact 1")
        press(&s, .enter)
        #expect(visibleIDs(s) == ["c10", "c12", "c14", "c16", "c18"])
        // A next page is filtered alike.
        _ = reduce(&s, .callsPageLoaded(Page(items: ListTests.manyCalls(10, from: 100), next: nil), replacing: false))
        #expect(visibleIDs(s) == ["c10", "c12", "c14", "c16", "c18", "c100", "c102", "c104", "c106", "c108"])
        // Clearing the text keeps the other filter.
        press(&s, .escape)
        #expect(s.calls.list.filter.isEmpty && s.calls.filter.filter.party == .human)
        #expect(visibleIDs(s).count == 25)
    }

    @Test func dateFilterStopsPagingOncePagesAreOlder() {
        // 50 calls one minute apart, then a next page: with "today", every loaded call is recent, so paging
        // goes on; once a loaded call is older than the range, no further page is asked for.
        var s = Fixtures.ready(callsNext: "/calls?page[after]=x", calls: ListTests.manyCalls(50))
        press(&s, .char("2"), .char("f"), .char("t"))
        #expect(s.calls.filter.filter.dateRange == .today)
        #expect(press(&s, .escape, .char("G")) == [.io(.load(.callsPage(href: "/calls?page[after]=x")))])
        let old = Call(id: "old", from: "1", to: "2", duration: 1, answered: true, human: true, taskID: "t-1",
                       userID: "u-1", startDate: fixtureNow.addingTimeInterval(-3 * 86_400))
        #expect(reduce(&s, .callsPageLoaded(Page(items: [old], next: "/calls?page[after]=y"), replacing: false)).isEmpty)
        #expect(press(&s, .char("G"), .char("k"), .char("j")).isEmpty)
        #expect(!visibleIDs(s).contains("old"))
    }

    @Test func filterKeyOnOtherTabsExplains() {
        var s = Fixtures.ready()
        press(&s, .char("f"))
        #expect(s.modal == nil && s.session.status?.text.contains("Calls tab") == true)
    }

    @Test func todayStartsAtLocalMidnight() {
        let ny = TimeZone(identifier: "America/New_York")!
        // 2025-11-29T03:00Z is Nov 28 22:00 in New York: today began Nov 28 05:00Z.
        #expect(startOfDay(date("2025-11-29T03:00:00Z"), zone: ny) == date("2025-11-28T05:00:00Z"))
        #expect(startOfDay(fixtureNow, zone: ny) == date("2025-11-29T05:00:00Z"))
        // Across the March DST change (offset at midnight differs from the offset at noon).
        #expect(startOfDay(date("2025-03-09T16:00:00Z"), zone: ny) == date("2025-03-09T05:00:00Z"))
    }
}

/// Configurable keys: `[keys]` in config.toml → `Keymap(overrides:)`.
@Suite struct KeymapTests {
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
        var s = Fixtures.ready(calls: ListTests.manyCalls(10))
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

/// The log form's call timer (design.md §2), driven by `.tick`.
@Suite struct CallTimerTests {
    init() { useUTF8Locale() }

    @Test func startTickStopFillsDuration() {
        var s = Fixtures.ready()
        press(&s, .enter, .tab, .tab)
        #expect(s.logForm.form?.focus == .duration)
        #expect(s.nextTickDeadline == nil || s.session.status != nil)
        press(&s, .ctrl("t"))
        guard case .starting? = s.logForm.timer?.phase else { Issue.record("not starting"); return }
        // The front end must tick at once: the deadline is now.
        #expect(s.nextTickDeadline! <= s.environment.now)
        let t0 = fixtureNow.addingTimeInterval(0.4)
        _ = reduce(&s, .tick(t0))
        #expect(s.logForm.timer?.phase == .running(since: t0))
        #expect(s.nextTickDeadline == t0.addingTimeInterval(1))
        _ = reduce(&s, .tick(t0.addingTimeInterval(61.2)))
        #expect(s.nextTickDeadline == t0.addingTimeInterval(62))
        var text = gridText(render(s, size: s.size, options: RenderOptions()))
        #expect(text.contains("timer 1:01 running – Ctrl-T stops"))
        _ = reduce(&s, .tick(t0.addingTimeInterval(95.9)))
        let effects = press(&s, .ctrl("t"))
        #expect(s.logForm.timer == nil)
        #expect(s.logForm.form?.fields[.duration]?.text == "1:35")
        guard case .io(.saveDraft(let d))? = effects.first else { Issue.record("draft not saved"); return }
        #expect(d.duration == "1:35")
        text = gridText(render(s, size: s.size, options: RenderOptions()))
        #expect(text.contains("[1:35      ] = 95 s"))
    }

    @Test func timerSurvivesEscAndShowsInTheHeader() {
        var s = Fixtures.ready()
        press(&s, .enter, .ctrl("t"))
        _ = reduce(&s, .tick(fixtureNow))
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(12)))
        press(&s, .escape)
        #expect(s.logForm.form == nil && s.logForm.timer != nil)
        let header = gridText(render(s, size: s.size, options: RenderOptions())).split(separator: "\n").first!
        #expect(header.contains("timer 0:12"))
        press(&s, .enter)  // same task: the kept draft comes back
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(20)))
        press(&s, .ctrl("t"))
        #expect(s.logForm.form?.fields[.duration]?.text == "0:20")
    }

    @Test func sendingWithARunningTimerFillsAnEmptyDuration() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .enter)  // Ana: numbers known
        press(&s, .ctrl("t"))
        _ = reduce(&s, .tick(fixtureNow))
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(42)))
        let effects = press(&s, .ctrl("s"))
        guard case .io(.submitLog(_, let r, _))? = effects.first else { Issue.record("not sent: \(effects)"); return }
        #expect(r.duration == 42 && s.logForm.timer == nil)
    }

    @Test func statusExpiryIsADeadline() {
        var s = Fixtures.ready()
        _ = reduce(&s, .statusMessage("Copied", isError: false))
        #expect(s.nextTickDeadline == nil, "stamped by the tick that follows the key batch")
        _ = reduce(&s, .tick(fixtureNow))
        #expect(s.nextTickDeadline == fixtureNow.addingTimeInterval(StatusMessage.lifetime))
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(StatusMessage.lifetime)))
        #expect(s.session.status == nil && s.nextTickDeadline == nil)
        _ = reduce(&s, .statusMessage("Broken", isError: true))
        #expect(s.nextTickDeadline == nil, "errors stay until dismissed")
    }
}

/// `date_format` and `time_zone` reach lists and details.
@Suite struct DateStyleTests {
    init() { useUTF8Locale() }

    @Test func everyStyleHasItsWidth() {
        let d = date("2025-11-29T20:32:08Z")
        let ny = TimeZone(identifier: "America/New_York")!
        let expected: [DateStyle: (String, String)] = [
            .monthDay: ("Nov 29 15:32", "2025-11-29 15:32:08 UTC-05:00"),
            .iso: ("2025-11-29 15:32", "2025-11-29 15:32:08 UTC-05:00"),
            .dayMonth: ("29/11 15:32", "29/11/2025 15:32:08 UTC-05:00"),
            .monthDayNumeric: ("11/29 15:32", "11/29/2025 15:32:08 UTC-05:00"),
            .monthDay12h: ("Nov 29  3:32 PM", "Nov 29, 2025 3:32:08 PM UTC-05:00"),
        ]
        for style in DateStyle.allCases {
            #expect(style.listDateTime(d, zone: ny) == expected[style]!.0)
            #expect(style.listDateTime(d, zone: ny).count == style.width)
            #expect(style.detailDateTime(d, zone: ny) == expected[style]!.1)
        }
        #expect(utcOffset(0) == "UTC" && utcOffset(20_700) == "UTC+05:45" && utcOffset(-12_600) == "UTC-03:30")
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
        assertSnapshot(g, "calls-iso-kolkata-120x40")
    }
}

/// After a log is sent while the rep reads the Calls tab, the cursor stays on the call it was on,
/// filtered or not; logged from elsewhere, the new call is selected.
@Suite struct CursorAfterSendTests {
    init() { useUTF8Locale() }

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

    /// Logged from the Tasks tab: the Calls tab opens on the new call (two testers expected it there).
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

    @Test func asciiHelpHasNoUnicodeArrows() {
        var s = Fixtures.ready()
        press(&s, .enter, .function(1))
        let text = gridText(render(s, size: s.size, options: RenderOptions(unicode: false, colors: false)))
        #expect(text.contains("Tab Down / S-Tab Up"))
        #expect(!text.contains("?"), "no unrenderable glyph became ?")
    }
}

@Suite struct DateFilterClockTests {
    init() { useUTF8Locale() }

    @Test func todayMovesAtLocalMidnight() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("f"), .char("t"), .escape)
        #expect(s.calls.list.matches?.count == 2)
        // 2025-11-29 23:59 New York: still the same day.
        _ = reduce(&s, .tick(date("2025-11-30T04:59:00Z")))
        #expect(s.calls.list.matches?.count == 2)
        // Past midnight: yesterday's calls leave "today".
        _ = reduce(&s, .tick(date("2025-11-30T05:00:30Z")))
        #expect(s.calls.list.matches?.count == 0)
    }
}
