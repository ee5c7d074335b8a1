import AsyncHTTPClient
import DispoSandbox
import Foundation
import NIOHTTP1
import Testing

/// `clockSkewSeconds` (what the server stamps, the `Date` header) and `retryAfterAsDate`.
@Suite struct ClockSkewTests {
    /// The one `Date` header of `answer`, read as IMF-fixdate (nil when missing, repeated or malformed).
    private func dateHeader(_ answer: Answer) -> Date? {
        let values = answer.headers["date"]  // not canonicalForm: IMF-fixdate has a comma
        return values.count == 1 ? parseIMFFixdate(values[0]) : nil
    }

    @Test(arguments: [3 * 86_400.0, -7_200.5])
    func aCreatedCallIsStampedOnTheServerClock(skew: Double) async throws {
        try await withSandbox(SandboxConfiguration(now: fixedNow, faults: SandboxFaults(clockSkewSeconds: skew))) { server in
            let task = await openPhoneTask(server)
            let before = Date()
            let created = try await send(server, .POST, "/calls", body: logBody(task: task, userID: task.userID, dispositionID: nil))
            let after = Date()
            #expect(created.status == 201)
            #expect(stamped(parseISO(created.object["start_date"]), between: before, and: after, skew: skew))
            #expect(stamped(dateHeader(created), between: before, and: after, skew: skew))
            let stored = await server.workspace.call(id: created.object["id"] as? String ?? "")
            #expect(stamped(stored?.startDate, between: before, and: after, skew: skew))
        }
    }

    @Test func completedAndSkippedTasksAreFinishedOnTheServerClock() async throws {
        let skew = -86_400.0
        try await withSandbox(SandboxConfiguration(now: fixedNow, faults: SandboxFaults(clockSkewSeconds: skew))) { server in
            let first = await openPhoneTask(server), second = await openPhoneTask(server, skipping: 1)
            let third = await openPhoneTask(server, skipping: 2)
            let complete = await server.workspace.dispositions().first { $0.action == "complete" }!
            let before = Date()
            let completed = try await send(server, .POST, "/tasks/\(first.id)/complete")
            let skipped = try await send(server, .POST, "/tasks/\(second.id)/skip")
            let logged = try await send(server, .POST, "/calls", body: logBody(task: third, userID: third.userID,
                                                                               dispositionID: complete.id))
            let after = Date()
            #expect([completed.status, skipped.status, logged.status] as [Int] == [200, 200, 201])
            #expect(stamped(parseISO(completed.object["finished_on"]), between: before, and: after, skew: skew))
            #expect(stamped(parseISO(skipped.object["finished_on"]), between: before, and: after, skew: skew))
            let finished = await server.workspace.task(id: third.id)?.finishedOn
            #expect(finished == parseISO(logged.object["start_date"]), "a complete disposition finishes the task at the call's start")
            #expect(stamped(finished, between: before, and: after, skew: skew))
        }
    }

