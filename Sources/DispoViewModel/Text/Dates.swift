import Foundation

/// How dates and times are written in lists and the call detail: one of a small fixed set, chosen by the
/// `date_format` setting of `config.toml`. Raw values are the setting's accepted spellings
/// (Unicode date-pattern style). Always in the rep's time zone (`AppEnvironment.timeZone`).
public enum DateStyle: String, Sendable, Hashable, CaseIterable {
    /// `Nov 29 15:32` (the default; 12 columns).
    case monthDay = "MMM d HH:mm"
    /// `2025-11-29 15:32` (16 columns).
    case iso = "yyyy-MM-dd HH:mm"
    /// `29/11 15:32` (11 columns).
    case dayMonth = "dd/MM HH:mm"
    /// `11/29 15:32` (11 columns).
    case monthDayNumeric = "MM/dd HH:mm"
    /// `Nov 29  3:32 PM` (15 columns, 12-hour clock).
    case monthDay12h = "MMM d h:mm a"

    /// Columns of `listDateTime` (every value has exactly this width, so list columns stay aligned).
    public var width: Int {
        switch self {
        case .monthDay: 12
        case .iso: 16
        case .dayMonth, .monthDayNumeric: 11
        case .monthDay12h: 15
        }
    }

    /// The list form of `d` (width `width`), in `zone`; empty for nil. Formatted once per second, style
    /// and zone (`ListDates`): a list shows the same rows on every frame.
    public func listDateTime(_ d: Date?, zone: TimeZone) -> String {
        guard let d else { return "" }
        return ListDates.shared.text(d, style: self, zone: zone)
    }

    /// `listDateTime` worked out.
    func formatListDateTime(_ d: Date, zone: TimeZone) -> String {
        let c = CivilTime(d, zone: zone)
        switch self {
        case .monthDay: return c.monthName + " " + pad2(c.day, " ") + " " + pad2(c.hour, "0") + ":" + pad2(c.minute, "0")
        case .iso: return c.isoDate + " " + pad2(c.hour, "0") + ":" + pad2(c.minute, "0")
        case .dayMonth: return pad2(c.day, "0") + "/" + pad2(c.month, "0") + " " + pad2(c.hour, "0") + ":" + pad2(c.minute, "0")
        case .monthDayNumeric:
            return pad2(c.month, "0") + "/" + pad2(c.day, "0") + " " + pad2(c.hour, "0") + ":" + pad2(c.minute, "0")
        case .monthDay12h:
            return c.monthName + " " + pad2(c.day, " ") + " " + pad2(c.hour12, " ") + ":" + pad2(c.minute, "0") + " " + c.amPM
        }
    }

    /// The detail form of `d`: full date, time with seconds and the zone's UTC offset at that instant,
    /// e.g. `2025-11-29 10:32:08 UTC-05:00` (`unknown` for nil). The offset, not the zone's identifier
    /// (`America/New_York`, `Etc/UTC`), says plainly which clock is meant.
    public func detailDateTime(_ d: Date?, zone: TimeZone) -> String {
        guard let d else { return "unknown" }
        let c = CivilTime(d, zone: zone)
        let seconds = pad2(c.hour, "0") + ":" + pad2(c.minute, "0") + ":" + pad2(c.second, "0")
        let date: String
        switch self {
        case .monthDay, .iso: date = c.isoDate + " " + seconds
        case .dayMonth: date = pad2(c.day, "0") + "/" + pad2(c.month, "0") + "/" + String(c.year) + " " + seconds
        case .monthDayNumeric: date = pad2(c.month, "0") + "/" + pad2(c.day, "0") + "/" + String(c.year) + " " + seconds
        case .monthDay12h:
            date = c.monthName + " " + String(c.day) + ", " + String(c.year) + " " + String(c.hour12) + ":"
                + pad2(c.minute, "0") + ":" + pad2(c.second, "0") + " " + c.amPM
        }
        return date + " " + utcOffset(zone.secondsFromGMT(for: d))
    }

