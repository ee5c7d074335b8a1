import Foundation
import AmplemarketModels

/// The periods the Stats tab and `dispo stats` count over, in the rep's time zone.
public enum StatsPeriod: String, Sendable, Hashable, CaseIterable, Codable {
    /// Since local midnight.
    case today
    /// Since Monday 00:00 local (ISO weeks).
    case week
    /// The 30 local calendar days ending today, today included.
    case month

    /// The title shown on the tab.
    public var title: String {
        switch self { case .today: "Today"; case .week: "This week"; case .month: "30 days" }
    }

    /// The key that shows this period on the Stats tab.
    var key: Character {
        switch self { case .today: "t"; case .week: "w"; case .month: "m" }
    }

    /// When the period starts, at `now` in `zone` (days are calendar days: 23 or 25 hours on a DST change).
    public func start(now: Date, zone: TimeZone) -> Date {
        let cal = statsCalendar(zone)
        let today = cal.startOfDay(for: now)
        switch self {
        case .today:
            return today
        case .week:
            let weekday = cal.component(.weekday, from: today)  // 1 = Sunday … 7 = Saturday
            let back = (weekday + 5) % 7  // days since Monday
            return cal.date(byAdding: .day, value: -back, to: today) ?? today
        case .month:
            return cal.date(byAdding: .day, value: -29, to: today) ?? today
        }
    }
}

/// A Gregorian calendar in `zone`, weeks from Monday.
func statsCalendar(_ zone: TimeZone) -> Calendar {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = zone
    cal.firstWeekday = 2
    return cal
}

/// A rep's activity over one period, counted from the calls' tallies: dials (calls), connects (answered),
/// conversations (a person answered), voicemails (a machine answered), talk time, the average
/// conversation, each disposition's share, and dials per day (per hour for today).
public struct CallStats: Sendable, Equatable {
    /// One disposition's share: its name (or "No disposition") and how many calls carried it.
    public struct Share: Sendable, Equatable {
        public var name: String
        public var count: Int
    }
    /// Dials in one day (or hour): its start and a short label (`Mon 1`, `14`).
    public struct Bucket: Sendable, Equatable {
        public var start: Date
        public var label: String
        public var dials: Int
    }

    public var period: StatsPeriod
    /// The period's first instant and `now`.
    public var since: Date
    public var until: Date
    public var dials = 0
    public var connects = 0
    public var conversations = 0
    public var voicemails = 0
    /// Seconds, of every call.
    public var talkSeconds = 0
    /// Seconds, of conversations only.
    public var conversationSeconds = 0
    /// Most common first (ties by name).
    public var byDisposition: [Share] = []
    /// Dials per local day of the period (per hour for today, up to now).
    public var buckets: [Bucket] = []

    /// The average conversation in seconds; nil with none.
    public var averageConversationSeconds: Int? {
        conversations > 0 ? Int((Double(conversationSeconds) / Double(conversations)).rounded()) : nil
    }

