import Foundation

/// The sandbox's data: users, dispositions, tasks and calls of one seeded workspace, plus what API
/// requests did to them. Tests read it to check what a client did (e.g. that a logged call arrived).
///
/// Seeding is deterministic: ids depend on the seed only (the same on every launch), dates on the seed
/// and `now` (see `SandboxConfiguration`). Calls logged at run time get fresh UUID v7 ids.
public actor SandboxWorkspace {
    /// Email of the user tests (and the app's first run) act as: a rep with many open manual phone tasks.
    public static let primaryUserEmail: String = Seeder.primaryUserEmail

    /// Same as the static `primaryUserEmail`, for convenience.
    public nonisolated let primaryUserEmail: String = Seeder.primaryUserEmail
    /// Id of the primary user.
    public nonisolated let primaryUserID: String
    /// In a large workspace (`primaryCalls`), words that each occur in exactly one of the primary rep's
    /// calls (a quote reference in its notes), and that call's id; empty otherwise.
    public nonisolated let needles: [(word: String, callID: String)]
    /// Workspace (account) id, as served by `GET /account-info`.
    public nonisolated let accountID: String
    /// Workspace name, as served by `GET /account-info`.
    public nonisolated let accountName: String = Seeder.accountName
    /// The state file this workspace replays and saves to (`SandboxConfiguration.stateFile`); nil when it
    /// lives in memory only (also when the file had to be moved aside and could not be).
    public nonisolated let stateFile: String?
    /// One line for the rep when the state file could not be used at start (corrupt, unreadable, another
    /// seed's): it was moved aside and the workspace started from the seed. Nil when all went well.
    public nonisolated let notice: String?
    /// The latest problem saving to the state file (e.g. disk full), or nil once a save succeeds. The
    /// request that caused the save still succeeded; only its survival across a restart is in doubt.
    public private(set) var saveProblem: String?

    private var userList: [SandboxUser]
    private var dispositionList: [SandboxDisposition]
    private var taskList: [SandboxTask]
    private var taskIndex: [String: Int]
    /// Newest first (start date descending, then id descending).
    private var callList: [SandboxCall] { didSet { callPositions = nil } }
    /// Where each call sits in `callList`, by id; built when first asked for after a change, so a page
    /// after a cursor is found without a scan of a large workspace's list.
    private var callPositions: [String: Int]?
    private let seed: UInt64
    /// Calls logged through `POST /calls` (this run's and those replayed from the state file), oldest first.
    private var loggedCalls: [SandboxCall] = []
    /// Tasks changed by requests, this run or replayed, in the order first changed.
    private var changedTaskIDs: [String] = []
    /// Tasks changed by requests in this run (these win over the file when saving).
    private var changedThisRun: Set<String> = []

    /// Seeds a workspace (≈2 350 calls, 4 users, 182 tasks, the 6 default dispositions). Ids depend on
    /// `seed` only; the content is deterministic for a given `seed` and `now`.
    ///
    /// With a `stateFile`, the calls and task changes saved there by earlier runs are replayed on top of the
    /// seeded workspace, and every later change is saved to it (see `SandboxConfiguration.stateFile`). A file
    /// that cannot be used (unreadable, not JSON, another format, version or seed, or naming tasks or users
    /// this seed does not have) never stops the workspace: it is renamed to `<stateFile>.bad-<UTC time>`,
    /// the workspace starts from the seed and `notice` says so.
    ///
    /// With `primaryCalls`, the primary rep has that many calls in all (see `SandboxConfiguration.primaryCalls`).
    public init(seed: UInt64 = SandboxConfiguration.defaultSeed, now: Date = Date(), stateFile: String? = nil,
                primaryCalls: Int? = nil) {
        var data = Seeder.seed(seed: seed, now: now)
        needles = primaryCalls.map { Seeder.growPrimary(&data, total: max(0, $0), seed: seed, now: now) } ?? []
        self.seed = seed
        userList = data.users
        dispositionList = data.dispositions
        taskList = data.tasks
        taskIndex = Dictionary(uniqueKeysWithValues: data.tasks.enumerated().map { ($1.id, $0) })
        callList = data.calls
        accountID = data.accountID
        primaryUserID = data.users[0].id

        guard let stateFile else {
            self.stateFile = nil
            notice = nil
            return
        }
        do throws(StateFileProblem) {
            if let saved = try SandboxStateFile.read(path: stateFile, seed: seed) {
                try Self.checkApplicable(saved, tasks: taskIndex, users: Set(data.users.map(\.id)))
                Self.replay(saved, tasks: &taskList, index: taskIndex, calls: &callList, logged: &loggedCalls,
                            changed: &changedTaskIDs)
            }
            self.stateFile = stateFile
            notice = nil
        } catch {
            do throws(StateFileProblem) {
                let aside = try SandboxStateFile.moveAside(path: stateFile)
                self.stateFile = stateFile
                notice = "Sandbox state file \(stateFile) was not used: \(error.description); moved it to \(aside) and started from the seeded workspace."
            } catch let moveError {
                self.stateFile = nil
                notice = "Sandbox state file \(stateFile) was not used: \(error.description), and it \(moveError.description); this sandbox keeps its changes in memory only."
            }
        }
    }

    /// Throws when `saved` names a task or user the seeded workspace does not have.
    private static func checkApplicable(_ saved: PersistedWorkspace, tasks: [String: Int],
                                        users: Set<String>) throws(StateFileProblem) {
        for task in saved.tasks {
            if tasks[task.id] == nil {
                throw StateFileProblem("it names task \(task.id), which this workspace does not have")
            }
            if !["scheduled", "completed", "skipped"].contains(task.status) {
                throw StateFileProblem("task \(task.id) has the unknown status \"\(task.status)\"")
            }
        }
        for call in saved.calls {
            if tasks[call.taskId] == nil {
                throw StateFileProblem("call \(call.id) names task \(call.taskId), which this workspace does not have")
            }
            if !users.contains(call.userId) {
                throw StateFileProblem("call \(call.id) names user \(call.userId), which this workspace does not have")
            }
        }
    }

    /// Applies a (checked) saved state: task states by id, then the logged calls in their list position.
    private static func replay(_ saved: PersistedWorkspace, tasks: inout [SandboxTask], index: [String: Int],
                               calls: inout [SandboxCall], logged: inout [SandboxCall], changed: inout [String]) {
        for state in saved.tasks {
            guard let i = index[state.id] else { continue }
            tasks[i].status = state.status
            tasks[i].finishedOn = state.finishedOn
            tasks[i].leadCompleted = state.leadCompleted
            if !changed.contains(state.id) { changed.append(state.id) }
        }
        var seen = Set(logged.map(\.id))
        for c in saved.calls where !seen.contains(c.id) {
            seen.insert(c.id)
            let call = SandboxCall(id: c.id, from: c.from, to: c.to, duration: c.duration, answered: c.answered,
                                   human: c.human, transcription: c.transcription, notes: c.notes,
                                   recordingURL: c.recordingUrl, dispositionID: c.dispositionId, taskID: c.taskId,
                                   userID: c.userId, external: true, contact: index[c.taskId].map { tasks[$0].contact } ?? nil,
                                   startDate: c.startDate, recordingTooLarge: false)
            let position = calls.firstIndex { !Seeder.callOrder($0, call) } ?? calls.count
            calls.insert(call, at: position)
            logged.append(call)
        }
    }

    /// Marks a task as changed by a request in this run (for saving).
    private func noteChanged(_ taskID: String) {
        if !changedThisRun.contains(taskID) {
            changedThisRun.insert(taskID)
            if !changedTaskIDs.contains(taskID) { changedTaskIDs.append(taskID) }
        }
    }

    /// Saves this run's changes to the state file, if any, merged with what other processes sharing the
    /// file saved since this workspace started: calls are united by id; a task keeps the file's state
    /// unless this run changed it. A file that turned unreadable meanwhile is moved aside first.
    /// Failures are kept in `saveProblem`, never thrown (the request has already succeeded in memory).
    private func save() {
        guard let stateFile else { return }
        let ourCalls = loggedCalls.map(PersistedWorkspace.Call.init)
        let ourTasks = changedTaskIDs.compactMap { id in taskIndex[id].map { taskList[$0] } }
        let runChanges = changedThisRun
        let seed = seed
        do throws(StateFileProblem) {
            var movedAside: String?
            try SandboxStateFile.withLock(path: stateFile) { () throws(StateFileProblem) in
                var fileCalls: [PersistedWorkspace.Call] = []
                var fileTasks: [PersistedWorkspace.TaskState] = []
                do throws(StateFileProblem) {
                    if let current = try SandboxStateFile.read(path: stateFile, seed: seed) {
                        fileCalls = current.calls
                        fileTasks = current.tasks
                    }
                } catch {
                    let aside = try SandboxStateFile.moveAside(path: stateFile)
                    movedAside = "Sandbox state file \(stateFile) had become unusable (\(error.description)); moved it to \(aside) and saved this sandbox's state anew."
                }
                var calls = fileCalls
                var known = Set(fileCalls.map(\.id))
                for call in ourCalls where !known.contains(call.id) {
                    calls.append(call)
                    known.insert(call.id)
                }
                var order: [String] = []
                var states: [String: PersistedWorkspace.TaskState] = [:]
                func put(_ state: PersistedWorkspace.TaskState) {
                    if states[state.id] == nil { order.append(state.id) }
                    states[state.id] = state
                }
                for task in ourTasks {
                    put(.init(id: task.id, status: task.status, finishedOn: task.finishedOn, leadCompleted: task.leadCompleted))
                }
                for state in fileTasks where !runChanges.contains(state.id) { put(state) }
                let merged = PersistedWorkspace(seed: seed, savedAt: Date(), calls: calls,
                                                tasks: order.compactMap { states[$0] })
                try SandboxStateFile.write(merged, to: stateFile)
            }
            saveProblem = movedAside
        } catch {
            saveProblem = error.description
        }
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
    /// Every call, newest first, with each call's position in that list by id.
    public func indexedCalls() -> (calls: [SandboxCall], positions: [String: Int]) {
        if callPositions == nil {
            callPositions = Dictionary(callList.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        return (callList, callPositions ?? [:])
    }
    /// The call with this id, or nil.
    public func call(id: String) -> SandboxCall? {
        let (calls, positions) = indexedCalls()
        return positions[id].map { calls[$0] }
    }
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
        var fresh = SystemRandomNumberGenerator()  // run-time ids are fresh, never replayed from the seed
        let call = SandboxCall(id: makeUUIDv7(at: rawNow, using: &fresh), from: from, to: to, duration: duration,
                               answered: answered, human: human, transcription: transcription, notes: notes,
                               recordingURL: recordingURL, dispositionID: dispositionID, taskID: taskID,
                               userID: userID, external: true, contact: task?.contact, startDate: now,
                               recordingTooLarge: false)
        let position = callList.firstIndex { !Seeder.callOrder($0, call) } ?? callList.count
        callList.insert(call, at: position)
        loggedCalls.append(call)
        if let dispositionID, let disposition = disposition(id: dispositionID), disposition.action == "complete",
           let index = taskIndex[taskID] {
            if taskList[index].status != "completed" {
                taskList[index].status = "completed"
                taskList[index].finishedOn = now
            }
            noteChanged(taskID)
            completeLead(of: index)
        }
        save()
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
            if setLeadToCompleted {
                let before = taskList
                completeLead(of: index)
                if taskList != before { save() }
            }
            return .done(taskList[index])
        }
        if let reason = ineligibility(task) { return .ineligible(reason) }
        taskList[index].status = "completed"
        taskList[index].finishedOn = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        noteChanged(id)
        if setLeadToCompleted { completeLead(of: index) }
        save()
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
        noteChanged(id)
        save()
        return .done(taskList[index])
    }

    private func ineligibility(_ task: SandboxTask) -> String? {
        if task.automatic { return "Automatic tasks cannot be changed through the API" }
        if task.status != "scheduled" { return "Only scheduled tasks can be changed (this task is \(task.status))" }
        return nil
    }

    private func completeLead(of index: Int) {
        let task = taskList[index]
        if !taskList[index].leadCompleted {
            taskList[index].leadCompleted = true
            noteChanged(task.id)
        }
        guard let contactID = task.contact?.id else { return }
        for i in taskList.indices where taskList[i].userID == task.userID
            && taskList[i].sequenceKey == task.sequenceKey && taskList[i].contact?.id == contactID
            && !taskList[i].leadCompleted {
            taskList[i].leadCompleted = true
            noteChanged(taskList[i].id)
        }
    }
}
