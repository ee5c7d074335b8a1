import AmplemarketAPI
import AmplemarketModels
import DispoStore
import DispoViewModel
import Foundation
import Testing
@testable import DispoApp

/// The outbox against a hand-made server that is not the sandbox (`FakeAmplemarket`): a clock hours
/// off, `Retry-After` as a date in that clock, a deterministic 503 on every other request, no `Date`
/// header at all. Each log must arrive exactly once, or the rep be asked — never twice.
@Suite("Outbox against an independent server", .serialized)
struct OutboxNetworkTests {
    final class Rig: @unchecked Sendable {
        let server: FakeAmplemarket
        let client: AmplemarketClient
        let store: DispoStore
        let runtime: AppRuntime
        let dir: String
        let events = ClientEventForwarder()
        let inbox = OutboxSenderTests.Inbox()

        init(uncertainSettle: Double = 0.3, pacing: PacingLimits = PacingLimits(),
             configure: (FakeAmplemarket) -> Void = { _ in }) throws {
            server = try FakeAmplemarket()
            configure(server)
            var cc = ClientConfiguration(baseURL: server.baseURL, apiKey: "fake-key", requestTimeout: 5,
                                         retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 0.2), pacing: pacing)
            events.install(into: &cc)
            client = try AmplemarketClient(configuration: cc)
            dir = NSTemporaryDirectory() + "dispo-net-tests-\(UUID().uuidString)"
            store = try DispoStore.open(path: dir + "/dispo.sqlite").store
            runtime = AppRuntime(client: client, store: store, workspaceKey: "fake", events: events,
                                 probeDelays: [0.1], uncertainSettle: uncertainSettle, post: { [inbox] in inbox.append($0) })
            runtime.start()  // takes the sender lock of `dir`
        }

        static func request(duration: Int) -> LogCallRequest {
            LogCallRequest(from: "+1 555 0100", to: "+1 555 0199", duration: duration, answered: true, human: false,
                           taskID: "task-1", userID: "user-1")
        }

        func submit(duration: Int, id: String) {
            runtime.perform(.submitLog(localID: id, request: Self.request(duration: duration), summary: "test \(id)"))
        }

        func entry(_ id: String) -> OutboxRecord? { try? store.outboxEntry(localID: id) }
        func state(_ id: String) -> OutboxState? { entry(id)?.state }
        var statusTexts: [String] {
            inbox.all.compactMap { if case .statusMessage(let text, _) = $0 { text } else { nil } }
        }

