import Foundation
import AmplemarketModels

/// A row of the Tasks tab: a call back kept on this machine, or a task from the server.
public enum TaskRow: ListItem {
    case callBack(CallBack)
    case task(TaskRecord)

    public var listID: String {
        switch self {
        case .callBack(let c): "callback:" + c.id
        case .task(let t): t.id
        }
    }

    /// The row's id: the task id, or `callback:` and the call back's local id.
    public var id: String { listID }

    /// The server's task of a task row; nil for a call back.
    public var task: TaskRecord? {
        if case .task(let t) = self { return t }
        return nil
    }

    /// The call back of a call-back row.
    public var callBack: CallBack? {
        if case .callBack(let c) = self { return c }
        return nil
    }

    /// The task a call logged from this row belongs to.
    public var taskToLog: TaskRecord {
        switch self {
        case .callBack(let c): c.task
        case .task(let t): t
        }
    }

    /// Who is called: the contact.
    public var contact: Contact? {
        switch self {
        case .callBack(let c): c.contact
        case .task(let t): t.contact
        }
    }

    /// When the row is due: the call back's time, or the task's `due_on`.
    public var due: Date? {
        switch self {
        case .callBack(let c): c.due
        case .task(let t): t.dueOn
        }
    }
}

/// The headings the Tasks tab groups its rows under, in screen order.
public enum TaskSection: Int, Sendable, Hashable, CaseIterable, Comparable {
    /// Call backs set on this machine.
    case callBacks
    /// Open tasks whose due time has passed.
    case overdue
    /// Open tasks due later today (in the rep's time zone).
    case today
    /// Open tasks due after today, or without a due time.
    case later
    /// Completed or skipped tasks (shown only when the filter asks for them).
    case done

    public var title: String {
        switch self {
        case .callBacks: "Callbacks"
        case .overdue: "Overdue"
        case .today: "Today"
        case .later: "Later"
        case .done: "Completed / skipped"
        }
    }

    public static func < (a: TaskSection, b: TaskSection) -> Bool { a.rawValue < b.rawValue }

    /// The section of `row` on `clock`. A due date without a time (midnight UTC, as the API writes a
    /// plain date) is that calendar day: overdue from the day after, today on the day itself.
    static func of(_ row: TaskRow, _ clock: QueueClock) -> TaskSection {
        switch row {
        case .callBack: return .callBacks
        case .task(let t):
            if t.status != nil && !t.isScheduled { return .done }
            guard let due = t.dueOn else { return .later }
            if Int(due.timeIntervalSince1970) % 86_400 == 0 {
                let day = Int(due.timeIntervalSince1970) / 86_400
                return day < clock.today ? .overdue : day == clock.today ? .today : .later
            }
            if due < clock.now { return .overdue }
            return due < clock.endOfToday ? .today : .later
        }
    }
}

/// `rows` in queue order (stable: rows due at the same time keep the server's order).
func queueSorted(_ rows: [TaskRow]) -> [TaskRow] {
    rows.indices.sorted { a, b in
        taskRowOrder(rows[a], rows[b]) || (!taskRowOrder(rows[b], rows[a]) && a < b)
    }.map { rows[$0] }
}

/// The instants the Tasks headings are cut at: now, the end of the rep's day, and today as a day number
/// (days since 1970 of the rep's civil date), for due dates without a time.
struct QueueClock {
    let now: Date
    let endOfToday: Date
    let today: Int

    init(now: Date, zone: TimeZone) {
        self.now = now
        let start = startOfDay(now, zone: zone)
        endOfToday = startOfDay(start.addingTimeInterval(36 * 3600), zone: zone)
        let c = CivilTime(now, zone: zone)
        today = daysFromCivil(c.year, c.month, c.day)
    }
}

/// The order of the Tasks tab: call backs (soonest first), then open tasks by due time (overdue ones come
/// first by that alone), tasks without a due time, then completed and skipped ones.
func taskRowOrder(_ a: TaskRow, _ b: TaskRow) -> Bool {
    func rank(_ r: TaskRow) -> Int {
        switch r {
        case .callBack: 0
        case .task(let t): t.status != nil && !t.isScheduled ? 2 : 1
        }
    }
    let (ra, rb) = (rank(a), rank(b))
    if ra != rb { return ra < rb }
    return (a.due ?? .distantFuture) < (b.due ?? .distantFuture)
}

extension AppEnvironment {
    /// A due time as the Tasks list writes it, in the rep's zone: `14:30` today, `Tue 09:00` within a
    /// week either side, else the day (`Nov 28`). A date-only value (midnight UTC) is its day alone.
    func dueText(_ d: Date?) -> String {
        guard let d else { return "" }
        if Int(d.timeIntervalSince1970) % 86_400 == 0 { return shortDate(d) }
        let today = startOfDay(now, zone: timeZone)
        let dayOfDue = startOfDay(d, zone: timeZone)
        let days = Int((dayOfDue.timeIntervalSince(today) / 86_400).rounded())
        if days == 0 { return hourMinute(d) }
        if abs(days) < 7 { return CivilTime(d, zone: timeZone).weekdayName + " " + hourMinute(d) }
        return shortDate(d)
    }
}
