import Foundation
import AmplemarketModels

/// The filter menu (`f` on the Calls tab): the focused row and, per row and value, how many loaded calls
/// that value would show with the other filters (and the `/` text) as they are. Counts are made in one
/// pass over the loaded calls when the menu opens and each time a filter changes.
public struct FilterMenuState: Sendable, Hashable {
    public var cursor: FilterRow = .answered
    /// Loaded calls shown with each `Answered` value.
    public var answeredCounts: [CallFilter.Answered: Int] = [:]
    public var partyCounts: [CallFilter.Party: Int] = [:]
    public var dispositionCounts: [CallFilter.Disposition: Int] = [:]
    public var dateCounts: [CallFilter.DateRange: Int] = [:]
    public init() {}

    /// The read of the menu's counts over the whole mirror (when the list is a window over it).
    static func facetsLoad(_ calls: CallsState, _ context: FeatureContext) -> [Effect] {
        guard calls.list.window != nil, let q = calls.historyQuery(context) else { return [] }
        let now = context.now
        let starts = [startOfDay(now, zone: context.zone), now.addingTimeInterval(-7 * 86_400), now.addingTimeInterval(-30 * 86_400)]
        return [.io(.load(.historyFacets(q, dateStarts: starts)))]
    }

    /// Takes the counts of the whole mirror.
    mutating func take(_ f: HistoryFacets, _ context: FeatureContext) {
        for (i, v) in CallFilter.Answered.allCases.enumerated() where i < f.answered.count { answeredCounts[v] = f.answered[i] }
        for (i, v) in CallFilter.Party.allCases.enumerated() where i < f.party.count { partyCounts[v] = f.party[i] }
        for (i, v) in CallFilter.DateRange.allCases.enumerated() where i < f.dates.count { dateCounts[v] = f.dates[i] }
        dispositionCounts = [.any: f.dispositionAny, .none: f.dispositionNone]
        for d in context.session.dispositions.list { dispositionCounts[.id(d.id)] = f.byDisposition[d.id, default: 0] }
    }

    /// The menu with fresh counts for `calls`, on the same row.
    func recounted(_ calls: CallsState, _ context: FeatureContext) -> FilterMenuState {
        // Over the mirror the store counts again (`facetsLoad`); these stand until its answer comes.
        if calls.list.window != nil { return self }
        var m = Self.counts(calls, context)
        m.cursor = cursor
        return m
    }

    /// Counts for the menu (one pass over the loaded calls).
    static func counts(_ calls: CallsState, _ context: FeatureContext) -> FilterMenuState {
        var m = FilterMenuState()
        // Over the whole mirrored history the counts come from the store (`facetsLoad`); counts of the
        // loaded rows would mislead.
        if calls.list.window != nil { return m }
        let needle = calls.list.needleBytes
        let f = calls.filter.filter
        let now = context.now
        let today = startOfDay(now, zone: context.zone)
        let week = now.addingTimeInterval(-7 * 86_400), month = now.addingTimeInterval(-30 * 86_400)
        let since = calls.filter.since
        var answered = [0, 0, 0], party = [0, 0, 0], dates = [0, 0, 0, 0]
        var dispositionAny = 0, dispositionNone = 0
        var byDisposition: [String: Int] = [:]
        for (i, c) in calls.list.items.enumerated() where calls.list.matchesText(i, needle) {
            var g = f; g.answered = .any
            if g.matches(c, since: since) {
                answered[0] += 1
                if c.answered == true { answered[1] += 1 } else if c.answered == false { answered[2] += 1 }
            }
            g = f; g.party = .any
            if g.matches(c, since: since) {
                party[0] += 1
                if c.answered == true && c.human == true { party[1] += 1 }
                if c.answered == true && c.human == false { party[2] += 1 }
            }
            g = f; g.disposition = .any
            if g.matches(c, since: since) {
                dispositionAny += 1
                if let id = c.dispositionID, !id.isEmpty { byDisposition[id, default: 0] += 1 } else { dispositionNone += 1 }
            }
            g = f; g.dateRange = .any
            if g.matches(c, since: nil) {
                dates[0] += 1
                if let s = c.startDate {
                    if s >= today { dates[1] += 1 }
                    if s >= week { dates[2] += 1 }
                    if s >= month { dates[3] += 1 }
                }
            }
        }
        for (i, v) in CallFilter.Answered.allCases.enumerated() { m.answeredCounts[v] = answered[i] }
        for (i, v) in CallFilter.Party.allCases.enumerated() { m.partyCounts[v] = party[i] }
        for (i, v) in CallFilter.DateRange.allCases.enumerated() { m.dateCounts[v] = dates[i] }
        m.dispositionCounts[.any] = dispositionAny
        m.dispositionCounts[.none] = dispositionNone
        for d in context.session.dispositions.list { m.dispositionCounts[.id(d.id)] = byDisposition[d.id, default: 0] }
        return m
    }

    /// What a key did to the menu.
    enum Outcome {
        /// The menu stays open.
        case open
        /// The menu closes.
        case closed
        /// The menu closes and the rep asked to quit.
        case quit
    }

    /// A key in the menu: `j`/`k` (↓/↑, Tab) move between rows; Space / → and ← change the focused row's
    /// value; `a` `h` `d` `t` cycle a row directly; `x` clears every filter; Esc, `f`, `q`, Enter close.
    /// A change refilters `calls` and recounts.
    mutating func handle(_ key: Key, _ calls: inout CallsState, _ context: FeatureContext) -> Outcome {
        let rows = FilterRow.allCases
        let dispositions = context.session.dispositions
        func change(_ body: (inout CallFilterState) -> Void) {
            body(&calls.filter)
            calls.applyFilterChange(context)
            self = recounted(calls, context)
        }
        switch key {
        case .escape, .char("q"), .char("f"), .enter: return .closed
        case .ctrl("c"): return .quit
        case .char("j"), .down, .tab: cursor = rows[(cursor.rawValue + 1) % rows.count]
        case .char("k"), .up, .backTab: cursor = rows[(cursor.rawValue + rows.count - 1) % rows.count]
        case .char(" "), .right: let row = cursor; change { $0.cycle(row, step: 1, dispositions) }
        case .left: let row = cursor; change { $0.cycle(row, step: -1, dispositions) }
        case .char("x"): change { $0.filter = CallFilter() }
        case .char(let c):
            guard let row = rows.first(where: { $0.quickKey == c }) else { return .open }
            cursor = row
            change { $0.cycle(row, step: 1, dispositions) }
        default: break
        }
        return .open
    }
}