    @Test func startDateFiltersCompareTheStoredServerTimes() async throws {
        let skew = -2 * 86_400.0
        try await withSandbox(SandboxConfiguration(now: fixedNow, faults: SandboxFaults(clockSkewSeconds: skew))) { server in
            let task = await openPhoneTask(server)
            let created = try await send(server, .POST, "/calls", body: logBody(task: task, userID: task.userID, dispositionID: nil))
            let id = try #require(created.object["id"] as? String)
            let serverNow = Date().addingTimeInterval(skew)
            func ids(_ query: String) async throws -> [String] {
                let list = try await send(server, .GET, "/calls?" + query).object["calls"] as? [[String: Any]] ?? []
                return list.compactMap { $0["id"] as? String }
            }
            let around = "start_date_from=\(WireFormat.iso(serverNow.addingTimeInterval(-60)))"
                + "&start_date_to=\(WireFormat.iso(serverNow.addingTimeInterval(60)))"
            #expect(try await ids(around) == [id])
            #expect(try await ids("start_date_from=\(WireFormat.iso(Date().addingTimeInterval(-60)))").isEmpty,
                    "the real now is two days after the call's stored start")
        }
    }

    @Test func everyResponseCarriesADateHeaderOnTheServerClock() async throws {
        for skew in [0, 3_600, -45_000.25] {
            try await withSandbox(SandboxConfiguration(now: fixedNow, faults: SandboxFaults(clockSkewSeconds: skew))) { server in
                let recorded = await server.workspace.calls().first { $0.hasDownloadableRecording && !$0.recordingTooLarge }!
                let requests: [(HTTPMethod, String, String?)] = [
                    (.GET, "/account-info", SandboxConfiguration.defaultAPIKey),   // 200 JSON
                    (.GET, "/calls/\(recorded.id)/recording", SandboxConfiguration.defaultAPIKey),  // audio
                    (.GET, "/nowhere", SandboxConfiguration.defaultAPIKey),        // 404
                    (.DELETE, "/calls", SandboxConfiguration.defaultAPIKey),       // 405
                    (.GET, "/users", "wrong-key"),                                 // 401
                    (.GET, "/_sandbox/health", nil),                               // admin
                    (.DELETE, "/_sandbox/requests", nil),                          // admin, 204 without a body
                ]
                for (method, path, key) in requests {
                    let before = Date()
                    let answer = try await send(server, method, path, key: key)
                    let after = Date()
                    #expect(stamped(dateHeader(answer), between: before, and: after, skew: skew),
                            "\(method) \(path) → \(answer.status), skew \(skew): \(answer.headers["date"])")
                }
                await server.setFaults(SandboxFaults(clockSkewSeconds: skew, failEveryNth: 1))
                let before = Date()
                let injected = try await send(server, .GET, "/account-info")
                let after = Date()
                #expect(injected.status == 503)
                #expect(stamped(dateHeader(injected), between: before, and: after, skew: skew))
            }
        }
    }

    /// Server clocks set to known instants (1994's RFC example, a leap day, before 1970, late this century):
    /// the header spells them out in IMF-fixdate.
    @Test(arguments: [784_111_777.0, 1_709_251_199, -86_400 * 365.0 - 1, 4_107_542_399])
    func theDateHeaderIsIMFFixdate(serverTime: Double) async throws {
        try await withSandbox { server in
            let before = Date()
            await server.setFaults(SandboxFaults(clockSkewSeconds: serverTime - before.timeIntervalSince1970))
            let answer = try await send(server, .GET, "/_sandbox/health", key: nil)
            let after = Date()
            let header = answer.headers.first(name: "date") ?? ""
            let date = try #require(parseIMFFixdate(header), "\(header)")
            #expect(stamped(date, between: before, and: after, skew: serverTime - before.timeIntervalSince1970))
            if serverTime == 784_111_777, after.timeIntervalSince(before) < 2 {
                #expect(header.hasPrefix("Sun, 06 Nov 1994 08:49:3"), "\(header)")
            }
        }
    }

    @Test func injectedRateLimitsGiveAnHTTPDateOnTheServerClock() async throws {
        let skew = 7_200.0
        let faults = SandboxFaults(rateLimitNext: 1, retryAfterSeconds: 30, clockSkewSeconds: skew, retryAfterAsDate: true)
        try await withSandbox(SandboxConfiguration(now: fixedNow, faults: faults)) { server in
            let before = Date()
            let limited = try await send(server, .GET, "/account-info")
            let after = Date()
            #expect(limited.status == 429)
            let retryAfter = try #require(parseIMFFixdate(limited.headers.first(name: "retry-after")),
                                          "\(limited.headers.first(name: "retry-after") ?? "none")")
            #expect(retryAfter.timeIntervalSince(before.addingTimeInterval(skew + 30)) >= 0, "at least the wait")
            #expect(retryAfter.timeIntervalSince(after.addingTimeInterval(skew + 30)) <= 1)
            let date = try #require(dateHeader(limited))
            #expect((29...31).contains(retryAfter.timeIntervalSince(date)), "30 s after the response's own Date")
        }
    }

    @Test func theRequestAndRecordingLimitsGiveAnHTTPDateOnTheServerClock() async throws {
        let skew = -3_600.0
        let configuration = SandboxConfiguration(now: fixedNow, faults: SandboxFaults(clockSkewSeconds: skew, retryAfterAsDate: true),
                                                 requestsPerMinute: 3, recordingsPerHour: 1)
        try await withSandbox(configuration) { server in
            let recorded = await server.workspace.calls().first { $0.hasDownloadableRecording && !$0.recordingTooLarge }!
            let start = Date()
            let audio = try await send(server, .GET, "/calls/\(recorded.id)/recording")
            let overHour = try await send(server, .GET, "/calls/\(recorded.id)/recording")
            _ = try await send(server, .GET, "/account-info")
            let overMinute = try await send(server, .GET, "/account-info")
            let end = Date()
            #expect([audio.status, overHour.status, overMinute.status] as [Int] == [200, 429, 429])
            let hourly = try #require(parseIMFFixdate(overHour.headers.first(name: "retry-after")))
            let minutely = try #require(parseIMFFixdate(overMinute.headers.first(name: "retry-after")))
            // Waits: up to an hour after the download, up to a minute after the first counted request.
            #expect(stamped(hourly, between: start.addingTimeInterval(3_599), and: end.addingTimeInterval(3_601), skew: skew))
            #expect(stamped(minutely, between: start.addingTimeInterval(59), and: end.addingTimeInterval(61), skew: skew))
        }
    }
}
