import Foundation

/// A reminder to call a task's contact again at a time the rep chose ("call me back Tuesday").
///
/// The API cannot create tasks, so call backs are kept on this machine only (in the local store beside
/// the outbox) and are never sent to the server.
public struct CallBack: Codable, Hashable, Sendable, Identifiable {
    /// Local id (a UUID string).
    public var id: String
    /// The task the call back belongs to: a call logged from it is logged against this task.
    public var taskID: String
    /// The task's contact, as it was when the call back was set.
    public var contact: Contact?
    /// The number last used for the contact (E.164), if known.
    public var number: String?
    /// The sequence of the task, for the list.
    public var sequenceName: String?
    /// When to call back.
    public var due: Date
    /// What the rep typed for it (the log's notes, or a note of its own).
    public var note: String?
    /// When it was set.
    public var createdAt: Date

    public init(id: String, taskID: String, contact: Contact?, number: String?, sequenceName: String?, due: Date,
                note: String?, createdAt: Date) {
        self.id = id; self.taskID = taskID; self.contact = contact; self.number = number
        self.sequenceName = sequenceName; self.due = due; self.note = note; self.createdAt = createdAt
    }

    /// The task a call logged from this call back is logged against (what is known of it here).
    public var task: TaskRecord {
        TaskRecord(id: taskID, automatic: false, type: "phone_call", status: "scheduled", dueOn: due,
                   sequenceName: sequenceName, contact: contact)
    }
}

/// Reads when a call back is due from what the rep typed, in the rep's time zone.
///
/// Accepted forms (case-insensitive): `tomorrow 10:00`, `today 16:00`, a weekday with a time (`tue 14:30`,
/// `tuesday 9:00`: the next such day, today only when the time is still ahead), `+2h`, `+30m`, `+3d`
/// (from now), `2026-12-03 09:00`, and a time alone (`15:00`: today, or tomorrow once it has passed).
/// A day without a time (`tomorrow`, `fri`) means 09:00 that day.
public enum CallBackTime {
    /// The due date `text` names, or a message saying what is wrong with it (in words a rep reads).
    public static func parse(_ text: String, now: Date, timeZone: TimeZone) -> Result<Date, CallBackTimeError> {
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !words.isEmpty else { return .failure(.empty) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        if words.count == 1, let offset = relative(words[0]) {
            guard let seconds = offset else { return .failure(.unreadable(text)) }
            return .success(now.addingTimeInterval(seconds))
        }
        let startOfToday = calendar.startOfDay(for: now)
        var day: Date?
        var timeWord: String?
        switch words.count {
        case 1:
            if let t = clock(words[0]) {
                var due = at(t, on: startOfToday, calendar)
                if let d = due, d <= now { due = calendar.date(byAdding: .day, value: 1, to: d) }
                return due.map { .success($0) } ?? .failure(.unreadable(text))
            }
            day = dayNamed(words[0], startOfToday, now: now, calendar)
        case 2:
            day = dayNamed(words[0], startOfToday, now: now, calendar)
            timeWord = words[1]
        default:
            return .failure(.unreadable(text))
        }
        guard let base = day else { return .failure(.unreadable(text)) }
        guard let time = timeWord.map(clock) ?? (9, 0) else { return .failure(.badTime(timeWord ?? "")) }
        guard var due = at(time, on: base, calendar) else { return .failure(.unreadable(text)) }
        // A weekday whose time today has already passed means that weekday next week.
        if isWeekday(words[0]), due <= now, let next = calendar.date(byAdding: .day, value: 7, to: due) { due = next }
        if due <= now { return .failure(.inThePast(text)) }
        return .success(due)
    }

    /// `+2h`, `+30m`, `+3d`: nil when `word` is not of that shape; `.some(nil)` when it is but unreadable.
    private static func relative(_ word: String) -> TimeInterval?? {
        guard word.hasPrefix("+") else { return nil }
        let body = word.dropFirst()
        guard let unit = body.last, let n = Int(body.dropLast()), n > 0, n <= 366 * 24 else { return .some(nil) }
        switch unit {
        case "m": return .some(Double(n) * 60)
        case "h": return .some(Double(n) * 3600)
        case "d": return n <= 366 ? .some(Double(n) * 86_400) : .some(nil)
        case "w": return n <= 52 ? .some(Double(n) * 7 * 86_400) : .some(nil)
        default: return .some(nil)
        }
    }

    /// `14:30`, `9:00`, `9`, `14h`: hour and minute; nil when not a time of day.
    private static func clock(_ word: String) -> (Int, Int)? {
        var w = Substring(word)
        if w.hasSuffix("h") { w = w.dropLast() }
        let parts = w.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let h = Int(parts[0]), (0...23).contains(h) else { return nil }
        if parts.count == 1 { return parts[0].count <= 2 ? (h, 0) : nil }
        guard parts[1].count == 2, let m = Int(parts[1]), (0...59).contains(m) else { return nil }
        return (h, m)
    }

    private static let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    private static func isWeekday(_ word: String) -> Bool { weekdayIndex(word) != nil }

    /// 1 (Sunday) … 7 for `mon`, `monday`, `tues`, …; nil otherwise.
    private static func weekdayIndex(_ word: String) -> Int? {
        guard word.count >= 3 else { return nil }
        let full = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        for (i, name) in full.enumerated() where name.hasPrefix(word) && word.hasPrefix(weekdays[i]) { return i + 1 }
        return nil
    }

    /// The start of the day `word` names: `today`, `tomorrow`, a weekday (the next one, today included),
    /// or `2026-12-03`.
    private static func dayNamed(_ word: String, _ startOfToday: Date, now: Date, _ calendar: Calendar) -> Date? {
        switch word {
        case "today": return startOfToday
        case "tomorrow", "tmrw", "tom": return calendar.date(byAdding: .day, value: 1, to: startOfToday)
        default: break
        }
        if let wd = weekdayIndex(word) {
            let todayWD = calendar.component(.weekday, from: startOfToday)
            let ahead = (wd - todayWD + 7) % 7
            return calendar.date(byAdding: .day, value: ahead, to: startOfToday)
        }
        let parts = word.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        let comps = DateComponents(year: y, month: m, day: d)
        guard let date = calendar.date(from: comps), calendar.component(.day, from: date) == d else { return nil }
        return date
    }

    private static func at(_ time: (Int, Int), on day: Date, _ calendar: Calendar) -> Date? {
        calendar.date(bySettingHour: time.0, minute: time.1, second: 0, of: day)
    }
}

/// Why a call-back time was not understood.
public enum CallBackTimeError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unreadable(String)
    case badTime(String)
    case inThePast(String)

    /// The message for the rep: what is wrong and the forms that work.
    public var description: String {
        let forms = "tomorrow 10:00, tue 14:30, +2h, +3d"
        switch self {
        case .empty: return "no call-back time: e.g. \(forms)"
        case .unreadable(let t): return "not a time dispo reads: \(t) (try \(forms))"
        case .badTime(let t): return "not a time of day: \(t) (use 24-hour HH:MM)"
        case .inThePast(let t): return "already passed: \(t) (try \(forms))"
        }
    }
}
