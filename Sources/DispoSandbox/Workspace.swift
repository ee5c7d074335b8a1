import Foundation

/// The sandbox's data: users, dispositions, tasks and calls of one seeded workspace, plus what API
/// requests did to them. Tests read it to check what a client did (e.g. that a logged call arrived).
///
/// Seeding is deterministic for a given `seed` and `now` (see `SandboxConfiguration`).
public actor SandboxWorkspace {
    /// Email of the user tests (and the app's first run) act as: a rep with many open manual phone tasks.
    public static let primaryUserEmail: String = Seeder.primaryUserEmail

    /// Same as the static `primaryUserEmail`, for convenience.
    public nonisolated let primaryUserEmail: String = Seeder.primaryUserEmail
    /// Id of the primary user.
    public nonisolated let primaryUserID: String
    /// Workspace (account) id, as served by `GET /account-info`.
    public nonisolated let accountID: String
    /// Workspace name, as served by `GET /account-info`.
    public nonisolated let accountName: String = Seeder.accountName

    private var userList: [SandboxUser]
    private var dispositionList: [SandboxDisposition]
    private var taskList: [SandboxTask]
    private var taskIndex: [String: Int]
    /// Newest first (start date descending, then id descending).
    private var callList: [SandboxCall]
    private var rng: SandboxRandom

    /// Seeds a workspace (≈2 350 calls, 4 users, 182 tasks, the 6 default dispositions). Deterministic for
    /// a given `seed` and `now`.
    public init(seed: UInt64 = SandboxConfiguration.defaultSeed, now: Date = Date()) {
        let data = Seeder.seed(seed: seed, now: now)
        userList = data.users
        dispositionList = data.dispositions
        taskList = data.tasks
        taskIndex = Dictionary(uniqueKeysWithValues: data.tasks.enumerated().map { ($1.id, $0) })
        callList = data.calls
        accountID = data.accountID
        primaryUserID = data.users[0].id
        rng = SandboxRandom(seed: seed ^ 0xA5A5_5A5A_C0FF_EE00)
    }

    // MARK: Reading

    /// All users, in creation order (the primary user first).
    public func users() -> [SandboxUser] { userList }
    /// The user with this id, or nil.
    public func user(id: String) -> SandboxUser? { userList.first { $0.id == id } }
    /// The user with this email (case-insensitive), or nil.
    public func user(email: String) -> SandboxUser? { userList.first { $0.email.lowercased() == email.lowercased() } }
    /// The six default dispositions, in their fixed order.
    public func dispositions() -> [SandboxDisposition] { dispositionList }
    /// The disposition with this id, or nil.
    public func disposition(id: String) -> SandboxDisposition? { dispositionList.first { $0.id == id } }
    /// Every task, in seeding order.
    public func tasks() -> [SandboxTask] { taskList }
    /// The tasks of one user, in seeding order.
    public func tasks(userID: String) -> [SandboxTask] { taskList.filter { $0.userID == userID } }
    /// The task with this id, or nil.
    public func task(id: String) -> SandboxTask? { taskIndex[id].map { taskList[$0] } }
    /// Every call, newest first (the order `GET /calls` uses).
    public func calls() -> [SandboxCall] { callList }
    /// The call with this id, or nil.
    public func call(id: String) -> SandboxCall? { callList.first { $0.id == id } }
    /// The calls of one user, newest first.
    public func calls(userID: String) -> [SandboxCall] { callList.filter { $0.userID == userID } }

    // MARK: Changes made by API requests

    /// Inserts a call logged through `POST /calls` and applies its disposition's effect: with a
    /// `complete` disposition the task is completed (`finished_on` = the call's start) and its sequence
    /// lead (same sequence key and contact) is marked completed. Returns the stored call.
    /// Callers validate first (`task`, `user`, `disposition` must exist).
    func insertLoggedCall(from: String, to: String, duration: Int, answered: Bool, human: Bool,
                          transcription: String?, notes: String?, recordingURL: String?, dispositionID: String?,
                          taskID: String, userID: String, at rawNow: Date) -> SandboxCall {
        let now = Date(timeIntervalSince1970: rawNow.timeIntervalSince1970.rounded(.down))
        let task = taskIndex[taskID].map { taskList[$0] }
        let call = SandboxCall(id: makeUUIDv7(at: rawNow, using: &rng), from: from, to: to, duration: duration,
                               answered: answered, human: human, transcription: transcription, notes: notes,
                               recordingURL: recordingURL, dispositionID: dispositionID, taskID: taskID,
                               userID: userID, external: true, contact: task?.contact, startDate: now,
                               recordingTooLarge: false)
        let position = callList.firstIndex { !Seeder.callOrder($0, call) } ?? callList.count
        callList.insert(call, at: position)
        if let dispositionID, let disposition = disposition(id: dispositionID), disposition.action == "complete",
           let index = taskIndex[taskID] {
            if taskList[index].status != "completed" {
                taskList[index].status = "completed"
                taskList[index].finishedOn = now
            }
            completeLead(of: index)
        }
        return call
    }

    /// Outcome of `POST /tasks/{id}/complete` and `/skip`.
    enum TaskTransition: Equatable {
        case notFound
        case ineligible(String)
        case done(SandboxTask)
    }

    /// Completes a task (per Amplemarket API: only `scheduled` tasks with `automatic: false`; an already
    /// completed task answers success). `setLeadToCompleted` also completes its sequence lead.
    func completeTask(id: String, setLeadToCompleted: Bool, at now: Date) -> TaskTransition {
        guard let index = taskIndex[id] else { return .notFound }
        let task = taskList[index]
        if task.status == "completed" {
            if setLeadToCompleted { completeLead(of: index) }
            return .done(taskList[index])
        }
        if let reason = ineligibility(task) { return .ineligible(reason) }
        taskList[index].status = "completed"
        taskList[index].finishedOn = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        if setLeadToCompleted { completeLead(of: index) }
        return .done(taskList[index])
    }

    /// Skips a task (same eligibility as completing; skipping an already skipped task answers success).
    func skipTask(id: String, at now: Date) -> TaskTransition {
        guard let index = taskIndex[id] else { return .notFound }
        let task = taskList[index]
        if task.status == "skipped" { return .done(task) }
        if let reason = ineligibility(task) { return .ineligible(reason) }
        taskList[index].status = "skipped"
        taskList[index].finishedOn = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        return .done(taskList[index])
    }

    private func ineligibility(_ task: SandboxTask) -> String? {
        if task.automatic { return "Automatic tasks cannot be changed through the API" }
        if task.status != "scheduled" { return "Only scheduled tasks can be changed (this task is \(task.status))" }
        return nil
    }

    private func completeLead(of index: Int) {
        let task = taskList[index]
        taskList[index].leadCompleted = true
        guard let contactID = task.contact?.id else { return }
        for i in taskList.indices where taskList[i].userID == task.userID
            && taskList[i].sequenceKey == task.sequenceKey && taskList[i].contact?.id == contactID {
            taskList[i].leadCompleted = true
        }
    }
}
