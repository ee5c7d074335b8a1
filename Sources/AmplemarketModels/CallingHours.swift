import Foundation

/// The hours of the contact's day in which a rep may call (config `calling_hours = "9-17"`): from the
/// start of `startHour` to the start of `endHour`, in the contact's local time. Hours 0–24; the end may
/// be before the start (a window across midnight).
public struct CallingHours: Sendable, Hashable, CustomStringConvertible {
    public var startHour: Int
    public var endHour: Int

    public static let `default` = CallingHours(startHour: 9, endHour: 17)

    public init(startHour: Int, endHour: Int) { self.startHour = startHour; self.endHour = endHour }

    /// Reads `9-17` (also `09-17`, `9:00-17:00`, `9–17`). Throws a message naming what is wrong.
    public init(parsing text: String) throws(CallingHoursError) {
        let parts = text.replacingOccurrences(of: "\u{2013}", with: "-").split(separator: "-", omittingEmptySubsequences: false)
        func hour(_ s: Substring) -> Int? {
            var t = s.trimmingCharacters(in: .whitespaces)
            if t.hasSuffix(":00") { t = String(t.dropLast(3)) }
            guard let h = Int(t), (0...24).contains(h) else { return nil }
            return h
        }
        guard parts.count == 2, let a = hour(parts[0]), let b = hour(parts[1]) else {
            throw CallingHoursError(text: text)
        }
        guard a != b else { throw CallingHoursError(text: text) }
        startHour = a; endHour = b
    }

    /// The bounds for the API's `contact_local_time_from` / `contact_local_time_to` task filters, which
    /// name whole hours, both inclusive: `9-17` is hours 9 through 16 (16:59 is still within).
    public var apiBounds: (from: Int, to: Int) { (startHour % 24, (endHour + 23) % 24) }

    /// `9-17` (ASCII, so any terminal shows it).
    public var description: String { "\(startHour)-\(endHour)" }
}

/// A `calling_hours` value dispo cannot read.
public struct CallingHoursError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var description: String {
        "calling_hours \u{201C}\(text)\u{201D} is not a range of hours: use \u{201C}9-17\u{201D} (start and end hour, 0\u{2013}24, different)"
    }
}

extension TaskListQuery {
    /// This query, keeping only tasks whose contact's local time is within `hours` now (per Amplemarket
    /// API: `contact_local_time_from` / `_to` on GET /tasks, treated as inclusive).
    public func callable(within hours: CallingHours) -> TaskListQuery {
        var q = self
        let (from, to) = hours.apiBounds
        q.contactLocalTimeFrom = from
        q.contactLocalTimeTo = to
        return q
    }
}
