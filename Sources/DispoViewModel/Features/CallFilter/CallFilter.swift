import Foundation
import AmplemarketModels

/// Call-list filters beyond the `/` text: answered, person or voicemail, disposition, date. They run in the
/// client over the loaded pages (per Amplemarket API: `GET /calls` has no filter on answered, human or
/// disposition); more pages load as the cursor nears the end of the filtered rows, as without filters.
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
