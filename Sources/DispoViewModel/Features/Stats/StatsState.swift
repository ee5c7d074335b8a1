import Foundation
import AmplemarketModels

/// The Stats tab: the tallies of the rep's last 30 days read from the local mirror, the period shown,
/// its numbers (counted once when tallies arrive, the period changes or the day turns, never per frame),
/// and how complete the mirror was when read.
public struct StatsState: Sendable {
    /// The tallies since `since` (nil before a first read).
    public private(set) var tallies: [CallTally]?
    /// The first instant the tallies cover (the 30-day period's start when read).
    public private(set) var since: Date?
    /// How complete the mirror was at the read.
    public private(set) var progress: HistoryProgress?
    /// The period shown.
    public var period: StatsPeriod = .today
    /// The numbers of `period` (nil before a first read).
    public private(set) var stats: CallStats?
    /// True while a read is asked for and not answered.
    public var isLoading = false
    /// True when the mirror changed since the last read (the next showing reads again).
    public var isStale = true
    /// The first line drawn, when the tab does not fit the window.
    public var scroll = 0
    /// The local day the numbers were counted on, so they are counted again when it turns.
    private var countedDay: Date?

    public init() {}

    /// The read to ask for now: when nothing was read yet or the mirror changed, and none is in flight.
    mutating func loadIfNeeded(_ context: FeatureContext) -> [Effect] {
        guard isStale, !isLoading, let user = context.session.user else { return [] }
        isLoading = true
        isStale = false
        return [.io(.load(.stats(userID: user.id, since: StatsPeriod.month.start(now: context.now, zone: context.zone))))]
    }

    /// Tallies arrived: counted for the shown period.
    mutating func receive(_ tallies: [CallTally], since: Date, progress: HistoryProgress, _ context: FeatureContext) {
        self.tallies = tallies
        self.since = since
        self.progress = progress
        isLoading = false
        recount(context)
    }

    /// Counts the shown period again (a period key, a new day).
    mutating func recount(_ context: FeatureContext) {
        guard let tallies else { return }
        let dispositions = context.session.dispositions
        stats = CallStats.compute(tallies, period: period, now: context.now, zone: context.zone) {
            dispositions.name(id: $0.dispositionID, fallback: $0.dispositionName)
        }
        countedDay = statsCalendar(context.zone).startOfDay(for: context.now)
    }

    /// The clock moved: on a new local day the tallies are read again (the 30 days moved on); the
    /// shown numbers are counted again meanwhile.
    mutating func clockMoved(_ context: FeatureContext) {
        guard let day = countedDay, statsCalendar(context.zone).startOfDay(for: context.now) != day else { return }
        isStale = true
        recount(context)
    }
}