    /// Counts `tallies` that started within `period` at `now` in `zone`; `name` gives a call's disposition
    /// name (nil: "No disposition"). Linear in the tallies.
    public static func compute(_ tallies: [CallTally], period: StatsPeriod, now: Date, zone: TimeZone,
                               name: (CallTally) -> String?) -> CallStats {
        let since = period.start(now: now, zone: zone)
        var s = CallStats(period: period, since: since, until: now)
        let cal = statsCalendar(zone)
        // Bucket starts: each local day from `since` to today, or each hour of today up to now.
        var starts: [Date] = []
        var t = since
        let step: Calendar.Component = period == .today ? .hour : .day
        while t <= now {
            starts.append(t)
            guard let next = cal.date(byAdding: step, value: 1, to: t), next > t else { break }
            t = next
        }
        var counts = [Int](repeating: 0, count: starts.count)
        var shares: [String: Int] = [:]
        for tally in tallies {
            guard let start = tally.startDate, start >= since, start <= now else { continue }
            s.dials += 1
            if tally.answered == true {
                s.connects += 1
                if tally.human == true { s.conversations += 1; s.conversationSeconds += max(0, tally.duration ?? 0) }
                if tally.human == false { s.voicemails += 1 }
            }
            s.talkSeconds += max(0, tally.duration ?? 0)
            shares[name(tally) ?? "No disposition", default: 0] += 1
            // The last bucket starting at or before the call.
            var lo = 0, hi = starts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if starts[mid] <= start { lo = mid } else { hi = mid - 1 }
            }
            if !counts.isEmpty { counts[lo] += 1 }
        }
        s.byDisposition = shares.map { Share(name: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        s.buckets = zip(starts, counts).map { start, n in
            let c = cal.dateComponents([.weekday, .day, .hour], from: start)
            let label: String
            switch period {
            case .today: label = String(c.hour ?? 0)
            case .week: label = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][((c.weekday ?? 1) - 1) % 7]
            case .month: label = String(c.day ?? 1)
            }
            return Bucket(start: start, label: label, dials: n)
        }
        return s
    }

    /// `dispo stats --json`: the numbers under the API's style of snake_case keys; dates in ISO 8601 UTC.
    public struct Summary: Encodable, Sendable {
        public var period: String
        public var since: String
        public var until: String
        public var dials: Int
        public var connects: Int
        public var conversations: Int
        public var voicemails: Int
        public var talkSeconds: Int
        public var averageConversationSeconds: Int?
        /// Disposition name → calls, most common first when printed as text.
        public var byDisposition: [String: Int]
        /// Dials per local day (per hour for today), by the bucket's start in ISO 8601.
        public var dialsPerDay: [String: Int]

        enum CodingKeys: String, CodingKey {
            case period, since, until, dials, connects, conversations, voicemails
            case talkSeconds = "talk_seconds", averageConversationSeconds = "average_conversation_seconds"
            case byDisposition = "by_disposition", dialsPerDay = "dials_per_day"
        }
    }

    /// The numbers for scripting.
    public var summary: Summary {
        Summary(period: period.rawValue, since: APIDate.format(since), until: APIDate.format(until), dials: dials,
                connects: connects, conversations: conversations, voicemails: voicemails, talkSeconds: talkSeconds,
                averageConversationSeconds: averageConversationSeconds,
                byDisposition: Dictionary(byDisposition.map { ($0.name, $0.count) }, uniquingKeysWith: +),
                dialsPerDay: Dictionary(buckets.map { (APIDate.format($0.start), $0.dials) }, uniquingKeysWith: +))
    }

    /// The numbers as lines of `label<TAB>value` for `dispo stats` without `--json`.
    public var textLines: [String] {
        var lines = ["period\t\(period.title) (since \(APIDate.format(since)))", "dials\t\(dials)",
                     "connects\t\(connects)\t\(percent(connects, of: dials))",
                     "conversations\t\(conversations)\t\(percent(conversations, of: dials))",
                     "voicemails\t\(voicemails)\t\(percent(voicemails, of: dials))",
                     "talk time\t\(formatTalkTime(talkSeconds))",
                     "average conversation\t\(averageConversationSeconds.map(formatTalkTime) ?? "-")"]
        for share in byDisposition {
            lines.append("disposition\t\(sanitize(share.name))\t\(share.count)\t\(percent(share.count, of: dials))")
        }
        return lines
    }
}

/// `42 %` of a whole (0 % of nothing).
func percent(_ part: Int, of whole: Int) -> String {
    whole > 0 ? "\(Int((100 * Double(part) / Double(whole)).rounded())) %" : "0 %"
}

/// Talk time: `45s`, `12m 05s`, `3h 07m`.
public func formatTalkTime(_ seconds: Int) -> String {
    let s = max(0, seconds)
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m \(pad2(s % 60, "0"))s" }
    return "\(s / 3600)h \(pad2(s / 60 % 60, "0"))m"
}
