import AsyncHTTPClient
import DispoSandbox
import Foundation
import Testing

@Suite struct RecordingAndFaultTests {
    @Test func recordingsServeAudioOr404Or413AndAreRateLimited() async throws {
        try await withSandbox(SandboxConfiguration(now: fixedNow, recordingsPerHour: 4)) { server in
            let calls = await server.workspace.calls()
            let playable = calls.first { $0.hasDownloadableRecording && !$0.recordingTooLarge }!
            let huge = calls.first { $0.recordingTooLarge }!
            let external = calls.first { $0.external }!

            let audio = try await send(server, .GET, "/calls/\(playable.id)/recording")
            #expect(audio.status == 200)
            #expect(audio.headers.first(name: "content-type") == "audio/mpeg")
            #expect(audio.body.count > 2_000)
            #expect(audio.body.prefix(3) == Data("ID3".utf8))
            let again = try await send(server, .GET, "/calls/\(playable.id)/recording")
            #expect(again.body == audio.body, "deterministic bytes")

            let tooBig = try await send(server, .GET, "/calls/\(huge.id)/recording")
            #expect(tooBig.status == 413)
            #expect(tooBig.firstError["code"] as? String == "content_too_large")

            let notThere = try await send(server, .GET, "/calls/\(external.id)/recording")
            #expect(notThere.status == 404)
            #expect((notThere.firstError["source"] as? [String: Any])?["pointer"] as? String == "/id")

            let limited = try await send(server, .GET, "/calls/\(playable.id)/recording")
            #expect(limited.status == 429)
            #expect(Int(limited.headers.first(name: "retry-after") ?? "") ?? 0 > 0)
        }
    }

    @Test func requestRateLimitAnswers429WithRetryAfter() async throws {
        try await withSandbox(SandboxConfiguration(now: fixedNow, requestsPerMinute: 3)) { server in
            for _ in 0..<3 {
                let status = try await send(server, .GET, "/account-info").status
                #expect(status == 200)
            }
            let limited = try await send(server, .GET, "/account-info")
            #expect(limited.status == 429)
            let retryAfter = Int(limited.headers.first(name: "retry-after") ?? "") ?? 0
            #expect((1...60).contains(retryAfter))
            #expect(limited.object["_errors"] != nil)
        }
    }

    @Test func adminEndpointsRecordRequestsAndSetFaults() async throws {
        try await withSandbox { server in
            _ = try await send(server, .GET, "/calls?page[size]=2")
            _ = try await send(server, .POST, "/calls", body: "{}")
            let recorded = try await send(server, .GET, "/_sandbox/requests", key: nil)
            let list = recorded.json as? [[String: Any]] ?? []
            #expect(list.map { $0["method"] as? String } == ["GET", "POST"])
            // The raw query as sent (the HTTP client percent-encodes the brackets).
            #expect((list.first?["query"] as? String)?.removingPercentEncoding == "page[size]=2")
            #expect(list.last?["body"] as? String == "{}")
            #expect(await server.recordedRequests().count == 2)

            let cleared = try await send(server, .DELETE, "/_sandbox/requests", key: nil)
            #expect(cleared.status == 204)
            #expect(await server.recordedRequests().isEmpty)

            let put = try await send(server, .PUT, "/_sandbox/faults", body: "{\"rateLimitNext\": 2, \"retryAfterSeconds\": 7}", key: nil)
            #expect(put.status == 200)
            let faults = try await send(server, .GET, "/_sandbox/faults", key: nil)
            #expect(faults.object["rateLimitNext"] as? Int == 2)
            for _ in 0..<2 {
                let limited = try await send(server, .GET, "/account-info")
                #expect(limited.status == 429)
                #expect(limited.headers.first(name: "retry-after") == "7")
            }
            let status1 = try await send(server, .GET, "/account-info").status
            #expect(status1 == 200)
        }
    }

    @Test func rateLimitMethodsLetOtherMethodsPassAndKeepTheCount() async throws {
        try await withSandbox { server in
            let put = try await send(server, .PUT, "/_sandbox/faults",
                                     body: "{\"rateLimitNext\": 1, \"retryAfterSeconds\": 5, \"rateLimitMethods\": \"post\"}", key: nil)
            #expect(put.status == 200)
            for _ in 0..<3 {
                let read = try await send(server, .GET, "/account-info")
                #expect(read.status == 200, "a GET passes a POST-only rate limit")
            }
            let limited = try await send(server, .POST, "/calls", body: "{}")
            #expect(limited.status == 429, "the one 429 was kept for the POST")
            #expect(limited.headers.first(name: "retry-after") == "5")
            let next = try await send(server, .POST, "/calls", body: "{}")
            #expect(next.status != 429, "only one POST is refused")
            let faults = try await send(server, .GET, "/_sandbox/faults", key: nil)
            #expect(faults.object["rateLimitMethods"] as? [String] == ["post"])
        }
    }

    @Test func serverErrorRateOneAnswers5xx() async throws {
        try await withSandbox(SandboxConfiguration(now: fixedNow, faults: SandboxFaults(serverErrorRate: 1))) { server in
            let a = try await send(server, .GET, "/account-info")
            let b = try await send(server, .GET, "/account-info")
            #expect(Set([a.status, b.status]) == [500, 503])
        }
    }

    @Test func dropAfterProcessingCreatesTheCallButSendsNoAnswer() async throws {
        try await withSandbox { server in
            let task = await server.workspace.tasks(userID: server.workspace.primaryUserID)
                .first { $0.status == "scheduled" && !$0.automatic && $0.type == "phone_call" }!
            let countBefore = await server.workspace.calls().count
            await server.setFaults(SandboxFaults(dropAfterProcessingNext: 1))
            await #expect(throws: (any Error).self) {
                _ = try await send(server, .POST, "/calls", body: logBody(task: task, userID: task.userID, dispositionID: nil))
            }
            #expect(await server.workspace.calls().count == countBefore + 1)
            #expect(await server.faults().dropAfterProcessingNext == 0)
            // The next request is answered normally.
            let status2 = try await send(server, .GET, "/account-info").status
            #expect(status2 == 200)
        }
    }

    @Test func downRefusesAPIRequestsButNotAdmin() async throws {
        try await withSandbox { server in
            let put = try await send(server, .PUT, "/_sandbox/faults", body: "{\"downForSeconds\": 30}", key: nil)
            #expect(put.status == 200)
            #expect(await server.faults().downUntil != nil)
            await #expect(throws: (any Error).self) { _ = try await send(server, .GET, "/account-info") }
            #expect(await server.recordedRequests().isEmpty)
            _ = try await send(server, .PUT, "/_sandbox/faults", body: "{}", key: nil)
            let status3 = try await send(server, .GET, "/account-info").status
            #expect(status3 == 200)
        }
    }

    @Test func latencyDelaysAnswers() async throws {
        try await withSandbox(SandboxConfiguration(now: fixedNow, faults: SandboxFaults(latencyMilliseconds: 300))) { server in
            let clock = ContinuousClock()
            let start = clock.now
            _ = try await send(server, .GET, "/account-info")
            #expect(clock.now - start >= .milliseconds(300))
        }
    }
}
