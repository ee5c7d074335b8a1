import AmplemarketAPI
import AmplemarketModels
import Foundation
import Testing

/// Retries (GETs back off exponentially on 5xx and honour Retry-After on 429; a POST is never retried once it
/// may have arrived) and pacing (requests, and recordings on their own budget, stay under the rate limits),
/// with an injected clock and sleep so nothing really waits.
@Suite struct RetryAndPacingTests {
    /// Answers the first `failures` requests with `failing`, then `ok`.
    final class Script: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        let failures: Int
        let failing: Reply
        let ok: Reply
        init(failures: Int, failing: Reply, ok: Reply) { self.failures = failures; self.failing = failing; self.ok = ok }
        func next() -> Reply {
            lock.withLock { count += 1; return count <= failures ? failing : ok }
        }
    }

    static let usersPage = Reply(body: #"{"users":[\#(userJSON("u1"))]}"#)

    @Test func getRetries5xxWithExponentialBackoffThenSucceeds() async throws {
        let script = Script(failures: 2, failing: Reply(status: 503, contentType: "text/html", body: "<h1>busy</h1>"), ok: Self.usersPage)
        let time = FakeTime()
        let notices = NoticeLog()
        try await withServer({ _ in script.next() }) { server in
            var config = testConfiguration(server.baseURL(), time: time)
            config.onRetry = { notices.add($0) }
            let page = try await withClient(config) { try await $0.listUsers(UserListQuery()) }
            #expect(page.items.map(\.id) == ["u1"])
            #expect(await server.requests().count == 3)
        }
        #expect(time.sleeps == [0.5, 1.0])
        #expect(notices.all.map(\.failedAttempt) == [1, 2])
        #expect(notices.all.allSatisfy { $0.failure.kind == .server && $0.path == "/users" && $0.method == "GET" })
    }

    @Test func getGivesUpAfterMaxAttempts() async throws {
        let time = FakeTime()
        try await withServer({ _ in Reply(status: 502, body: #"{"_errors":[{"code":"internal_server_error","detail":"Bad gateway"}]}"#) }) { server in
            let f = try await withClient(testConfiguration(server.baseURL(), time: time,
                                                           retry: RetryPolicy(maxAttempts: 4, baseDelay: 1, maxDelay: 3))) { client in
                await caught { try await client.listUsers(UserListQuery()) }
            }
            #expect(f?.kind == .server)
            #expect(f?.message == "Bad gateway")
            #expect(await server.requests().count == 4)
        }
        #expect(time.sleeps == [1, 2, 3]) // doubling, capped at maxDelay
    }

    @Test func jitterScalesTheBackoff() {
        let policy = RetryPolicy(baseDelay: 2, maxDelay: 100)
        #expect(policy.backoff(afterAttempt: 1, jitter: 1) == 2)
        #expect(policy.backoff(afterAttempt: 3, jitter: 0.5) == 4)
        #expect(policy.backoff(afterAttempt: 10, jitter: 1) == 100)
    }

    @Test func rateLimitedHonoursRetryAfterSecondsAndCapsIt() async throws {
        let first = Script(failures: 1, failing: Reply(status: 429, headers: [("Retry-After", "7")], body: "{}"), ok: Self.usersPage)
        let time = FakeTime()
        try await withServer({ _ in first.next() }) { server in
            _ = try await withClient(testConfiguration(server.baseURL(), time: time)) { try await $0.listUsers(UserListQuery()) }
        }
        #expect(time.sleeps == [7])

        let long = Script(failures: 1, failing: Reply(status: 429, headers: [("Retry-After", "3600")], body: ""), ok: Self.usersPage)
        let time2 = FakeTime()
        try await withServer({ _ in long.next() }) { server in
            _ = try await withClient(testConfiguration(server.baseURL(), time: time2)) { try await $0.listUsers(UserListQuery()) }
        }
        #expect(time2.sleeps == [60])
    }

    @Test func rateLimitedHonoursRetryAfterAsAnHTTPDate() async throws {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(secondsFromGMT: 0)
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let script = Script(failures: 1, failing: Reply(status: 429, body: ""), ok: Self.usersPage)
        let time = FakeTime()
        // The date is made when the server answers (30 s after that), so a busy machine cannot age it.
        try await withServer({ _ in
            var reply = script.next()
            if reply.status == 429 { reply.headers = [("Retry-After", f.string(from: Date().addingTimeInterval(30)))] }
            return reply
        }) { server in
            _ = try await withClient(testConfiguration(server.baseURL(), time: time)) { try await $0.listUsers(UserListQuery()) }
        }
        let slept = try #require(time.sleeps.first)
        // Read against the answer's own Date, which may be a second or two older than the moment the
        // Retry-After was written: a little longer than 30 s, never shorter than asked.
        #expect(slept > 25 && slept <= 33, "\(slept)")
    }

    @Test func rateLimitedFailureCarriesRetryAfter() async throws {
        try await withServer({ _ in Reply(status: 429, headers: [("Retry-After", "12")], body: "") }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught {
                    try await client.logCall(LogCallRequest(from: "1", to: "2", duration: 1, answered: true, human: true,
                                                            taskID: "t", userID: "u"))
                }
            }
            #expect(f?.kind == .rateLimited)
            #expect(f?.retryAfter == 12)
            #expect(await server.requests().count == 1) // a POST is not retried after a 429
        }
    }

    @Test func postIsNotRetriedAfter5xx() async throws {
        let time = FakeTime()
        try await withServer({ _ in Reply(status: 500, body: "oops") }) { server in
            let f = try await withClient(testConfiguration(server.baseURL(), time: time)) { client in
                await caught {
                    try await client.logCall(LogCallRequest(from: "1", to: "2", duration: 1, answered: true, human: true,
                                                            taskID: "t", userID: "u"))
                }
            }
            #expect(f?.kind == .server)
            #expect(f?.mayHaveReachedServer == true)
            #expect(await server.requests().count == 1)
        }
        #expect(time.sleeps.isEmpty)
    }

    @Test func requestsArePacedUnderTheBudget() async throws {
        let time = FakeTime(advances: false)
        try await withServer({ _ in Self.usersPage }) { server in
            let pacing = PacingLimits(requestsPerWindow: 3, requestWindow: 60)
            try await withClient(testConfiguration(server.baseURL(), time: time, pacing: pacing)) { client in
                for _ in 0..<5 { _ = try await client.listUsers(UserListQuery()) }
            }
            #expect(await server.requests().count == 5)
        }
        // Three go at once; the 4th and 5th wait for the window to pass the 1st and 2nd.
        #expect(time.pacingWaits == [60, 60])
        #expect(time.sleeps == [60, 60])
    }

    @Test func pacingReleasesSlotsAsTheClockMoves() async throws {
        let time = FakeTime(advances: true)
        try await withServer({ _ in Self.usersPage }) { server in
            let pacing = PacingLimits(requestsPerWindow: 2, requestWindow: 10)
            try await withClient(testConfiguration(server.baseURL(), time: time, pacing: pacing)) { client in
                for _ in 0..<5 { _ = try await client.listUsers(UserListQuery()) }
            }
        }
        // t=1000,1000 → 3rd waits 10 (t=1010), 4th at 1010 too, 5th waits 10 more.
        #expect(time.pacingWaits == [10, 10])
    }

    @Test func recordingsHaveTheirOwnHourlyBudget() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dispo-pace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let time = FakeTime(advances: false)
        try await withServer({ req in req.path == "/users" ? Self.usersPage : Reply(contentType: "audio/mpeg", bytes: Data([1, 2, 3])) }) { server in
            let pacing = PacingLimits(requestsPerWindow: 500, requestWindow: 60, recordingsPerWindow: 2, recordingWindow: 3600)
            try await withClient(testConfiguration(server.baseURL(), time: time, pacing: pacing)) { client in
                for i in 0..<3 { _ = try await client.downloadRecording(callID: "c\(i)", to: dir.appendingPathComponent("\(i).mp3").path) }
                _ = try await client.listUsers(UserListQuery())
            }
        }
        #expect(time.pacingWaits == [3600])
    }
}

/// Collects retry notices from any thread.
final class NoticeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var notices: [RetryNotice] = []
    func add(_ n: RetryNotice) { lock.withLock { notices.append(n) } }
    var all: [RetryNotice] { lock.withLock { notices } }
}
