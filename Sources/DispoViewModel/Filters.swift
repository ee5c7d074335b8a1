import Foundation
import AmplemarketModels

/// Call-list filters beyond the `/` text (design.md §1.2: answered, human/voicemail, disposition, date).
/// They run in the client over the loaded pages (per amplemarket-api.md §3, `GET /calls` has no server
/// filter on answered / human / disposition); more pages load as the cursor nears the end of the
/// filtered rows, as for the unfiltered list.
public struct CallFilter: Sendable, Hashable {
    /// Whether anyone (or anything) picked up (`answered`).
    public enum Answered: Sendable, Hashable, CaseIterable { case any, answered, unanswered }
    /// Who picked up: a person (`human` true) or a machine / voicemail (`answered` true, `human` false).
    public enum Party: Sendable, Hashable, CaseIterable { case any, human, voicemail }
    /// The call's disposition: any, none logged, or one disposition id.
    public enum Disposition: Sendable, Hashable { case any, none, id(String) }
    /// When the call started: today (since local midnight in the rep's time zone), the last 7 or 30 days
    /// (24-hour periods back from now).
    public enum DateRange: Sendable, Hashable, CaseIterable { case any, today, last7Days, last30Days }

    public var answered: Answered = .any
    public var party: Party = .any
    public var disposition: Disposition = .any
    public var dateRange: DateRange = .any

    public init(answered: Answered = .any, party: Party = .any, disposition: Disposition = .any,
                dateRange: DateRange = .any) {
        self.answered = answered; self.party = party; self.disposition = disposition; self.dateRange = dateRange
    }

    /// True when any filter is set.
    public var isActive: Bool { self != CallFilter() }

    /// The earliest start date `dateRange` lets through, at `now` in `zone`; nil for `.any`.
    public func since(now: Date, zone: TimeZone) -> Date? {
        switch dateRange {
        case .any: nil
        case .today: startOfDay(now, zone: zone)
        case .last7Days: now.addingTimeInterval(-7 * 86_400)
        case .last30Days: now.addingTimeInterval(-30 * 86_400)
        }
    }

    /// True when `call` passes every filter (`since` from `since(now:zone:)`).
    public func matches(_ call: Call, since: Date?) -> Bool {
        switch answered {
        case .any: break
        case .answered: if call.answered != true { return false }
        case .unanswered: if call.answered != false { return false }
        }
        switch party {
        case .any: break
        case .human: if call.answered != true || call.human != true { return false }
        case .voicemail: if call.answered != true || call.human != false { return false }
        }
        switch disposition {
        case .any: break
        case .none: if let id = call.dispositionID, !id.isEmpty { return false }
        case .id(let id): if call.dispositionID != id { return false }
        }
        if let since {
            guard let start = call.startDate, start >= since else { return false }
        }
        return true
    }
}

extension CallFilter.Answered {
    /// The word shown in the filter menu and the list header.
    public var word: String {
        switch self { case .any: "any"; case .answered: "answered"; case .unanswered: "unanswered" }
    }
}

extension CallFilter.Party {
    public var word: String {
        switch self { case .any: "any"; case .human: "human"; case .voicemail: "voicemail" }
    }
}

extension CallFilter.DateRange {
    public var word: String {
        switch self { case .any: "any"; case .today: "today"; case .last7Days: "7 days"; case .last30Days: "30 days" }
    }
}

/// A row of the filter menu (`f` on the Calls tab), in display order.
public enum FilterRow: Int, Sendable, Hashable, CaseIterable {
    case answered, party, disposition, date

    /// The key that cycles this row while the menu is open.
    public var quickKey: Character {
        switch self { case .answered: "a"; case .party: "h"; case .disposition: "d"; case .date: "t" }
    }

    public var label: String {
        switch self { case .answered: "Answered"; case .party: "Human / VM"; case .disposition: "Disposition"; case .date: "Date" }
    }
}

/// The filter menu's state: the focused row and, per row and value, how many loaded calls that value
/// would show with the other filters (and the `/` text) as they are. Counts are computed in one pass
/// over the loaded calls each time the menu opens or a filter changes.
public struct FilterMenuState: Sendable, Hashable {
    public var cursor: FilterRow = .answered
    /// Loaded calls shown with each `Answered` value.
    public var answeredCounts: [CallFilter.Answered: Int] = [:]
    public var partyCounts: [CallFilter.Party: Int] = [:]
    public var dispositionCounts: [CallFilter.Disposition: Int] = [:]
    public var dateCounts: [CallFilter.DateRange: Int] = [:]
    public init() {}
}

extension AppState {
    /// The values the disposition filter cycles through: any, none, then each loaded disposition.
    var dispositionFilterValues: [CallFilter.Disposition] {
        [.any, .none] + dispositions.map { .id($0.id) }
    }

