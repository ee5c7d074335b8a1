import Foundation
import AmplemarketModels

/// The periods the Stats tab and `dispo stats` count over, in the rep's time zone. Raw values are the
/// names `dispo stats --period` takes and `--json` writes as `period`.
public enum StatsPeriod: String, Sendable, Hashable, CaseIterable, Codable {
    /// Since local midnight.
    case today
    /// Since Monday 00:00 local (ISO weeks, Monday first).
    case week
    /// The 30 local calendar days ending today, today included.
    case month

    /// The title shown on the tab (`Today`, `This week`, `30 days`).
    public var title: String {
        switch self { case .today: "Today"; case .week: "This week"; case .month: "30 days" }
    }

    /// The key that shows this period on the Stats tab.
    var key: Character {
        switch self { case .today: "t"; case .week: "w"; case .month: "m" }
    }

    /// When the period starts, at `now` in `zone`: a local midnight (the day's first instant where a DST
    /// change skips midnight). Days are calendar days, so 23 or 25 hours long on a DST change.
    public func start(now: Date, zone: TimeZone) -> Date {
        let cal = statsCalendar(zone)
        switch self {
        case .today:
            return cal.startOfDay(for: now)
        case .week:
            let weekday = cal.component(.weekday, from: now)  // 1 = Sunday … 7 = Saturday
            return localDay(-((weekday + 5) % 7), from: now, cal)  // back to Monday
        case .month:
            return localDay(-29, from: now, cal)
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

/// The start of the local day `offset` days from the one holding `date` (counted from its noon, so a day
/// of 23 or 25 hours never shifts the result by one).
func localDay(_ offset: Int, from date: Date, _ cal: Calendar) -> Date {
    let today = cal.startOfDay(for: date)
    let noon = cal.date(byAdding: .hour, value: 12, to: today) ?? today
    return cal.startOfDay(for: cal.date(byAdding: .day, value: offset, to: noon) ?? noon)
}

/// A rep's activity over one period, counted from the calls' tallies: dials (calls), connects (answered),
/// conversations (a person answered), voicemails (a machine answered), talk time, the average
/// conversation, each disposition's share, and dials per local day (per local hour for today).
///
/// Built once per read of the history (or new day), never per frame: the Stats tab keeps one per period.
public struct CallStats: Sendable, Equatable {
    /// One disposition's share: its display name (sanitised; "No disposition" for calls without one) and
    /// how many calls of the period carried it.
    public struct Share: Sendable, Equatable {
        /// The disposition's id (nil for calls with none, or known only by name).
        public var dispositionID: String?
        public var name: String
        public var count: Int
    }
    /// Dials in one local day (or hour, for today): its first instant, a short label (`Mon`, `29`, `14`)
    /// and the calls that started in it.
    public struct Bucket: Sendable, Equatable {
        public var start: Date
        public var label: String
        public var dials: Int
    }

    /// The name counted for calls with no disposition.
    public static let noDisposition = "No disposition"
    /// The name of a disposition id neither the workspace's list nor the call names.
    public static let unknownDisposition = "Unknown disposition"

    public var period: StatsPeriod
    /// The rep's zone the days are counted in.
    public var zone: TimeZone
    /// The period's first instant (a local midnight).
    public var since: Date
    /// When it was counted (`now`).
    public var until: Date
    /// Calls that started in the period.
    public var dials = 0
    /// Calls answered (`answered == true`), by a person or a machine.
    public var connects = 0
    /// Calls a person answered (`answered` and `human`).
    public var conversations = 0
    /// Calls a machine answered (`answered`, `human == false`).
    public var voicemails = 0
    /// Seconds, summed over every call of the period.
    public var talkSeconds = 0
    /// Seconds, summed over conversations only.
    public var conversationSeconds = 0
    /// Every disposition seen, most common first (ties by name).
    public var byDisposition: [Share] = []
    /// Dials per local day from `since` to today (per local hour from midnight to the current hour for
    /// today: 23 or 25 of them on a DST day), oldest first.
    public var buckets: [Bucket] = []

    /// The average conversation in whole seconds (talk of conversations / conversations); nil with none.
    public var averageConversationSeconds: Int? {
        conversations > 0 ? Int((Double(conversationSeconds) / Double(conversations)).rounded()) : nil
    }

    /// Dials today (the last bucket of any period ends today), for the daily goal.
    public var dialsToday: Int {
        period == .today ? dials : (buckets.last?.dials ?? 0)
    }

    /// Counts the `tallies` that started within `period` at `now` in `zone`; `name` gives a call's
    /// disposition name (nil: "No disposition", or "Unknown disposition" for an id with no name); calls
    /// are grouped by disposition id, else by that name. Tallies with no start date, or starting before the
    /// period, are left out; one starting after `now` (a server clock ahead of ours) counts in the
    /// newest day or hour. Linear in the tallies.
    public static func compute(_ tallies: [CallTally], period: StatsPeriod, now: Date, zone: TimeZone,
                               name: (CallTally) -> String?) -> CallStats {
        let since = period.start(now: now, zone: zone)
        var s = CallStats(period: period, zone: zone, since: since, until: now)
        let cal = statsCalendar(zone)
        // Bucket starts: each local day from `since` to today, or each hour of today up to now.
        var starts: [Date] = []
        if period == .today {
            var t = since
            while t <= now {
                starts.append(t)
                guard let next = cal.date(byAdding: .hour, value: 1, to: t), next > t else { break }
                t = next
            }
        } else {
            var t = since
            while t <= now {
                starts.append(t)
                let next = localDay(1, from: t, cal)
                guard next > t else { break }
                t = next
            }
        }
        if starts.isEmpty { starts = [since] }
        let end = localDay(1, from: now, cal)  // tomorrow's midnight
        var counts = [Int](repeating: 0, count: starts.count)
        var shares: [String: Share] = [:]  // by id, else by name
        for tally in tallies {
            guard let start = tally.startDate, start >= since, start < end else { continue }
            s.dials += 1
            let seconds = max(0, tally.duration ?? 0)
            s.talkSeconds += seconds
            if tally.answered == true {
                s.connects += 1
                if tally.human == true { s.conversations += 1; s.conversationSeconds += seconds }
                if tally.human == false { s.voicemails += 1 }
            }
            let named = name(tally).map(sanitize).flatMap { isBlank($0) ? nil : $0 }
            let id = tally.dispositionID.flatMap { $0.isEmpty ? nil : $0 }
            let key = id.map { "id:" + $0 } ?? "name:" + (named ?? "")
            if shares[key] == nil {
                shares[key] = Share(dispositionID: id, name: named ?? (id == nil ? noDisposition : unknownDisposition), count: 0)
            }
            shares[key]!.count += 1
            // The last bucket starting at or before the call.
            var lo = 0, hi = starts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if starts[mid] <= start { lo = mid } else { hi = mid - 1 }
            }
            counts[lo] += 1
        }
        s.byDisposition = shares.values
            .sorted { ($1.count, $0.name, $0.dispositionID ?? "") < ($0.count, $1.name, $1.dispositionID ?? "") }
        s.buckets = zip(starts, counts).map { start, n in
            let c = CivilTime(start, zone: zone)
            let label: String
            switch period {
            case .today: label = String(c.hour)
            case .week: label = c.weekdayName
            case .month: label = String(c.day)
            }
            return Bucket(start: start, label: label, dials: n)
        }
        return s
    }

    /// Counts as above, naming dispositions by the workspace's list (`session.dispositions`), else by the
    /// name the call carried.
    public static func compute(_ tallies: [CallTally], period: StatsPeriod, now: Date, zone: TimeZone,
                               dispositions: Dispositions) -> CallStats {
        compute(tallies, period: period, now: now, zone: zone) {
            dispositions.name(id: $0.dispositionID, fallback: $0.dispositionName)
        }
    }

    /// `dispo stats --json`: one object.
    ///
    /// ```json
    /// {"period": "week", "since": "2025-11-24T00:00:00-05:00", "until": "2025-11-29T11:00:00-05:00",
    ///  "dials": 12, "connects": 7, "conversations": 4, "voicemails": 3,
    ///  "talk_seconds": 1234, "average_conversation_seconds": 250,
    ///  "by_disposition": {"Interested": 2, "No disposition": 1},
    ///  "dials_per_day": {"2025-11-24T00:00:00-05:00": 3, "...": 0}}
    /// ```
    /// Counts are calls, durations whole seconds; `average_conversation_seconds` is null with no
    /// conversation. `since` (the period's first local midnight), `until` (when counted) and the keys of
    /// `dials_per_day` (each local day's start; each hour's for `today`) are ISO 8601 with the rep's
    /// UTC offset. `by_disposition` is an object of display name → calls (every disposition seen; calls
    /// with none under "No disposition").
    public struct Summary: Encodable, Sendable, Equatable {
        public var period: String
        public var since: String
        public var until: String
        public var dials: Int
        public var connects: Int
        public var conversations: Int
        public var voicemails: Int
        public var talkSeconds: Int
        public var averageConversationSeconds: Int?
        public var byDisposition: [String: Int]
        public var dialsPerDay: [String: Int]

        enum CodingKeys: String, CodingKey {
            case period, since, until, dials, connects, conversations, voicemails
            case talkSeconds = "talk_seconds", averageConversationSeconds = "average_conversation_seconds"
            case byDisposition = "by_disposition", dialsPerDay = "dials_per_day"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(period, forKey: .period)
            try c.encode(since, forKey: .since)
            try c.encode(until, forKey: .until)
            try c.encode(dials, forKey: .dials)
            try c.encode(connects, forKey: .connects)
            try c.encode(conversations, forKey: .conversations)
            try c.encode(voicemails, forKey: .voicemails)
            try c.encode(talkSeconds, forKey: .talkSeconds)
            try c.encode(averageConversationSeconds, forKey: .averageConversationSeconds)  // null when none
            try c.encode(byDisposition, forKey: .byDisposition)
            try c.encode(dialsPerDay, forKey: .dialsPerDay)
        }
    }

    /// The numbers for scripting (`dispo stats --json`).
    public var summary: Summary {
        Summary(period: period.rawValue, since: isoLocal(since, zone), until: isoLocal(until, zone), dials: dials,
                connects: connects, conversations: conversations, voicemails: voicemails, talkSeconds: talkSeconds,
                averageConversationSeconds: averageConversationSeconds,
                byDisposition: Dictionary(sharesByName.map { ($0.name, $0.count) }, uniquingKeysWith: +),
                dialsPerDay: Dictionary(buckets.map { (isoLocal($0.start, zone), $0.dials) }, uniquingKeysWith: +))
    }

    /// `dispo stats` without `--json`: tab-separated lines, a label then its values.
    ///
    /// ```
    /// period                  This week   2025-11-24T00:00:00-05:00   2025-11-29T11:00:00-05:00
    /// dials                   12
    /// connects                7           58 %      (of dials)
    /// conversations           4           33 %
    /// voicemails              3           25 %
    /// talk time               20m 34s     1234      (seconds)
    /// average conversation    4m 10s      250       (`-` with none)
    /// disposition             Interested  2         17 %      (one line each, most common first)
    /// ```
    public var textLines: [String] {
        var lines = ["period\t\(period.title)\t\(isoLocal(since, zone))\t\(isoLocal(until, zone))",
                     "dials\t\(dials)",
                     "connects\t\(connects)\t\(percent(connects, of: dials))",
                     "conversations\t\(conversations)\t\(percent(conversations, of: dials))",
                     "voicemails\t\(voicemails)\t\(percent(voicemails, of: dials))",
                     "talk time\t\(formatTalkTime(talkSeconds))\t\(talkSeconds)",
                     "average conversation\t" + (averageConversationSeconds.map { "\(formatTalkTime($0))\t\($0)" } ?? "-")]
        for (name, count) in sharesByName {
            lines.append("disposition\t\(name)\t\(count)\t\(percent(count, of: dials))")
        }
        return lines
    }

    /// `byDisposition` with shares of one name added up (ids no one could name), most common first.
    public var sharesByName: [(name: String, count: Int)] {
        var order: [String] = [], counts: [String: Int] = [:]
        for share in byDisposition {
            if counts[share.name] == nil { order.append(share.name) }
            counts[share.name, default: 0] += share.count
        }
        return order.map { ($0, counts[$0]!) }.sorted { ($1.1, $0.0) < ($0.1, $1.0) }
    }
}

/// `42 %` of a whole, rounded (`0 %` of nothing).
func percent(_ part: Int, of whole: Int) -> String {
    whole > 0 ? "\(Int((100 * Double(part) / Double(whole)).rounded())) %" : "0 %"
}

/// `d` in ISO 8601 at its UTC offset in `zone`: `2025-11-29T00:00:00-05:00` (`Z` at UTC).
func isoLocal(_ d: Date, _ zone: TimeZone) -> String {
    let offset = zone.secondsFromGMT(for: d)
    let c = CivilTime(d, offset: offset)
    let a = abs(offset)
    let zoneText = offset == 0 ? "Z" : (offset < 0 ? "-" : "+") + pad2(a / 3600, "0") + ":" + pad2(a % 3600 / 60, "0")
    return c.isoDate + "T" + pad2(c.hour, "0") + ":" + pad2(c.minute, "0") + ":" + pad2(c.second, "0") + zoneText
}

/// Talk time from seconds: `45s`, `12m 05s`, `1h 23m` (seconds dropped from an hour on).
public func formatTalkTime(_ seconds: Int) -> String {
    let s = max(0, seconds)
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m \(pad2(s % 60, "0"))s" }
    return "\(s / 3600)h \(pad2(s / 60 % 60, "0"))m"
}
