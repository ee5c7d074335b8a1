import Foundation
import AmplemarketModels

/// The Calls tab's filters and the start date the date filter was last applied with (fixed then, so pages
/// appended later are filtered alike).
public struct CallFilterState: Sendable, Hashable {
    public var filter = CallFilter()
    /// The earliest start date the date filter lets through; nil without a date filter.
    public var since: Date?

    public init() {}

    /// The list's predicate; nil when no filter is set.
    var predicate: ListPredicate<Call>? {
        guard filter.isActive else { return nil }
        let filter = self.filter, since = self.since
        return ListPredicate(key: PredicateKey(self)) { filter.matches($0, since: since) }
    }

    /// True when the clock has moved the date filter's start: "today" at local midnight, the rolling
    /// windows once they have moved an hour (one pass over the calls then, not every tick).
    func isStale(now: Date, zone: TimeZone) -> Bool {
        guard let old = since, let new = filter.since(now: now, zone: zone) else { return false }
        return filter.dateRange == .today ? new != old : new.timeIntervalSince(old) >= 3600
    }

    /// The values the disposition filter cycles through: any, none, then each disposition.
    static func dispositionValues(_ dispositions: Dispositions) -> [CallFilter.Disposition] {
        [.any, .none] + dispositions.list.map { .id($0.id) }
    }

    /// The rep-facing word of a disposition filter value.
    static func word(_ d: CallFilter.Disposition, _ dispositions: Dispositions) -> String {
        switch d {
        case .any: "any"
        case .none: "(none)"
        case .id(let id): dispositions.name(id: id) ?? id
        }
    }

    /// The active filters in words, for the tab bar: `unanswered · Busy · 7 days`; empty when none.
    func summary(_ dispositions: Dispositions) -> [String] {
        var parts: [String] = []
        if filter.answered != .any { parts.append(filter.answered.word) }
        if filter.party != .any { parts.append(filter.party.word) }
        if filter.disposition != .any {
            parts.append(filter.disposition == .none ? "no disposition" : Self.word(filter.disposition, dispositions))
        }
        if filter.dateRange != .any { parts.append(filter.dateRange.word) }
        return parts
    }

    /// Moves one filter to its next (`step` 1) or previous (`step` -1) value.
    mutating func cycle(_ row: FilterRow, step: Int, _ dispositions: Dispositions) {
        func next<T: Equatable>(_ all: [T], _ current: T) -> T {
            let i = all.firstIndex(of: current) ?? 0
            return all[((i + step) % all.count + all.count) % all.count]
        }
        switch row {
        case .answered: filter.answered = next(CallFilter.Answered.allCases, filter.answered)
        case .party: filter.party = next(CallFilter.Party.allCases, filter.party)
        case .disposition: filter.disposition = next(Self.dispositionValues(dispositions), filter.disposition)
        case .date: filter.dateRange = next(CallFilter.DateRange.allCases, filter.dateRange)
        }
    }
}
