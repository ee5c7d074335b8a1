import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Filtering the Calls tab: the filter menu (answered, human / voicemail, disposition, date), the date
/// filter following the clock, and the `/` search (accents and case folded).
@Suite("Call filter") struct CallFilterTests {
    init() { useUTF8Locale() }

    func visibleIDs(_ s: AppState) -> [String] {
        (0..<s.calls.list.count).map { s.calls.list.item(atRow: $0)!.id }
    }

    private static let people: [Call] = [
        Call(id: "g", to: "+34 600 000 001", taskID: "t-1", contact: Contact(id: "c-g", name: "José García", email: nil),
             startDate: date("2025-11-29T15:00:00Z")),
        Call(id: "f", to: "+33 600 000 002", taskID: "t-1", contact: Contact(id: "c-f", name: "François Dupont", email: nil),
             startDate: date("2025-11-29T14:00:00Z")),
        Call(id: "j", to: "+49 600 000 003", taskID: "t-1", contact: Contact(id: "c-j", name: "JÜRGEN Weiß", email: nil),
             startDate: date("2025-11-29T13:00:00Z")),
        Call(id: "l", to: "+33 600 000 004", taskID: "t-1", contact: Contact(id: "c-l", name: "Léa Martin", email: nil),
             startDate: date("2025-11-29T12:00:00Z")),
    ]

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
        #expect(text.contains("Filter: Left voicemail… "), "cut at a word at 80 columns beside four tabs")
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "CallFilter/calls-filtered-80x24")
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
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "CallFilter/filter-menu-80x24")
        press(&s, .enter)
        #expect(s.modal == nil)
    }

    @Test func filterAndTextCombineAndCursorStaysOnTheCall() {
        var s = Fixtures.ready(calls: Fixtures.manyCalls(40))
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
        _ = reduce(&s, .callsPageLoaded(Page(items: Fixtures.manyCalls(10, from: 100), next: nil), replacing: false))
        #expect(visibleIDs(s) == ["c10", "c12", "c14", "c16", "c18", "c100", "c102", "c104", "c106", "c108"])
        // Clearing the text keeps the other filter.
        press(&s, .escape)
        #expect(s.calls.list.filter.isEmpty && s.calls.filter.filter.party == .human)
        #expect(visibleIDs(s).count == 25)
    }

    @Test func dateFilterStopsPagingOncePagesAreOlder() {
        // 50 calls one minute apart, then a next page: with "today", every loaded call is recent, so paging
        // goes on; once a loaded call is older than the range, no further page is asked for.
        var s = Fixtures.ready(callsNext: "/calls?page[after]=x", calls: Fixtures.manyCalls(50))
        press(&s, .char("2"), .char("f"), .char("t"))
        #expect(s.calls.filter.filter.dateRange == .today)
        #expect(press(&s, .escape, .char("G")) == [.io(.load(.callsPage(href: "/calls?page[after]=x")))])
        let old = Call(id: "old", from: "1", to: "2", duration: 1, answered: true, human: true, taskID: "t-1",
                       userID: "u-1", startDate: fixtureNow.addingTimeInterval(-3 * 86_400))
        #expect(reduce(&s, .callsPageLoaded(Page(items: [old], next: "/calls?page[after]=y"), replacing: false)).isEmpty)
        #expect(press(&s, .char("G"), .char("k"), .char("j")).isEmpty)
        #expect(!visibleIDs(s).contains("old"))
    }

    @Test func filterKeyOnTasksOpensTheTasksOwnMenu() {
        var s = Fixtures.ready()
        press(&s, .char("f"))
        #expect(s.modal == .taskFilterMenu(TaskFilterMenuState(filter: TaskQueueFilter())))
    }

    @Test func todayStartsAtLocalMidnight() {
        let ny = TimeZone(identifier: "America/New_York")!
        // 2025-11-29T03:00Z is Nov 28 22:00 in New York: today began Nov 28 05:00Z.
        #expect(startOfDay(date("2025-11-29T03:00:00Z"), zone: ny) == date("2025-11-28T05:00:00Z"))
        #expect(startOfDay(fixtureNow, zone: ny) == date("2025-11-29T05:00:00Z"))
        // Across the March DST change (offset at midnight differs from the offset at noon).
        #expect(startOfDay(date("2025-03-09T16:00:00Z"), zone: ny) == date("2025-03-09T05:00:00Z"))
    }

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

    @Test func filterNarrowsAndEscClears() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("/"))
        type(&s, "王")
        #expect(s.calls.list.matches == [1])
        #expect(s.selectedCall?.id == "call-2")
        press(&s, .backspace)
        type(&s, "voicemail")  // disposition name
        #expect(s.calls.list.matches == [1])
        press(&s, .ctrl("u"))
        type(&s, "deck")  // notes
        #expect(s.calls.list.matches == [0])
        press(&s, .ctrl("u"))
        type(&s, "7946")  // number
        #expect(s.selectedCall?.id == "call-5")
        press(&s, .enter)
        #expect(!s.calls.list.isEditingFilter && s.calls.list.matches == [4])
        press(&s, .char("j"))  // keys work on the filtered list
        #expect(s.calls.list.cursor == 0)
        press(&s, .escape)
        #expect(s.calls.list.matches == nil && s.calls.list.filter.isEmpty)
    }

    @Test func filterFoldsAccentsAndCase() {
        var s = Fixtures.ready(calls: Self.people)
        press(&s, .char("2"), .char("/"))
        for (typed, id) in [("garcia", "g"), ("francois", "f"), ("jurgen", "j"), ("lea", "l"), ("GARCÍA", "g"),
                            ("weiss", "j"), ("Léa", "l")] {
            press(&s, .ctrl("u"))
            type(&s, typed)
            #expect(s.calls.list.matches.map { $0.map { s.calls.list.items[$0].id } } == [id], "\(typed)")
        }
    }

    @Test func searchTextIsFoldedOnceWhenAPageArrives() {
        var s = Fixtures.ready(calls: Self.people)
        #expect(s.calls.list.searchText.count == 4)
        #expect(foldedSearchText(s.calls.list, id: "g")?.hasPrefix("jose garcia") == true)
        _ = reduce(&s, .callsPageLoaded(Page(items: [Call(id: "z", contact: Contact(id: "c-z", name: "Zoë", email: nil))], next: nil),
                                        replacing: false))
        #expect(foldedSearchText(s.calls.list, id: "z") == "zoe")
        #expect(s.tasks.list.searchText.count == Fixtures.tasks.count)
        press(&s, .char("1"), .char("/"))
        type(&s, "zoe")
        #expect(s.tasks.list.matches.map { $0.map { s.tasks.list.items[$0].id } } == ["t-3"])
    }

    /// Filters that leave no call say so, not "no calls yet".
    @Test func filtersThatMatchNothingSaySo() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("f"))
        while s.calls.list.count > 0 { press(&s, .char("d")) }
        press(&s, .escape)
        #expect(screen(s).contains("No call matches the filters (Esc clears them)."))
        #expect(!screen(s).contains("No calls yet"))
    }
}
