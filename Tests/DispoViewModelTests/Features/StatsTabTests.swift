import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The Stats tab in the app: `4` reads the history, `.statsLoaded` fills it, the period keys, reads again
/// when the mirror changes (now if shown, else on the next showing), the clock, and how it looks.
@Suite("Stats: the tab") struct StatsTabTests {
    typealias W = StatsWorkspace
    init() { useUTF8Locale() }

    static let monthStart = date("2025-10-28T07:00:00Z")
    static let read: Effect = .io(.load(.stats(userID: "u-1", since: monthStart)))
    static let complete = HistoryProgress(userID: "u-1", mirrored: 900, isComplete: true, oldestStart: date("2024-01-02T00:00:00Z"),
                                          syncedAt: W.now.addingTimeInterval(-60))

    /// A state after startup in Los Angeles at `W.now` with the mirror on, on the Tasks tab.
    static func ready(size: Size = Size(cols: 80, rows: 24), goal: Int? = nil, unicode: Bool = true,
                      history: Bool = true, progress: HistoryProgress? = complete) -> AppState {
        var env = Fixtures.env
        env.keepsHistory = history
        env.timeZone = W.la
        env.now = W.now
        env.dailyDialGoal = goal
        env.unicode = unicode
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(size))
        _ = reduce(&s, .accountLoaded(AccountInfo(raw: .object(["name": .string("Acme Inc")]))))
        _ = reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam]))
        _ = reduce(&s, .dispositionsLoaded(Fixtures.dispositions))
        _ = reduce(&s, .tasksPageLoaded(Page(items: Fixtures.tasks, next: nil), replacing: true))
        if let progress { _ = reduce(&s, .historyProgress(progress, changed: false)) }
        return s
    }

    /// `ready` on the Stats tab with `tallies` read.
    static func shown(_ tallies: [CallTally] = busy, size: Size = Size(cols: 80, rows: 24), goal: Int? = 60,
                      unicode: Bool = true, progress: HistoryProgress = complete) -> AppState {
        var s = ready(size: size, goal: goal, unicode: unicode, progress: progress)
        press(&s, .char("4"))
        _ = reduce(&s, .statsLoaded(tallies: tallies, since: monthStart, progress: progress))
        return s
    }

    static func reads(_ effects: [Effect]) -> Int {
        effects.filter { if case .io(.load(.stats)) = $0 { true } else { false } }.count
    }

    /// A busy rep's 30 days (deterministic): 20–40 dials a weekday between 08:00 and 18:00, a few on
    /// weekends, 37 today up to 15:00; about a third connect, most of those to a person.
    static let busy: [CallTally] = {
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let cal = statsCalendar(W.la)
        var out: [CallTally] = []
        for day in 0..<30 {
            let start = localDay(-day, from: W.now, cal)
            let weekday = cal.component(.weekday, from: start)
            let weekend = weekday == 1 || weekday == 7
            let n = day == 0 ? 37 : weekend ? next(4) : 20 + next(21)
            for _ in 0..<n {
                let hours = day == 0 ? 7 : 10  // today: 08:00–15:00
                let at = start.addingTimeInterval(Double(8 * 3600 + next(hours * 3600)))
                let roll = next(100)
                let (answered, human, seconds, id): (Bool, Bool, Int, String?) =
                    roll < 22 ? (true, true, 60 + next(540), ["d-int", "d-ni", "d-odd", "d-wrong"][next(4)])
                    : roll < 34 ? (true, false, 15 + next(30), "d-vm")
                    : roll < 40 ? (false, false, 0, "d-busy")
                    : roll < 44 ? (false, false, 0, nil)
                    : (false, false, 0, "d-na")
                out.append(CallTally(startDate: at, answered: answered, human: human, duration: seconds, dispositionID: id))
            }
        }
        return out
    }()

    // MARK: reads and keys

    @Test func fourShowsTheTabAndReadsTheHistory() {
        var s = Self.ready()
        let effects = press(&s, .char("4"))
        #expect(s.tab == .stats)
        #expect(effects == [Self.read])
        #expect(s.stats.isLoading && s.stats.stats == nil)
        #expect(screen(s).contains("Reading your call history…"))
        // Nothing more is asked while the read is out.
        #expect(Self.reads(press(&s, .char("1"), .char("4"))) == 0)
        _ = reduce(&s, .statsLoaded(tallies: W.tallies, since: Self.monthStart, progress: Self.complete))
        #expect(!s.stats.isLoading && s.stats.period == .today)
        #expect(s.stats.stats?.dials == 5)
        #expect(s.stats.counted.count == 3, "every period counted once, when the tallies arrived")
        // Showing the tab again reads nothing when the mirror did not change.
        #expect(Self.reads(press(&s, .char("1"), .char("4"))) == 0)
    }

    @Test func periodKeys() {
        var s = Self.shown(W.tallies)
        #expect(press(&s, .char("w")).isEmpty)
        #expect(s.stats.period == .week && s.stats.stats?.dials == 7)
        press(&s, .char("m"))
        #expect(s.stats.period == .month && s.stats.stats?.dials == 13)
        press(&s, .char("t"))
        #expect(s.stats.period == .today && s.stats.stats?.dials == 5)
        press(&s, .right)
        #expect(s.stats.period == .week)
        press(&s, .right, .right)
        #expect(s.stats.period == .today, "→ wraps")
        press(&s, .left)
        #expect(s.stats.period == .month, "← wraps")
        // A period key picks counted numbers: it neither reads nor counts again.
        let counted = s.stats.counted
        #expect(press(&s, .char("w"), .char("t")).isEmpty && s.stats.counted == counted)
        // The keys are on the hint line and in the help overlay.
        let text = screen(s)
        #expect(text.contains("t/w/m today/week/30 days") && text.contains("R refresh") && text.contains("? help"))
        press(&s, .char("?"))
        let help = screen(s, Size(cols: 80, rows: 40))
        for line in ["show today", "show this week (from Monday)", "show the last 30 days", "previous / next period",
                     "scroll (when the tab does not fit)", "refresh"] {
            #expect(help.contains(line), "help lists \(line)")
        }
    }

    @Test func readsAgainWhenTheMirrorChanges() {
        var s = Self.shown(W.tallies)
        let more = HistoryProgress(userID: "u-1", mirrored: 901, isComplete: true, syncedAt: W.now)
        // Shown: read now.
        #expect(Self.reads(reduce(&s, .historyProgress(more, changed: true))) == 1)
        // Changed again while that read is out: nothing now, a read once it is answered.
        #expect(Self.reads(reduce(&s, .historyProgress(more, changed: true))) == 0)
        #expect(Self.reads(reduce(&s, .statsLoaded(tallies: W.tallies, since: Self.monthStart, progress: more))) == 1)
        _ = reduce(&s, .statsLoaded(tallies: W.tallies, since: Self.monthStart, progress: more))
        // Progress without new calls reads nothing.
        #expect(Self.reads(reduce(&s, .historyProgress(more, changed: false))) == 0)
        // Another tab shown: nothing now, a read on the next showing (the numbers kept meanwhile).
        press(&s, .char("2"))
        #expect(s.statsReloadIfShown().isEmpty)
        #expect(Self.reads(reduce(&s, .historyProgress(more, changed: true))) == 0)
        #expect(s.stats.stats?.dials == 5)
        #expect(press(&s, .char("4")).contains(Self.read))
        // R reads again, even with a read out.
        #expect(press(&s, .char("R")).contains(Self.read))
    }

    @Test func nothingIsReadWithoutARepOrAHistory() {
        var env = Fixtures.env
        env.keepsHistory = true
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        #expect(Self.reads(press(&s, .char("4"))) == 0, "no user yet")
        #expect(s.statsReloadIfShown().isEmpty)

        var off = Self.ready(history: false)
        #expect(Self.reads(press(&off, .char("4"))) == 0)
        #expect(Self.reads(press(&off, .char("R"))) == 0)
        #expect(screen(off).contains("Stats are counted from the local history of your calls, which is off"))
    }

    /// The clock: a new hour counts again (today's chart gains it); a new day reads again.
    @Test func theClock() {
        var s = Self.shown(W.tallies)
        #expect(s.stats.stats?.buckets.count == 16)
        #expect(reduce(&s, .tick(W.now.addingTimeInterval(20 * 60))).isEmpty)
        #expect(s.stats.stats?.buckets.count == 16)
        #expect(Self.reads(reduce(&s, .tick(W.now.addingTimeInterval(3600)))) == 0)
        #expect(s.stats.stats?.buckets.count == 17 && s.stats.stats?.until == W.now.addingTimeInterval(3600))
        // Thursday 00:05 in Los Angeles: today is empty until the read, which goes out at once.
        let effects = reduce(&s, .tick(date("2025-11-27T08:05:00Z")))
        #expect(effects == [.io(.load(.stats(userID: "u-1", since: date("2025-10-29T07:00:00Z"))))])
        #expect(s.stats.stats?.dials == 0)
        press(&s, .char("w"))
        #expect(s.stats.stats?.dials == 7)
    }

    /// Dispositions that arrive after the tallies still name the shares.
    @Test func namesArriveLater() {
        var env = Fixtures.env
        env.keepsHistory = true
        env.timeZone = W.la
        env.now = W.now
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .usersLoaded([Fixtures.rita]))
        press(&s, .char("4"))
        _ = reduce(&s, .statsLoaded(tallies: W.tallies, since: Self.monthStart, progress: Self.complete))
        #expect(!screen(s).contains("Interested"))
        _ = reduce(&s, .dispositionsLoaded(Fixtures.dispositions))
        #expect(screen(s).contains("Interested"))
    }

    @Test func scrollsWhenItDoesNotFit() {
        var s = Self.shown(size: Size(cols: 60, rows: 16))
        let before = screen(s, Size(cols: 60, rows: 16))
        #expect(before.contains("more lines"))
        press(&s, .char("G"))
        let bottom = s.stats.scroll
        #expect(bottom > 0)
        let after = screen(s, Size(cols: 60, rows: 16))
        #expect(!after.contains("more lines") && after.contains("Dials per hour"))
        press(&s, .char("j"))
        #expect(s.stats.scroll == bottom)
        press(&s, .char("g"))
        #expect(s.stats.scroll == 0)
        press(&s, .char("j"), .char("w"))
        #expect(s.stats.scroll == 0, "a new period starts at the top")
    }

    // MARK: how it looks

    @Test func snapshots() {
        var s = Self.shown()
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "Stats/stats-today-80x24")
        press(&s, .char("w"))
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "Stats/stats-week-80x24")
        press(&s, .char("m"))
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "Stats/stats-month-80x24")

        for (name, size) in [("120x40", Size(cols: 120, rows: 40)), ("200x60", Size(cols: 200, rows: 60))] {
            var wide = Self.shown(size: size)
            assertSnapshot(render(wide, size: size, options: RenderOptions()), "Stats/stats-today-\(name)")
            press(&wide, .char("m"))
            assertSnapshot(render(wide, size: size, options: RenderOptions()), "Stats/stats-month-\(name)")
        }

        var narrow = Self.shown(size: Size(cols: 60, rows: 16))
        assertSnapshot(render(narrow, size: narrow.size, options: RenderOptions()), "Stats/stats-today-60x16")
        press(&narrow, .char("G"))
        assertSnapshot(render(narrow, size: narrow.size, options: RenderOptions()), "Stats/stats-today-60x16-scrolled")
    }

    @Test func asciiAndNoColor() {
        var a = Self.shown(unicode: false)
        let ascii = render(a, size: a.size, options: RenderOptions(unicode: false))
        #expect(ascii.cells.allSatisfy { $0.text.allSatisfy(\.isASCII) })
        assertSnapshot(ascii, "Stats/stats-today-ascii-80x24")
        press(&a, .char("m"))
        assertSnapshot(render(a, size: a.size, options: RenderOptions(unicode: false)), "Stats/stats-month-ascii-80x24")

        let s = Self.shown()
        let g = render(s, size: s.size, options: RenderOptions(unicode: true, colors: false))
        #expect(g.cells.allSatisfy { $0.style.role == .normal })
        assertTextSnapshot(textAndStyles(g), "Stats/no-color-stats-today-80x24")
    }

    @Test func states() {
        // Before the first read.
        var first = Self.ready()
        press(&first, .char("4"))
        assertSnapshot(render(first, size: first.size, options: RenderOptions()), "Stats/stats-reading-80x24")
        // No calls at all; then none today though some this week.
        let none = Self.shown([])
        assertSnapshot(render(none, size: none.size, options: RenderOptions()), "Stats/stats-empty-80x24")
        let quiet = Self.shown(W.tallies.filter { ($0.startDate ?? .distantPast) < date("2025-11-26T08:00:00Z") })
        let text = screen(quiet)
        #expect(text.contains("No calls today yet.") && text.contains("This week: 2 dials (w)") && text.contains("30 days: 8 dials (m)"))
        #expect(text.contains("0 / 60"))
        // The mirror does not reach back over the period yet: the share held is said (and the numbers
        // still shown).
        let partial = HistoryProgress(userID: "u-1", mirrored: 120, isComplete: false,
                                      oldestStart: date("2025-11-17T08:00:00Z"), syncedAt: W.now, isSyncing: true)
        var loading = Self.shown(progress: partial)
        press(&loading, .char("m"))
        assertSnapshot(render(loading, size: loading.size, options: RenderOptions()), "Stats/stats-history-loading-80x24")
        #expect(screen(loading).contains("history still loading: 32 % of this period"))  // 9.6 of 29.7 days
        press(&loading, .char("t"))
        #expect(!screen(loading).contains("history still loading"), "today is covered")
        // No sync running and the last one 3 hours old: its age.
        let old = HistoryProgress(userID: "u-1", mirrored: 900, isComplete: true, syncedAt: W.now.addingTimeInterval(-3 * 3600 - 60))
        let stale = screen(Self.shown(progress: old))
        #expect(stale.contains("as of 3 h ago (last sync Nov 26 11:59); calls since then are not counted"), "\(stale)")
        let syncing = HistoryProgress(userID: "u-1", mirrored: 900, isComplete: true, syncedAt: W.now.addingTimeInterval(-3 * 3600),
                                      isSyncing: true)
        #expect(!screen(Self.shown(progress: syncing)).contains("as of"))
    }
}

extension StatsTabTests {
    /// A letter bound in `[keys]` to another action keeps that action on the Stats tab.
    @Test func reboundLettersWin() throws {
        var s = Self.shown(W.tallies)
        s.environment.keymap = try Keymap(overrides: ["tab_calls": ["w"]])
        press(&s, .char("m"))
        #expect(s.stats.period == .month)
        press(&s, .right)
        #expect(s.stats.period == .today)
        #expect(screen(s).contains("t/m today/30 days"))
        press(&s, .char("w"))
        #expect(s.tab == .calls)
    }
}