    /// The short date of a task's due day: `Nov 29` (or `11-29`, `29/11`, `11/29`), 6 columns (5 for the
    /// numeric styles, padded).
    public func shortDate(_ d: Date?, zone: TimeZone) -> String {
        guard let d else { return "" }
        // A date-only value (midnight UTC, as the API writes `due_on`) is that calendar day, not shifted
        // into the previous day west of UTC.
        let c = CivilTime(d, zone: Int(d.timeIntervalSince1970) % 86_400 == 0 ? TimeZone(secondsFromGMT: 0)! : zone)
        switch self {
        case .monthDay, .monthDay12h: return c.monthName + " " + pad2(c.day, " ")
        case .iso: return pad2(c.month, "0") + "-" + pad2(c.day, "0")
        case .dayMonth: return pad2(c.day, "0") + "/" + pad2(c.month, "0")
        case .monthDayNumeric: return pad2(c.month, "0") + "/" + pad2(c.day, "0")
        }
    }
}

/// `UTC`, `UTC+01:00`, `UTC-05:00`, `UTC+05:45` for an offset in seconds east of UTC.
public func utcOffset(_ seconds: Int) -> String {
    if seconds == 0 { return "UTC" }
    let a = abs(seconds)
    return "UTC" + (seconds < 0 ? "-" : "+") + pad2(a / 3600, "0") + ":" + pad2(a % 3600 / 60, "0")
}

/// `n` (0…99) on two columns, padded on the left with `fill`.
func pad2(_ n: Int, _ fill: Character) -> String { n < 10 ? String(fill) + String(n) : String(n) }

let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/// Civil (wall-clock) date and time of an instant in a time zone, by arithmetic: Foundation's `Calendar`
/// is slow on Linux and list rows need this for every visible row on every frame.
struct CivilTime {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    init(_ d: Date, zone: TimeZone) {
        self.init(d, offset: zone.secondsFromGMT(for: d))
    }

    init(_ d: Date, offset: Int) {
        let t = Int((d.timeIntervalSince1970).rounded(.down)) + offset
        var days = t / 86_400
        var secs = t % 86_400
        if secs < 0 { secs += 86_400; days -= 1 }
        // Days since 1970-01-01 → proleptic Gregorian (H. Hinnant's civil_from_days).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        hour = secs / 3600; minute = secs % 3600 / 60; second = secs % 60
    }

    var monthName: String { monthNames[month - 1] }
    /// `Mon` … `Sun` (1970-01-01 was a Thursday).
    var weekdayName: String {
        let days = daysFromCivil(year, month, day)
        return ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
    }
    var isoDate: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + pad2(month, "0") + "-" + pad2(day, "0")
    }
    var hour12: Int { hour % 12 == 0 ? 12 : hour % 12 }
    var amPM: String { hour < 12 ? "AM" : "PM" }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// The start of the civil day holding `now` in `zone` (midnight local time), for the "today" filter.
func startOfDay(_ now: Date, zone: TimeZone) -> Date {
    let offset = zone.secondsFromGMT(for: now)
    let local = Int(now.timeIntervalSince1970.rounded(.down)) + offset
    var secs = local % 86_400
    if secs < 0 { secs += 86_400 }
    let guess = Date(timeIntervalSince1970: Double(local - secs - offset))
    // Across a DST change the offset at midnight may differ from now's.
    let midnightOffset = zone.secondsFromGMT(for: guess)
    return Date(timeIntervalSince1970: Double(local - secs - midnightOffset))
}

extension AppEnvironment {
    /// A list date and time in the rep's time zone and date style (`Nov 29 15:32`).
    func listDateTime(_ d: Date?) -> String { dateStyle.listDateTime(d, zone: timeZone) }
    /// A due day (`Nov 29`).
    func shortDate(_ d: Date?) -> String { dateStyle.shortDate(d, zone: timeZone) }
    /// `2025-11-29 15:32:08 UTC-05:00`.
    func detailDateTime(_ d: Date?) -> String { dateStyle.detailDateTime(d, zone: timeZone) }
    /// `15:32` (`3:32 PM` with the 12-hour style).
    func hourMinute(_ d: Date) -> String {
        let c = CivilTime(d, zone: timeZone)
        if dateStyle == .monthDay12h { return String(c.hour12) + ":" + pad2(c.minute, "0") + " " + c.amPM }
        return pad2(c.hour, "0") + ":" + pad2(c.minute, "0")
    }
}
