import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import DispoViewModel
import Foundation
import Testing
@testable import DispoApp

/// An offline start shows the first loads saved by an earlier run, says so, and still sends nothing
/// until the server is back; once it is, the first loads that failed are made again by themselves.
@Suite("Saved first loads while offline", .serialized)
struct OfflineCacheTests {
    /// The kind of answer a Msg is, for counting (nil: not a load's answer).
    static func answer(_ m: Msg) -> String? {
        switch m {
        case .accountLoaded: "account"
        case .usersLoaded: "users"
        case .dispositionsLoaded: "dispositions"
        case .callsPageLoaded(_, true): "calls"
        case .callsPageLoaded(_, false): "calls page"
        case .tasksPageLoaded(_, true): "tasks"
        case .tasksPageLoaded(_, false): "tasks page"
        case .accountFailed, .usersFailed, .dispositionsFailed, .callsFailed, .tasksFailed: "failed"
        default: nil
        }
    }

    /// Every first-load kind, with small pages so a page from the server has a next link.
    static func firstLoads(_ ws: SandboxWorkspace) -> [IOEffect] {
        [.load(.account), .load(.users), .load(.dispositions),
         .load(.calls(CallListQuery(pageSize: 5, userID: ws.primaryUserID))),
         .load(.tasks(TaskListQuery(userID: ws.primaryUserID, pageSize: 2, type: "phone_call", status: "scheduled")))]
    }

    static let kinds = ["account", "users", "dispositions", "calls", "tasks"]

