import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import DispoStore
import DispoViewModel
import Foundation
import Testing
@testable import DispoApp

/// The runtime's outbox and connection handling against the in-process sandbox and its faults
/// (exactly once, in order, retries honouring `Retry-After`, offline and back).
@Suite("Outbox sender against sandbox faults", .serialized)
struct OutboxSenderTests {
    /// A sandbox, a client to it, a store in a temporary directory and a runtime whose posted Msgs are kept.
    final class Rig: @unchecked Sendable {
        let server: SandboxServer
        let client: AmplemarketClient
        let store: DispoStore
        let runtime: AppRuntime
        let dir: String
        let events = ClientEventForwarder()
        let inbox = Inbox()

        init(notesMode: NotesMode = .store, pacing: PacingLimits = PacingLimits(), uncertainSettle: Double = 0.3,
             storeProbeDelays: [Double] = [1, 2, 4, 8, 16, 30]) async throws {
            server = try await SandboxServer.start(SandboxConfiguration(notesMode: notesMode))
            var cc = ClientConfiguration(baseURL: server.baseURL, apiKey: SandboxConfiguration.defaultAPIKey,
                                         requestTimeout: 5, retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 0.2),
                                         pacing: pacing)
            events.install(into: &cc)
            client = try AmplemarketClient(configuration: cc)
            dir = NSTemporaryDirectory() + "dispo-app-tests-\(UUID().uuidString)"
            store = try DispoStore.open(path: dir + "/dispo.sqlite").store
            runtime = AppRuntime(client: client, store: store, workspaceKey: "test", events: events,
                                 probeDelays: [0.1], uncertainSettle: uncertainSettle, storeProbeDelays: storeProbeDelays,
                                 post: { [inbox] in inbox.append($0) })
            runtime.start()  // takes the sender lock of `dir`
        }

        var posted: [Msg] { inbox.all }

        /// A log for the first phone task of the primary user (distinct by `duration`).
        func request(duration: Int, notes: String? = nil) async -> LogCallRequest {
            let ws = server.workspace
            let task = await ws.tasks(userID: ws.primaryUserID).first { $0.type == "phone_call" }!
            return LogCallRequest(from: "+1 555 0100", to: "+1 555 0199", duration: duration, answered: true,
                                  human: true, taskID: task.id, userID: ws.primaryUserID, notes: notes)
        }

        func submit(_ r: LogCallRequest, id: String) {
            runtime.perform(.submitLog(localID: id, request: r, summary: "test \(id)"))
        }

        /// Calls the sandbox holds for this rig's task with `duration`.
        func calls(duration: Int) async -> [SandboxCall] {
            let r = await request(duration: duration)
            return await server.workspace.calls().filter { $0.taskID == r.taskID && $0.duration == duration && $0.external }
        }

        func posts() async -> [RecordedRequest] {
            await server.recordedRequests().filter { $0.method == "POST" && $0.path == "/calls" }
        }

        func state(_ id: String) -> OutboxState? { (try? store.outboxEntry(localID: id))?.state }

