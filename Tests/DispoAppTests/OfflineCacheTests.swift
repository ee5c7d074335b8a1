import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import DispoViewModel
import Foundation
import Testing
@testable import DispoApp

/// An offline start shows the first loads saved by an earlier run, says so, and still sends nothing
/// until the server is back (issue 3: cached pages; design.md §7 first screen).
@Suite("Saved first loads while offline", .serialized)
struct OfflineCacheTests {
    @Test func firstLoadsComeFromTheStoreWhenTheServerIsDownAndTheRepIsTold() async throws {
        let rig = try await OutboxSenderTests.Rig()
        let ws = rig.server.workspace
        let tasksQuery = TaskListQuery(userID: ws.primaryUserID, type: "phone_call", status: "scheduled")
        let loads: [IOEffect] = [.load(.account), .load(.users), .load(.dispositions), .load(.tasks(tasksQuery))]
        for e in loads { rig.runtime.perform(e) }
        func count(_ match: (Msg) -> Bool) -> Int { rig.posted.filter(match).count }
        func isTasks(_ m: Msg) -> Bool { if case .tasksPageLoaded = m { true } else { false } }
        func isAccount(_ m: Msg) -> Bool { if case .accountLoaded = m { true } else { false } }
        try await OutboxSenderTests.eventually("loaded online") { count(isTasks) == 1 && count(isAccount) == 1 }
        let online: [TaskRecord] = rig.posted.compactMap { m -> [TaskRecord]? in
            if case .tasksPageLoaded(let p, _) = m { return p.items } else { return nil }
        }.first ?? []
        #expect(!online.isEmpty)

        await rig.server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        for e in loads { rig.runtime.perform(e) }
        try await OutboxSenderTests.eventually("served from the store") { count(isTasks) == 2 && count(isAccount) == 2 }
        let offline: Page<TaskRecord>? = rig.posted.compactMap { m -> Page<TaskRecord>? in
            if case .tasksPageLoaded(let p, _) = m { return p } else { return nil }
        }.last
        #expect(offline?.items == online, "the same tasks as last loaded")
        #expect(offline?.next == nil, "no next page offline")
        #expect(!rig.posted.contains { if case .tasksFailed = $0 { true } else { false } })
        #expect(rig.posted.contains {
            if case .statusMessage(let text, _) = $0 { text.hasPrefix("Offline: showing what was loaded at") } else { false }
        })
        #expect(rig.runtime.connection.isOffline)
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
}
