import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The Stats tab: numbers counted by hand over a small workspace in zones that are not the host's (a
/// call at 23:30 local is that day's, whatever UTC says; a DST day has 25 hours), the tab's keys and
/// reads, and how it looks.
@Suite("Stats") struct StatsTests {
    init() { useUTF8Locale() }

    static let la = TimeZone(identifier: "America/Los_Angeles")!
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!

    /// now = 2025-11-29T16:00Z: Saturday 08:00 in Los Angeles (PST), Sunday Nov 30 01:00 in Tokyo.
    static let tallies: [CallTally] = [
        // 1. Sat 00:30 PST: a conversation of 5 min, Interested.
        CallTally(startDate: date("2025-11-29T08:30:00Z"), answered: true, human: true, duration: 300, dispositionID: "d-int"),
        // 2. Fri 23:30 PST (Saturday in UTC): no answer.
        CallTally(startDate: date("2025-11-29T07:30:00Z"), answered: false, human: false, duration: 0, dispositionID: "d-na"),
        // 3. Sat 07:59 PST: a voicemail of 30 s.
        CallTally(startDate: date("2025-11-29T15:59:00Z"), answered: true, human: false, duration: 30, dispositionID: "d-vm"),
        // 4. Mon Nov 24 00:00 PST, the week's first instant: a conversation of 10 min, no disposition.
        CallTally(startDate: date("2025-11-24T08:00:00Z"), answered: true, human: true, duration: 600, dispositionID: nil),
        // 5. Sun Nov 23 23:59 PST: last week; a disposition no longer listed, known by the name it carried.
        CallTally(startDate: date("2025-11-24T07:59:00Z"), answered: false, human: nil, duration: 0, dispositionID: "d-gone",
                  dispositionName: "Legacy outcome"),
        // 6. Fri Oct 31 01:00 PDT: the first day of the 30 (Oct 31 … Nov 29); a conversation of 2 min.
        CallTally(startDate: date("2025-10-31T08:00:00Z"), answered: true, human: true, duration: 120, dispositionID: nil),
        // 7. Thu Oct 30 23:59 PDT: before the 30 days.
        CallTally(startDate: date("2025-10-31T06:59:00Z"), answered: true, human: true, duration: 999, dispositionID: "d-int"),
        // 8. Sun Nov 2 23:30 PST, on the 25-hour day clocks went back (UTC already says Nov 3).
        CallTally(startDate: date("2025-11-03T07:30:00Z"), answered: false, human: false, duration: 0, dispositionID: "d-na"),
        // 9. After now (a clock ahead): not counted.
        CallTally(startDate: date("2025-11-29T16:30:00Z"), answered: true, human: true, duration: 60, dispositionID: "d-int"),
    ]

    static func names(_ t: CallTally) -> String? {
        var d = Dispositions()
        d.set(Fixtures.dispositions)
        return d.name(id: t.dispositionID, fallback: t.dispositionName)
    }

    @Test func todayInLosAngeles() {
        let s = CallStats.compute(Self.tallies, period: .today, now: fixtureNow, zone: Self.la, name: Self.names)
        #expect(s.since == date("2025-11-29T08:00:00Z"))
        #expect((s.dials, s.connects, s.conversations, s.voicemails) == (2, 2, 1, 1))
        #expect(s.talkSeconds == 330 && s.averageConversationSeconds == 300)
        #expect(s.byDisposition == [.init(name: "Interested", count: 1), .init(name: "Left voicemail", count: 1)])
        // Hours 0…8 of today; the 00:30 call in hour 0, the 07:59 one in hour 7.
        #expect(s.buckets.map(\.label) == ["0", "1", "2", "3", "4", "5", "6", "7", "8"])
        #expect(s.buckets.map(\.dials) == [1, 0, 0, 0, 0, 0, 0, 1, 0])
    }

    @Test func thisWeekFromMondayInLosAngeles() {
        let s = CallStats.compute(Self.tallies, period: .week, now: fixtureNow, zone: Self.la, name: Self.names)
        #expect(s.since == date("2025-11-24T08:00:00Z"))
        #expect((s.dials, s.connects, s.conversations, s.voicemails) == (4, 3, 2, 1))
        #expect(s.talkSeconds == 930 && s.averageConversationSeconds == 450)
        #expect(s.buckets.map(\.label) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"])
        #expect(s.buckets.map(\.dials) == [1, 0, 0, 0, 1, 2])
        #expect(s.byDisposition.first { $0.name == "No disposition" }?.count == 1)
    }