        func close() async {
            await runtime.shutdown()
            await client.shutdown()
            server.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    /// The answer to a POST is lost by a server whose clock is hours off: the look-up searches around
    /// the server's time (measured from its answers), finds the call, and sends nothing more.
    @Test(arguments: [5 * 3600.0, -5 * 3600.0])
    func aDroppedAnswerFromASkewedServerIsFoundNotDuplicated(skew: Double) async throws {
        let rig = try Rig { $0.skew = skew; $0.dropNextPosts = 1 }
        defer { Task { await rig.close() } }
        rig.submit(duration: 95, id: "skew")
        // The look-up waits the 15 s settle time first.
        try await OutboxSenderTests.eventually("found", timeout: 60) { rig.state("skew") == .sent }
        #expect(rig.server.posts.count == 1, "found by the look-up, not re-sent")
        #expect(rig.server.calls.count == 1)
        #expect(rig.entry("skew")?.callID == rig.server.calls.first?["id"] as? String)
        let skewSeen = try #require(rig.client.serverClock.skew)
        #expect(abs(skewSeen.estimate - skew) < 3, "measured \(skewSeen)")
    }

    /// Lost answer, and every other request refused with 503: the look-up is a GET and is retried like
    /// one, so it still finds the call.
    @Test func lookUpsAreRetriedLikeGets() async throws {
        let rig = try Rig { $0.dropNextPosts = 1 }
        defer { Task { await rig.close() } }
        _ = try await rig.client.probe()  // the server's clock is known: the look-up needs no request first
        rig.server.failEveryNth = 2  // the POST is request 1 (handled, answer lost); the look-up is 2 (503)
        rig.submit(duration: 96, id: "retried")
        try await OutboxSenderTests.eventually("found") { rig.state("retried") == .sent }
        #expect(rig.server.posts.count == 1)
        #expect(rig.server.calls.count == 1)
        let lookUps = rig.server.arrivals.filter { $0.method == "GET" && $0.path == "/calls" }
        #expect(lookUps.map(\.status) == [503, 200], "\(lookUps)")
        #expect(rig.entry("retried")?.attempts == 2, "the POST, then one look-up (retried within it by the client)")
    }

    /// Every other request is refused with 503, and the POST gets the failing slot. A 503 says the server
    /// did not handle it: the log is simply sent again (a look-up before it would put every POST on a
    /// failing slot) and arrives once.
    @Test func every503OnEveryOtherRequestStillSendsTheCallOnce() async throws {
        let rig = try Rig()
        defer { Task { await rig.close() } }
        rig.server.failEveryNth = 2
        _ = try await rig.client.probe()  // request 1; the POST will be request 2, refused
        rig.submit(duration: 97, id: "alt")
        try await OutboxSenderTests.eventually("sent", timeout: 20) { rig.state("alt") == .sent }
        #expect(rig.server.posts.map(\.status) == [503, 201])
        #expect(rig.server.calls.count == 1)
    }

    /// Without any `Date` from the server, and with the POST's answer lost, the window that could hold
    /// the call cannot be placed: the outbox asks the rep instead of sending it twice.
    @Test func aServerWithoutDatesIsNotGuessedAt() async throws {
        let rig = try Rig { $0.sendsDate = false; $0.dropNextPosts = 1 }
        defer { Task { await rig.close() } }
        rig.submit(duration: 98, id: "nodate")
        try await OutboxSenderTests.eventually("needs attention") { rig.state("nodate") == .needsAttention }
        #expect(rig.server.posts.count == 1, "not re-sent")
        let why = rig.entry("nodate")?.lastError ?? ""
        #expect(why.contains("Could not check whether the server already has this log"), "\(why)")
        #expect(why.contains("Check the Calls list"))
        // The rep looked, did not find it, and sends it again: no look-up stands in the way this time.
        rig.runtime.perform(.submitLog(localID: "nodate", request: Rig.request(duration: 98), summary: "test nodate"))
        try await OutboxSenderTests.eventually("sent") { rig.state("nodate") == .sent }
        #expect(rig.server.posts.count == 2)
    }

    /// 429 with `Retry-After` as an HTTP date from a server two hours fast: the wait is read against the
    /// answer's own `Date` (2 s), not our clock (two hours), and the rep is told.
    @Test func a429DateFromAFastServerWaitsTheServersSeconds() async throws {
        let rig = try Rig { server in
            server.skew = 7200
            server.rateLimit(next: 1) { FakeAmplemarket.httpDate($0.addingTimeInterval(2)) }
        }
        defer { Task { await rig.close() } }
        rig.submit(duration: 99, id: "date")
        try await OutboxSenderTests.eventually("sent", timeout: 15) { rig.state("date") == .sent }
        let posts = rig.server.posts
        #expect(posts.map(\.status) == [429, 201])
        if posts.count == 2 {
            let gap = posts[1].at.timeIntervalSince(posts[0].at)
            #expect(gap >= 1 && gap < 6, "waited \(gap) s")
        }
        #expect(rig.statusTexts.contains("Amplemarket asked to wait 2 s"), "\(rig.statusTexts)")
        #expect(rig.server.calls.count == 1)
    }

    /// A POST's `Retry-After` is capped like a GET's (60 s), whatever the server asks.
    @Test func aPostsRetryAfterIsCapped() async throws {
        let rig = try Rig { $0.rateLimit(next: 1) { _ in "3600" } }
        defer { Task { await rig.close() } }
        let before = Date()
        rig.submit(duration: 100, id: "cap")
        try await OutboxSenderTests.eventually("refused once") { rig.entry("cap")?.nextAttemptAt != nil }
        let next = try #require(rig.entry("cap")?.nextAttemptAt)
        #expect(next.timeIntervalSince(before) <= 62, "next try in \(next.timeIntervalSince(before)) s")
        try await OutboxSenderTests.eventually("the wait told") { rig.statusTexts.contains("Amplemarket asked to wait 60 s") }
    }

    /// The offline probe spends the client's budget too: once the requests of the minute are used up,
    /// it waits like any other request instead of adding its own.
    @Test func theOfflineProbeSpendsTheSameBudget() async throws {
        let rig = try Rig(pacing: PacingLimits(requestsPerWindow: 3, requestWindow: 60))
        defer { Task { await rig.close() } }
        for _ in 0..<3 { _ = try await rig.client.accountInfo() }
        await rig.runtime.connection.unreachable(APIFailure(kind: .notSent, message: "test: the network went away"))
        // The first probe (due after 0.1 s) waits for the budget, and says so.
        try await OutboxSenderTests.eventually("the probe paced") {
            rig.statusTexts.contains { $0.contains("to stay under Amplemarket's rate limit") }
        }
        #expect(rig.server.arrivals.count == 3, "no probe beyond the budget: \(rig.server.arrivals.map(\.path))")
    }
}
