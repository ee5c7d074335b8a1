import Foundation

/// The server's clock and how it writes times in headers, as the faults in force set them
/// (`SandboxFaults.clockSkewSeconds`, `SandboxFaults.retryAfterAsDate`). Read synchronously from any
/// thread (request handlers and the NIO channel handler that writes the `Date` header); written by
/// `SandboxServerState` whenever the faults are set.
final class ServerTime: @unchecked Sendable {
    private let lock = NSLock()
    private var skewSeconds: Double = 0
    private var retryAfterAsDate = false

    /// Takes the skew and the `Retry-After` form from normalized `faults`.
    func update(from faults: SandboxFaults) {
        lock.withLock {
            skewSeconds = faults.clockSkewSeconds
            retryAfterAsDate = faults.retryAfterAsDate
        }
    }

    /// Now on the server's clock: the real time plus the skew.
    func now() -> Date {
        let skew = lock.withLock { skewSeconds }
        return Date().addingTimeInterval(skew)
    }

    /// The `Retry-After` value for a wait of `seconds`: delta-seconds, or with `retryAfterAsDate` the
    /// HTTP date of server-now plus the wait, rounded up to a whole second (a client that waits until
    /// that date waits at least `seconds`).
    func retryAfter(seconds: Int) -> String {
        let (skew, asDate) = lock.withLock { (skewSeconds, retryAfterAsDate) }
        guard asDate else { return String(seconds) }
        let due = Date().addingTimeInterval(skew + Double(seconds)).timeIntervalSince1970.rounded(.up)
        return HTTPDate.format(Date(timeIntervalSince1970: due))
    }
}

/// HTTP dates in the preferred form of RFC 9110 §5.6.7, IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
/// (UTC, English names, whole seconds truncated). Computed by hand: no locale, no formatter to share.
enum HTTPDate {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `date` as IMF-fixdate.
    static func format(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400  // floor division
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(daysSince1970: days)
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(pad(day)) \(months[month - 1]) \(year) \(pad(secondOfDay / 3_600)):"
            + "\(pad(secondOfDay % 3_600 / 60)):\(pad(secondOfDay % 60)) GMT"
    }

    private static func pad(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Proleptic Gregorian year, month (1…12) and day (1…31) of a day counted from 1970-01-01 (day 0);
    /// H. Hinnant's `civil_from_days`.
    private static func civil(daysSince1970: Int64) -> (Int64, Int, Int64) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097                                                   // 0…146096
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365  // 0…399
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)      // 0…365, from March
        let mp = (5 * dayOfYear + 2) / 153                                                  // 0…11, March = 0
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, Int(month), day)
    }
}