    @Test func firstLoadsComeFromTheStoreWhenTheServerIsDownAndTheRepIsTold() async throws {
        let rig = try await OutboxSenderTests.Rig()
        let loads = Self.firstLoads(rig.server.workspace)
        for e in loads { rig.runtime.perform(e) }
        func count(_ kind: String) -> Int { rig.posted.filter { Self.answer($0) == kind }.count }
        try await OutboxSenderTests.eventually("loaded online") { Self.kinds.allSatisfy { count($0) == 1 } }
        let online: [TaskRecord] = rig.posted.compactMap { m -> [TaskRecord]? in
            if case .tasksPageLoaded(let p, _) = m { return p.items } else { return nil }
        }.first ?? []
        #expect(!online.isEmpty)

        await rig.server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        for e in loads { rig.runtime.perform(e) }
        try await OutboxSenderTests.eventually("served from the store") { Self.kinds.allSatisfy { count($0) == 2 } }
        let offline: Page<TaskRecord>? = rig.posted.compactMap { m -> Page<TaskRecord>? in
            if case .tasksPageLoaded(let p, _) = m { return p } else { return nil }
        }.last
        #expect(offline?.items == online, "the same tasks as last loaded")
        #expect(offline?.next == nil, "no next page offline")
        #expect(count("failed") == 0)
        #expect(rig.posted.contains {
            if case .statusMessage(let text, _) = $0 { text.hasPrefix("Offline: showing what was loaded at") } else { false }
        })
        #expect(await rig.runtime.connection.isOffline)
        await rig.close()
    }

    /// The users and dispositions the runtime saved are what the scripting commands read when the server
    /// cannot be reached (one key for both), and what they save the runtime reads.
    @Test func savedListsAreTheRuntimesCopies() async throws {
        let rig = try await OutboxSenderTests.Rig()
        rig.runtime.perform(.load(.users))
        rig.runtime.perform(.load(.dispositions))
        try await OutboxSenderTests.eventually("loaded") {
            rig.posted.contains { Self.answer($0) == "users" } && rig.posted.contains { Self.answer($0) == "dispositions" }
        }
        let saved = SavedLists(store: rig.store, workspaceKey: "test")
        let users = await rig.server.workspace.users()
        #expect(saved.users()?.users.map(\.id) == users.map(\.id))
        #expect(saved.dispositions()?.dispositions.count == (await rig.server.workspace.dispositions()).count)
        #expect(SavedLists(store: rig.store, workspaceKey: "other").users() == nil, "another workspace's are not read")
        await rig.close()
    }

    @Test func withNothingSavedTheFailureIsShown() async throws {
        let rig = try await OutboxSenderTests.Rig()
        await rig.server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        rig.runtime.perform(.load(.users))
        try await OutboxSenderTests.eventually("failed") {
            rig.posted.contains { if case .usersFailed = $0 { true } else { false } }
        }
        #expect(!rig.posted.contains { if case .usersLoaded = $0 { true } else { false } })
        await rig.close()
    }

    /// Each first-load kind that failed in an outage is made again once the server answers: the latest
    /// query of each kind, once; next pages are not (the lists ask for them again).
    @Test func firstLoadsThatFailedInAnOutageAreMadeAgainWhenTheServerIsBack() async throws {
        let rig = try await OutboxSenderTests.Rig()
        let ws = rig.server.workspace
        let loads = Self.firstLoads(ws)
        for e in loads { rig.runtime.perform(e) }
        func count(_ kind: String) -> Int { rig.posted.filter { Self.answer($0) == kind }.count }
        try await OutboxSenderTests.eventually("loaded online") { Self.kinds.allSatisfy { count($0) == 1 } }
        let next = try #require(rig.posted.compactMap { m -> String? in
            if case .callsPageLoaded(let p, true) = m { return p.next } else { return nil }
        }.first, "a page of 5 has a next link")

        await rig.server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        // An older calls query first: the newer one (saved earlier) replaces it in the replay.
        rig.runtime.perform(.load(.calls(CallListQuery(pageSize: 7, userID: ws.primaryUserID))))
        try await OutboxSenderTests.eventually("the older query failed") { count("failed") == 1 }
        for e in loads { rig.runtime.perform(e) }
        try await OutboxSenderTests.eventually("recalled") { Self.kinds.allSatisfy { count($0) == 2 } }
        // Asked once the first page is in: asked while it loads, a next page is coalesced away.
        rig.runtime.perform(.load(.callsPage(href: next)))
        try await OutboxSenderTests.eventually("the next page failed") { count("failed") == 2 }
        let before = rig.posted.count

        await rig.server.setFaults(SandboxFaults())
        try await OutboxSenderTests.eventually("made again by themselves") { Self.kinds.allSatisfy { count($0) >= 3 } }
        try await OutboxSenderTests.eventually("done") { !rig.runtime.isBusy }
        let after = Array(rig.posted[before...])
        let pages = after.compactMap { m -> Page<Call>? in if case .callsPageLoaded(let p, true) = m { p } else { nil } }
        #expect(pages.count == 1 && pages.first?.items.count == 5, "only the latest calls query, once")
        #expect(pages.first?.next != nil, "from the server, not the saved copy")
        #expect(!after.contains { Self.answer($0) == "calls page" }, "next pages are not made again")
        #expect(Self.kinds.allSatisfy { count($0) == 3 }, "each kind once")
        #expect(await rig.runtime.connection.state == .online)
        await rig.close()
    }

    /// The saved copies' store keys are kept from one version to the next, or an offline start after an
    /// upgrade finds nothing: `cache:<workspace>:<kind>[?<query>]`.
    @Test func savedCopiesAreNamedByKindAndQuery() async throws {
        let rig = try await OutboxSenderTests.Rig()
        func key(_ load: Load) -> String? { LoadDescription(load).kept.map(rig.runtime.loader.storeKey) }
        func kind(_ load: Load) -> String? { LoadDescription(load).kept?.kind }
        #expect(key(.account) == "cache:test:account")
        #expect(key(.users) == "cache:test:users")
        #expect(key(.dispositions) == "cache:test:dispositions")
        #expect(key(.calls(CallListQuery(pageSize: 50, userID: "u1"))) == "cache:test:calls?page[size]=50&user_id=u1")
        #expect(key(.calls(CallListQuery())) == "cache:test:calls?")
        #expect(key(.tasks(TaskListQuery(userID: "u1", status: "scheduled"))) == "cache:test:tasks?user_id=u1&status=scheduled")
        #expect(kind(.calls(CallListQuery(pageSize: 1))) == "calls" && kind(.tasks(TaskListQuery(userID: "u"))) == "tasks")
        for load in [Load.callsPage(href: "/calls?page[after]=x"), .tasksPage(href: "/tasks?page[after]=x"),
                     .contactCalls(contactID: "c", userID: "u")] {
            #expect(LoadDescription(load).kept == nil, "\(load) is neither saved nor made again")
        }
        await rig.close()
    }
}