    /// The rep-facing word of a disposition filter value.
    func word(_ d: CallFilter.Disposition) -> String {
        switch d {
        case .any: "any"
        case .none: "(none)"
        case .id(let id): dispositionName(id: id) ?? id
        }
    }

    /// The active filters in words, for the list header: `unanswered · Busy · 7 days`; empty when none.
    var callFilterSummary: [String] {
        var parts: [String] = []
        if callFilter.answered != .any { parts.append(callFilter.answered.word) }
        if callFilter.party != .any { parts.append(callFilter.party.word) }
        if callFilter.disposition != .any {
            parts.append(callFilter.disposition == .none ? "no disposition" : word(callFilter.disposition))
        }
        if callFilter.dateRange != .any { parts.append(callFilter.dateRange.word) }
        return parts
    }

    /// Counts for the filter menu (one O(n) pass over the loaded calls).
    func filterCounts() -> FilterMenuState {
        var m = FilterMenuState()
        let needle = Array(foldForSearch(callList.filter.text).utf8)
        let f = callFilter
        let now = environment.now
        let today = startOfDay(now, zone: environment.timeZone)
        let week = now.addingTimeInterval(-7 * 86_400), month = now.addingTimeInterval(-30 * 86_400)
        let since = callFilterSince
        var answered = [0, 0, 0], party = [0, 0, 0], dates = [0, 0, 0, 0]
        var dispositionAny = 0, dispositionNone = 0
        var byDisposition: [String: Int] = [:]
        for c in calls where needle.isEmpty || callMatchesFolded(c, needle) {
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
        for d in dispositions { m.dispositionCounts[.id(d.id)] = byDisposition[d.id, default: 0] }
        return m
    }

    /// Moves one filter row to its next (`step` 1) or previous (`step` -1) value and refilters.
    mutating func cycleFilter(_ row: FilterRow, step: Int) {
        func next<T: Equatable>(_ all: [T], _ current: T) -> T {
            let i = all.firstIndex(of: current) ?? 0
            return all[((i + step) % all.count + all.count) % all.count]
        }
        switch row {
        case .answered: callFilter.answered = next(CallFilter.Answered.allCases, callFilter.answered)
        case .party: callFilter.party = next(CallFilter.Party.allCases, callFilter.party)
        case .disposition: callFilter.disposition = next(dispositionFilterValues, callFilter.disposition)
        case .date: callFilter.dateRange = next(CallFilter.DateRange.allCases, callFilter.dateRange)
        }
        applyCallFilterChange()
    }

    /// Refilters after the filter changed, keeping the selected call under the cursor when it still
    /// shows (else the first row), and refreshes the menu's counts if it is open.
    mutating func applyCallFilterChange() {
        let selectedID = selectedCall?.id
        refilterCalls()
        if let id = selectedID, let i = calls.firstIndex(where: { $0.id == id }),
           let row = callList.matches.map({ $0.firstIndex(of: i) }) ?? i {
            callList.cursor = row
        } else {
            callList.cursor = 0
            callList.top = 0
        }
        clampCursor(&callList, total: calls.count)
        if case .filterMenu(let menu)? = modal {
            var m = filterCounts()
            m.cursor = menu.cursor
            modal = .filterMenu(m)
        }
    }
}

/// Keys of the filter menu: `j`/`k` (↓/↑) move between rows, Space / Enter / → and ← change the focused
/// row's value, `a` `h` `d` `t` cycle a row directly, `x` clears every filter, Esc / `f` / `q` close.
func handleFilterMenuKey(_ state: inout AppState, _ menu: FilterMenuState, _ key: Key) -> [Effect] {
    var menu = menu
    let rows = FilterRow.allCases
    switch key {
    case .escape, .char("q"), .char("f"), .enter:
        state.modal = nil
        return state.prefetchIfNeeded()
    case .char("j"), .down, .tab:
        menu.cursor = rows[(menu.cursor.rawValue + 1) % rows.count]
        state.modal = .filterMenu(menu)
    case .char("k"), .up, .backTab:
        menu.cursor = rows[(menu.cursor.rawValue + rows.count - 1) % rows.count]
        state.modal = .filterMenu(menu)
    case .char(" "), .right:
        state.modal = .filterMenu(menu)
        state.cycleFilter(menu.cursor, step: 1)
    case .left:
        state.modal = .filterMenu(menu)
        state.cycleFilter(menu.cursor, step: -1)
    case .char("x"):
        state.modal = .filterMenu(menu)
        state.callFilter = CallFilter()
        state.applyCallFilterChange()
    case .char(let c):
        guard let row = rows.first(where: { $0.quickKey == c }) else { return [] }
        menu.cursor = row
        state.modal = .filterMenu(menu)
        state.cycleFilter(row, step: 1)
    case .ctrl("c"):
        state.modal = nil
        return requestQuit(&state)
    default:
        return []
    }
    return []
}