        func close() async {
            await runtime.shutdown()
            await client.shutdown()
            await server.shutdown()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    /// The Msgs the runtime posted, in order (thread-safe).
    final class Inbox: @unchecked Sendable {
        private let lock = NSLock()
        private var msgs: [Msg] = []
        func append(_ m: Msg) { lock.withLock { msgs.append(m) } }
        var all: [Msg] { lock.withLock { msgs } }
    }

    /// Polls `condition` every 20 ms until it holds; fails after `timeout` seconds (a bound for a
    /// loaded machine: some waits include the outbox's 15 s settle time).
    static func eventually(_ what: String, timeout: Double = 60, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if await condition() { return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        Issue.record("timed out waiting for: \(what)")
        throw CancellationError()
    }

    @Test func aProcessedThenDroppedPostIsFoundNotDuplicated() async throws {
        let rig = try await Rig()
        await rig.server.setFaults(SandboxFaults(dropAfterProcessingNext: 1))
        rig.submit(await rig.request(duration: 301), id: "a")
        try await Self.eventually("sent") { rig.state("a") == .sent }
        #expect(await rig.calls(duration: 301).count == 1)
        #expect(await rig.posts().count == 1, "found by the look-up, not re-sent")
        let record = try #require(try rig.store.outboxEntry(localID: "a"))
        #expect(record.callID == (await rig.calls(duration: 301)).first?.id)
        // The look-up asked GET /calls for the rep after the dropped POST.
        let requests = await rig.server.recordedRequests()
        let postIndex = try #require(requests.firstIndex { $0.method == "POST" })
        #expect(requests[(postIndex + 1)...].contains { $0.method == "GET" && $0.path == "/calls" && ($0.query ?? "").contains("user_id") })
        await rig.close()
    }

    /// A server may still be saving a POST whose answer was lost: the look-up waits for it to settle,
    /// even though the server answers other requests at once (the recovery kick must not skip it).
    @Test func theLookUpWaitsForAnUncertainPostToSettle() async throws {
        let rig = try await Rig(uncertainSettle: 1.5)
        defer { Task { await rig.close() } }
        await rig.server.setFaults(SandboxFaults(dropAfterProcessingNext: 1))
        rig.submit(await rig.request(duration: 171), id: "settle")
        try await Self.eventually("sent") { rig.state("settle") == .sent }
        let requests = await rig.server.recordedRequests()
        let post = try #require(requests.first { $0.method == "POST" && $0.path == "/calls" })
        let lookUp = try #require(requests.first { $0.method == "GET" && $0.path == "/calls" && $0.receivedAt > post.receivedAt })
        #expect(lookUp.receivedAt.timeIntervalSince(post.receivedAt) >= 1.5, "looked up too early")
        #expect(await rig.posts().count == 1)
        #expect(await rig.calls(duration: 171).count == 1)
    }

    /// When a try may have reached the server and no look-up can be made (5xx on everything), the entry
    /// stops and asks the rep after a bounded number of tries (never an endless stream of re-sends).
    @Test func uncertainTriesStopAndAskTheRep() async throws {
        let rig = try await Rig(uncertainSettle: 0.05)
        defer { Task { await rig.close() } }
        await rig.server.setFaults(SandboxFaults(serverErrorRate: 1))
        rig.submit(await rig.request(duration: 172), id: "unsure")
        try await Self.eventually("needs attention", timeout: 40) { rig.state("unsure") == .needsAttention }
        let entry = try #require(try rig.store.outboxEntry(localID: "unsure"))
        #expect(entry.lastError?.contains("Could not confirm") == true, "\(entry.lastError ?? "")")
        // 503 (refused, sent again), 500 (may have been handled), then look-ups only: no third POST.
        #expect(await rig.posts().count == 2)
        #expect(await rig.calls(duration: 172).isEmpty)
    }

    /// A 503 says the server did not handle the request: the log is sent again without a look-up.
    @Test func a503PostIsResentWithoutALookUp() async throws {
        let rig = try await Rig()
        await rig.server.setFaults(SandboxFaults(serverErrorRate: 1))  // the first error is a 503
        rig.submit(await rig.request(duration: 302), id: "b")
        try await Self.eventually("first POST refused") { await rig.posts().count >= 1 }
        await rig.server.setFaults(SandboxFaults())
        try await Self.eventually("sent") { rig.state("b") == .sent }
        #expect(await rig.calls(duration: 302).count == 1)
        #expect(await rig.posts().count == 2, "the 503 POST created nothing; exactly one re-send")
        let gets = await rig.server.recordedRequests().filter { $0.method == "GET" && $0.path == "/calls" }
        #expect(gets.isEmpty, "no look-up needed")
        #expect(rig.posted.contains { if case .connectionChanged(.retrying) = $0 { true } else { false } })
        await rig.close()
    }

    /// A 500 may come after the call was saved: it is looked up, then sent again once.
    @Test func a500PostIsLookedUpThenResentOnce() async throws {
        let rig = try await Rig()
        await rig.server.setFaults(SandboxFaults(serverErrorRate: 1))  // 503, then 500
        rig.submit(await rig.request(duration: 306), id: "five")
        try await Self.eventually("a 503 then a 500") { await rig.posts().count >= 2 }
        await rig.server.setFaults(SandboxFaults())
        try await Self.eventually("sent") { rig.state("five") == .sent }
        #expect(await rig.calls(duration: 306).count == 1)
        #expect(await rig.posts().count == 3)
        let requests = await rig.server.recordedRequests()
        let posts = requests.indices.filter { requests[$0].method == "POST" }
        #expect(requests[posts[1]..<posts[2]].contains { $0.method == "GET" && $0.path == "/calls" }, "looked up before re-sending")
        await rig.close()
    }

    @Test func a429PostWaitsForRetryAfterAndIsSentOnce() async throws {
        let rig = try await Rig()
        await rig.server.setFaults(SandboxFaults(rateLimitNext: 1, retryAfterSeconds: 2))
        rig.submit(await rig.request(duration: 303), id: "c")
        try await Self.eventually("sent") { rig.state("c") == .sent }
        let posts = await rig.posts()
        #expect(posts.count == 2)
        if posts.count == 2 {
            let gap = posts[1].receivedAt.timeIntervalSince(posts[0].receivedAt)
            #expect(gap >= 1.9, "Retry-After: 2 honoured (waited \(gap) s)")
        }
        // 429 means not processed: no look-up needed, and one call.
        let gets = await rig.server.recordedRequests().filter { $0.method == "GET" && $0.path == "/calls" }
        #expect(gets.isEmpty)
        #expect(await rig.calls(duration: 303).count == 1)
        await rig.close()
    }

    @Test func serverDownQueuesInOrderThenSendsEachOnceWhenBack() async throws {
        let rig = try await Rig()
        await rig.server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        for (i, d) in [311, 312, 313].enumerated() { rig.submit(await rig.request(duration: d), id: "q\(i)") }
        try await Self.eventually("offline") {
            rig.posted.contains { if case .connectionChanged(.offline) = $0 { true } else { false } }
        }
        try await Self.eventually("three queued") {
            (try? rig.store.outbox(workspaceKey: "test", includeFinished: false).count) == 3
        }
        #expect(rig.state("q0") == .pending && rig.state("q1") == .pending && rig.state("q2") == .pending)
        await rig.server.setFaults(SandboxFaults())
        try await Self.eventually("all sent") { ["q0", "q1", "q2"].allSatisfy { rig.state($0) == .sent } }
        let durations = await rig.posts().compactMap { p -> Int? in
            guard let body = p.body, let o = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return nil }
            return o["duration"] as? Int
        }
        #expect(durations == [311, 312, 313], "each once, in order")
        for d in [311, 312, 313] { #expect(await rig.calls(duration: d).count == 1) }
        #expect(await rig.runtime.connection.state == .online)
        await rig.close()
    }

    /// Logs reach the outbox in the order they were sent, however fast they come (each is written by its
    /// own task; unordered, the outbox would send them out of order).
    @Test func logsReachTheOutboxInTheOrderSent() async throws {
        let rig = try await Rig()
        await rig.server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        let ids = (0..<20).map { "o\($0)" }
        for (i, id) in ids.enumerated() { rig.submit(await rig.request(duration: 400 + i), id: id) }
        try await Self.eventually("twenty queued") {
            (try? rig.store.outbox(workspaceKey: "test", includeFinished: false).count) == 20
        }
        #expect(try rig.store.outbox(workspaceKey: "test", includeFinished: false).map(\.localID) == ids)
        await rig.close()
    }

    /// A log sent from elsewhere (`dispo log`, an outbox entry re-sent) leaves the rep's draft of another
    /// call in the store; the draft's own log clears it.
    @Test func onlyTheDraftsOwnLogClearsIt() async throws {
        let rig = try await Rig()
        await rig.server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        rig.runtime.perform(.saveDraft(LogDraft(localID: "d1", to: "+1 555 0199", notes: "call back at 3")))
        rig.submit(await rig.request(duration: 501), id: "from-a-script")
        try await Self.eventually("queued") { rig.state("from-a-script") == .pending }
        #expect((try rig.store.draft(key: "draft:test")) != nil, "the rep's draft stays")
        rig.submit(await rig.request(duration: 502), id: "d1")
        try await Self.eventually("draft's log queued") { rig.state("d1") == .pending }
        #expect((try rig.store.draft(key: "draft:test")) == nil, "its own log clears it")
        await rig.close()
    }

    @Test func rejectedNotesAreResentWithoutThemAndKeptInTheJournal() async throws {
        let rig = try await Rig(notesMode: .reject)
        rig.submit(await rig.request(duration: 304, notes: "wants a demo on Friday"), id: "n")
        try await Self.eventually("sent") { rig.state("n") == .sent }
        let posts = await rig.posts()
        #expect(posts.count == 2)
        #expect(posts.last?.body?.contains("notes") == false)
        let call = try #require(await rig.calls(duration: 304).first)
        let journal = try #require(try rig.store.journalEntry(callID: call.id))
        #expect(journal.notes == "wants a demo on Friday" && !journal.notesStoredByServer)
        // Both are posted once the store has the sent state, which the test may see first.
        try await Self.eventually("the journal's notes published") {
            rig.posted.contains { if case .journalNotes(let n) = $0 { n[call.id] == "wants a demo on Friday" } else { false } }
        }
        #expect(rig.posted.contains { if case .logSent(_, _, false) = $0 { true } else { false } })
        await rig.close()
    }

    @Test func aValidationErrorNeedsAttentionAndIsNotRetried() async throws {
        let rig = try await Rig()
        var r = await rig.request(duration: 305)
        r.to = ""
        rig.submit(r, id: "v")
        try await Self.eventually("needs attention") { rig.state("v") == .needsAttention }
        let record = try #require(try rig.store.outboxEntry(localID: "v"))
        #expect(record.fieldErrors["to"] != nil, "field errors kept: \(record.fieldErrors)")
        #expect(await rig.posts().count == 1)
        #expect(await rig.runtime.connection.state == .online)
        await rig.close()
    }

    @Test func pacingWaitsAreToldToTheRep() async throws {
        let rig = try await Rig(pacing: PacingLimits(requestsPerWindow: 1, requestWindow: 1))
        rig.runtime.perform(.load(.account))
        rig.runtime.perform(.load(.dispositions))
        try await Self.eventually("both loaded") {
            rig.posted.contains { if case .accountLoaded = $0 { true } else { false } }
                && rig.posted.contains { if case .dispositionsLoaded = $0 { true } else { false } }
        }
        #expect(rig.posted.contains {
            if case .statusMessage(let text, false) = $0 { text.contains("to stay under Amplemarket's rate limit") } else { false }
        })
        await rig.close()
    }

    @Test func loadsThatFailedWhileDownAreMadeAgainWhenTheServerIsBack() async throws {
        let rig = try await Rig()
        await rig.server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        rig.runtime.perform(.load(.dispositions))
        try await Self.eventually("failed") {
            rig.posted.contains { if case .dispositionsFailed = $0 { true } else { false } }
        }
        #expect(await rig.runtime.connection.isOffline)
        await rig.server.setFaults(SandboxFaults())
        try await Self.eventually("reloaded by itself") {
            rig.posted.contains { if case .dispositionsLoaded = $0 { true } else { false } }
        }
        #expect(rig.posted.contains { if case .connectionChanged(.online) = $0 { true } else { false } })
        await rig.close()
    }
}
