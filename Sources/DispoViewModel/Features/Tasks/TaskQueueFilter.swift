import Foundation
import AmplemarketModels

/// What the Tasks tab lists besides the open phone tasks it shows by default: contacts callable now
/// only, and on request email tasks, completed and skipped ones.
public struct TaskQueueFilter: Sendable, Hashable {
    /// Only tasks whose contact's local time is within the calling hours (the server's own filter).
    public var callableNow = false
    public var emailTasks = false
    public var completed = false
    public var skipped = false

    public init() {}

    /// True when the tab lists anything but the default.
    public var isActive: Bool { self != TaskQueueFilter() }

    /// The query of the Tasks tab (per Amplemarket API: GET /tasks): the rep's scheduled phone tasks; a
    /// status or type the rep asked for too widens the query (the server takes one value of each), and
    /// `passes` keeps what was asked.
    func query(userID: String, hours: CallingHours) -> TaskListQuery {
        let status = completed || skipped ? nil : "scheduled"
        let type = emailTasks ? nil : "phone_call"
        let q = TaskListQuery(userID: userID, type: type, status: status)
        return callableNow ? q.callable(within: hours) : q
    }

    /// True for the tasks the tab lists (a task without status or type counts as an open phone task).
    func passes(_ t: TaskRecord) -> Bool {
        let typeOK = t.type == nil || t.isPhoneCall || (emailTasks && t.type == "email")
        let statusOK = t.status == nil || t.isScheduled || (completed && t.isCompleted) || (skipped && t.status == "skipped")
        return typeOK && statusOK
    }

    /// The filters in words, for the tab bar (never by colour alone).
    func summary(_ hours: CallingHours) -> [String] {
        var words: [String] = []
        if callableNow { words.append("callable now (\(hours) their time; call backs always listed)") }
        if emailTasks { words.append("+ email tasks") }
        if completed { words.append("+ completed") }
        if skipped { words.append("+ skipped") }
        return words
    }
}
