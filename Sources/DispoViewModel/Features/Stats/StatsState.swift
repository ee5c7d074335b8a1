import Foundation
import AmplemarketModels

/// The Stats tab: the tallies of the rep's last 30 days read from the local mirror, the period shown,
/// the numbers of every period (counted once when tallies arrive, the dispositions' names change or the
/// local hour turns, never per key or frame), and how complete the mirror was when read.
public struct StatsState: Sendable {
    /// The tallies since `since` (nil before a first read).
    public private(set) var tallies: [CallTally]?
    /// The first instant the tallies cover (the 30-day period's start when read).
    public private(set) var since: Date?
    /// How complete the mirror was at the read.
    public private(set) var progress: HistoryProgress?
    /// The period shown.
    public private(set) var period: StatsPeriod = .today
    /// The numbers of each period (empty before a first read).
    public private(set) var counted: [StatsPeriod: CallStats] = [:]
    /// True while a read is asked for and not answered.
    public var isLoading = false
    /// True when the mirror changed since the last read (or nothing was read): the next showing reads again.
    public var isStale = true
    /// The first line drawn, when the tab does not fit the window.
    public var scroll = 0
    /// The local hour the numbers were counted in (today's chart grows by the hour; a new day moves
    /// every period).
    private var countedHour: Int?

    public init() {}

    /// The numbers of the period shown (nil before a first read).
    public var stats: CallStats? { counted[period] }

    /// Shows `period` (its numbers are counted already).
    mutating func show(_ period: StatsPeriod) {
        self.period = period
        scroll = 0
    }

    /// The read to ask for now: when nothing was read yet or the mirror changed, none is in flight and
    /// the rep is known. Without a local history (config `history = false`) nothing can be read.
    mutating func loadIfNeeded(_ context: FeatureContext) -> [Effect] {
        guard isStale, !isLoading, context.environment.keepsHistory, let user = context.session.user else { return [] }
        isLoading = true
        isStale = false
        return [.io(.load(.stats(userID: user.id, since: StatsPeriod.month.start(now: context.now, zone: context.zone))))]
    }

    /// Tallies arrived: every period counted.
    mutating func receive(_ tallies: [CallTally], since: Date, progress: HistoryProgress, _ context: FeatureContext) {
        self.tallies = tallies
        self.since = since
        self.progress = progress
        isLoading = false
        recount(context)
    }

    /// Counts every period again (new tallies, a new hour, the dispositions' names arrived).
    mutating func recount(_ context: FeatureContext) {
        guard let tallies else { return }
        let dispositions = context.session.dispositions
        for p in StatsPeriod.allCases {
            counted[p] = CallStats.compute(tallies, period: p, now: context.now, zone: context.zone, dispositions: dispositions)
        }
        countedHour = Self.hourKey(context)
    }

    /// The clock moved: on a new local hour the numbers are counted again (today's chart gains an hour); on
    /// a new local day the tallies are read again too (the 30 days moved on).
    mutating func clockMoved(_ context: FeatureContext) {
        guard let hour = countedHour else { return }
        let now = Self.hourKey(context)
        guard now != hour else { return }
        if now / 100 != hour / 100 { isStale = true }
        recount(context)
    }

    /// `yyyymmddhh` of now in the rep's zone.
    private static func hourKey(_ context: FeatureContext) -> Int {
        let c = CivilTime(context.now, zone: context.zone)
        return ((c.year * 100 + c.month) * 100 + c.day) * 100 + c.hour
    }
}