    @Test func thirtyDaysAcrossTheDSTChange() {
        let s = CallStats.compute(Self.tallies, period: .month, now: fixtureNow, zone: Self.la, name: Self.names)
        #expect(s.since == date("2025-10-31T07:00:00Z"))  // Oct 31 00:00 PDT
        #expect((s.dials, s.connects, s.conversations, s.voicemails) == (7, 4, 3, 1))
        #expect(s.talkSeconds == 1_050 && s.averageConversationSeconds == 340)
        #expect(s.buckets.count == 30 && s.buckets.first?.label == "31" && s.buckets.last?.label == "29")
        // Nov 2 (25 hours) holds the 23:30 PST call.
        #expect(s.buckets.first { $0.label == "2" }?.dials == 1 && s.buckets.first { $0.label == "3" }?.dials == 0)
        #expect(s.byDisposition == [.init(name: "No answer", count: 2), .init(name: "No disposition", count: 2),
                                    .init(name: "Interested", count: 1), .init(name: "Left voicemail", count: 1),
                                    .init(name: "Legacy outcome", count: 1)])
        let json = s.summary
        #expect(json.dials == 7 && json.talkSeconds == 1_050 && json.byDisposition["No answer"] == 2)
    }

    @Test func theSameCallsInTokyo() {
        // Sunday Nov 30 01:00 JST: today holds only the 15:59Z voicemail; the week starts Mon Nov 24 JST.
        let today = CallStats.compute(Self.tallies, period: .today, now: fixtureNow, zone: Self.tokyo, name: Self.names)
        #expect(today.since == date("2025-11-29T15:00:00Z") && today.dials == 1 && today.voicemails == 1)
        let week = CallStats.compute(Self.tallies, period: .week, now: fixtureNow, zone: Self.tokyo, name: Self.names)
        #expect(week.since == date("2025-11-23T15:00:00Z") && week.dials == 5)
    }

    /// A state on the Stats tab with the mirror on, its read answered with `tallies`.
    static func statsTab(size: Size = Size(cols: 80, rows: 24), tallies: [CallTally]? = StatsTests.tallies,
                         progress: HistoryProgress = HistoryProgress(userID: "u-1", mirrored: 9, isComplete: true,
                                                                     syncedAt: fixtureNow),
                         goal: Int? = nil) -> (AppState, [Effect]) {
        var env = Fixtures.env
        env.keepsHistory = true
        env.timeZone = la
        env.dailyDialGoal = goal
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(size))
        _ = reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam]))
        _ = reduce(&s, .dispositionsLoaded(Fixtures.dispositions))
        _ = reduce(&s, .historyProgress(progress, changed: false))
        let effects = press(&s, .char("4"))
        if let tallies {
            _ = reduce(&s, .statsLoaded(tallies: tallies, since: StatsPeriod.month.start(now: fixtureNow, zone: la), progress: progress))
        }
        return (s, effects)
    }

    static func statsLoads(_ effects: [Effect]) -> Int {
        effects.filter { if case .io(.load(.stats)) = $0 { true } else { false } }.count
    }

    @Test func theTabReadsTheHistoryAndItsKeysSwitchThePeriod() {
        var (s, effects) = Self.statsTab()
        #expect(s.tab == .stats)
        #expect(effects == [.io(.load(.stats(userID: "u-1", since: date("2025-10-31T07:00:00Z"))))])
        #expect(s.stats.stats?.dials == 2)
        press(&s, .char("w"))
        #expect(s.stats.period == .week && s.stats.stats?.dials == 4)
        press(&s, .char("m"))
        #expect(s.stats.stats?.dials == 7)
        // New calls synced while the tab shows: read again; while another tab shows: on the next showing.
        #expect(Self.statsLoads(reduce(&s, .historyProgress(HistoryProgress(userID: "u-1", mirrored: 10), changed: true))) == 1)
        press(&s, .char("1"))
        _ = reduce(&s, .statsLoaded(tallies: Self.tallies, since: date("2025-10-31T07:00:00Z"), progress: HistoryProgress()))
        #expect(Self.statsLoads(reduce(&s, .historyProgress(HistoryProgress(userID: "u-1", mirrored: 11), changed: true))) == 0)
        #expect(Self.statsLoads(press(&s, .char("4"))) == 1)
        // R reads again.
        _ = reduce(&s, .statsLoaded(tallies: Self.tallies, since: date("2025-10-31T07:00:00Z"), progress: HistoryProgress()))
        #expect(press(&s, .char("R")).contains(.io(.load(.stats(userID: "u-1", since: date("2025-10-31T07:00:00Z"))))))
    }

    @Test func snapshots() {
        var (s, _) = Self.statsTab(goal: 60)
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "Stats/stats-today-80x24")
        press(&s, .char("m"))
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "Stats/stats-month-80x24")
        assertSnapshot(render(s, size: s.size, options: RenderOptions(unicode: false)), "Stats/stats-month-ascii-80x24")
        assertSnapshot(render(s, size: s.size, options: RenderOptions(colors: false)), "Stats/stats-month-no-color-80x24")
        var (wide, _) = Self.statsTab(size: Size(cols: 120, rows: 40), goal: 60)
        press(&wide, .char("m"))
        assertSnapshot(render(wide, size: wide.size, options: RenderOptions()), "Stats/stats-month-120x40")
        // Still loading: the share of the period held is said.
        let partial = HistoryProgress(userID: "u-1", mirrored: 5, isComplete: false, oldestStart: date("2025-11-20T00:00:00Z"),
                                      isSyncing: true)
        var (loading, _) = Self.statsTab(progress: partial)
        press(&loading, .char("m"))
        let text = gridText(render(loading, size: loading.size, options: RenderOptions()))
        #expect(text.contains("history still loading: 32 % of this period"), "\(text)")
        // Before the first read, and with no calls at all.
        let (first, _) = Self.statsTab(tallies: nil)
        assertSnapshot(render(first, size: first.size, options: RenderOptions()), "Stats/stats-reading-80x24")
        let (none, _) = Self.statsTab(tallies: [])
        assertSnapshot(render(none, size: none.size, options: RenderOptions()), "Stats/stats-empty-80x24")
    }
}
