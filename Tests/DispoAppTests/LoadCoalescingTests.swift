import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import DispoViewModel
import Foundation
import Testing
@testable import DispoApp

/// Loads of one list coalesce in the runtime: hammering refresh sends one request while one is in
/// flight, and a list never has two page loads in flight (against the sandbox, answers held back).
@Suite("Loads of a list coalesce", .serialized)
struct LoadCoalescingTests {
    static let latency = 400

    static func callsRequests(_ rig: OutboxSenderTests.Rig) async -> [RecordedRequest] {
        await rig.server.recordedRequests().filter { $0.method == "GET" && $0.path == "/calls" }
    }

    static func pagesLoaded(_ rig: OutboxSenderTests.Rig) -> [Bool] {
        rig.posted.compactMap { if case .callsPageLoaded(_, let replacing) = $0 { replacing } else { nil } }
    }

    @Test func hammeringRefreshSendsOneRequestWhileOneIsInFlight() async throws {
        let rig = try await OutboxSenderTests.Rig()
        defer { Task { await rig.close() } }
        await rig.server.setFaults(SandboxFaults(latencyMilliseconds: Self.latency))
        let query = CallListQuery(pageSize: 50, userID: rig.server.workspace.primaryUserID)
        for _ in 0..<25 { rig.runtime.perform(.load(.calls(query))) }
        try await OutboxSenderTests.eventually("loaded and idle") { Self.pagesLoaded(rig).count >= 1 && !rig.runtime.isBusy }
        #expect(await Self.callsRequests(rig).count == 1)
        #expect(Self.pagesLoaded(rig) == [true])
    }

    @Test func aListNeverHasTwoPageLoadsInFlight() async throws {
        let rig = try await OutboxSenderTests.Rig()
        defer { Task { await rig.close() } }
        let query = CallListQuery(pageSize: 50, userID: rig.server.workspace.primaryUserID)
        let next = try #require(try await rig.client.listCalls(query).next)
        await rig.server.clearRecordedRequests()
        await rig.server.setFaults(SandboxFaults(latencyMilliseconds: Self.latency))
        rig.runtime.perform(.load(.callsPage(href: next)))
        for _ in 0..<5 { rig.runtime.perform(.load(.callsPage(href: next))) }  // `G` again and again
        for _ in 0..<5 { rig.runtime.perform(.load(.calls(query))) }           // and refresh
        try await OutboxSenderTests.eventually("both loaded and idle") { Self.pagesLoaded(rig).count >= 2 && !rig.runtime.isBusy }
        let requests = await Self.callsRequests(rig)
        #expect(requests.count == 2, "one next page, then one first page: \(requests.map(\.query))")
        if requests.count == 2 {
            let gap = requests[1].receivedAt.timeIntervalSince(requests[0].receivedAt)
            #expect(gap >= Double(Self.latency) / 1000 - 0.05, "the refresh waited for the page in flight (\(gap) s)")
        }
        #expect(Self.pagesLoaded(rig) == [false, true], "the next page, then the refreshed first page")
    }
}
