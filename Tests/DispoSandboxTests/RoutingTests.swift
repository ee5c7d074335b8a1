import DispoSandbox
import Foundation
import NIOHTTP1
import Testing

/// The edges of routing: 404 and 405, percent-encoded paths, and the order of the cross-cutting steps
/// (faults, body limit, recording, auth, rate limit) relative to each other and to the admin endpoints.
@Suite struct RoutingTests {
    private func anyCallID(_ server: SandboxServer) async -> String { await server.workspace.calls()[0].id }
    private func anyTaskID(_ server: SandboxServer) async -> String { await server.workspace.tasks()[0].id }

    @Test func aKnownPathWithTheWrongMethodIs405() async throws {
        try await withSandbox { server in
            let callID = await anyCallID(server), taskID = await anyTaskID(server)
            let cases: [(HTTPMethod, String)] = [
                (.DELETE, "/calls"), (.PUT, "/calls"), (.POST, "/calls/dispositions"), (.POST, "/users"),
                (.POST, "/tasks"), (.DELETE, "/account-info"), (.POST, "/calls/\(callID)/recording"),
                (.GET, "/tasks/\(taskID)/complete"), (.GET, "/tasks/\(taskID)/skip"), (.PATCH, "/calls/x/recording"),
            ]
            for (method, path) in cases {
                let answer = try await send(server, method, path, body: method == .GET ? nil : "{}")
                #expect(answer.status == 405, "\(method) \(path)")
                #expect(answer.firstError["code"] as? String == "method_not_allowed")
                #expect(answer.firstError["status"] as? String == "405")
                #expect(answer.firstError["title"] as? String == "Method Not Allowed")
                #expect(answer.firstError["detail"] as? String == "\(method.rawValue) is not allowed on \(path)")
                #expect(answer.headers.first(name: "content-type") == "application/json")
            }
        }
    }

    @Test func anUnknownPathIs404WithTheMethodAndPathInTheDetail() async throws {
        try await withSandbox { server in
            for (method, path) in [(HTTPMethod.GET, "/nope"), (.GET, "/"), (.GET, "/calls/x"), (.POST, "/calls/x/recording/more"),
                                   (.POST, "/tasks/x/finish"), (.GET, "/account-info/x"), (.DELETE, "/users/x")] {
                let answer = try await send(server, method, path)
                #expect(answer.status == 404, "\(method) \(path)")
                #expect(answer.firstError["code"] as? String == "not_found")
                #expect(answer.firstError["detail"] as? String == "No route for \(method.rawValue) \(path)")
                #expect(answer.object["object"] as? String == "error")
            }
        }
    }

    @Test func pathSegmentsArePercentDecodedBeforeRouting() async throws {
        try await withSandbox { server in
            let dispositions = try await send(server, .GET, "/c%61lls/dispositions")
            #expect(dispositions.status == 200)
            #expect((dispositions.object["dispositions"] as? [[String: Any]])?.count == 6)
            let playable = await server.workspace.calls().first { $0.hasDownloadableRecording && !$0.recordingTooLarge }!
            let encodedID = "%" + String(playable.id.utf8.first!, radix: 16) + playable.id.dropFirst()
            let audio = try await send(server, .GET, "/calls/\(encodedID)/recording")
            #expect(audio.status == 200)
            #expect(audio.headers.first(name: "content-type") == "audio/mpeg")
            // Details quote the path as it was sent.
            let wrong = try await send(server, .DELETE, "/c%61lls")
            #expect(wrong.status == 405)
            #expect(wrong.firstError["detail"] as? String == "DELETE is not allowed on /c%61lls")
            // An encoded slash stays inside its segment.
            let slashed = try await send(server, .GET, "/calls/a%2Fb/recording")
            #expect(slashed.status == 404)
            #expect((slashed.firstError["source"] as? [String: Any])?["pointer"] as? String == "/id")
            let recorded = await server.recordedRequests().map(\.path)
            #expect(recorded.contains("/c%61lls/dispositions"))
        }
    }

    @Test func adminEndpointsBypassAuthFaultsAndRecording() async throws {
        let faults = SandboxFaults(serverErrorRate: 1, rateLimitNext: 5, dropAfterProcessingNext: 5)
        try await withSandbox(SandboxConfiguration(now: fixedNow, faults: faults, requestsPerMinute: 1)) { server in
            for _ in 0..<3 {
                let health = try await send(server, .GET, "/_sandbox/health", key: nil)
                #expect(health.status == 200)
                #expect(health.object["ok"] as? Bool == true)
                let read = try await send(server, .GET, "/_sandbox/faults", key: "not-the-key")
                #expect(read.status == 200)
                #expect(read.object["rateLimitNext"] as? Int == 5, "admin requests consume no fault")
                #expect(read.object["dropAfterProcessingNext"] as? Int == 5)
            }
            #expect(await server.recordedRequests().isEmpty)
            _ = try await send(server, .PUT, "/_sandbox/faults", body: "{\"downForSeconds\": 30}", key: nil)
            let whileDown = try await send(server, .GET, "/_sandbox/requests", key: nil)
            #expect(whileDown.status == 200)
            #expect(whileDown.json as? [Any] != nil)
        }
    }

    @Test func unmatchedAdminPathsAre404WithoutAuthWhateverTheMethod() async throws {
        try await withSandbox { server in
            await server.setFaults(SandboxFaults(serverErrorRate: 1))
            for (method, path) in [(HTTPMethod.GET, "/_sandbox/nope"), (.POST, "/_sandbox/health"), (.GET, "/_sandbox"),
                                   (.DELETE, "/_sandbox/faults")] {
                let answer = try await send(server, method, path, key: nil)
                #expect(answer.status == 404, "\(method) \(path)")
                #expect(answer.firstError["code"] as? String == "not_found")
                #expect(answer.firstError["detail"] as? String == "No admin route for \(method.rawValue) \(path)")
            }
            #expect(await server.recordedRequests().isEmpty)
        }
    }

    @Test func whileDownABadKeyGetsAClosedConnectionNot401() async throws {
        try await withSandbox { server in
            await server.setFaults(SandboxFaults(downForSeconds: 30))
            for key in ["not-the-key", nil] as [String?] {
                await #expect(throws: (any Error).self) { _ = try await send(server, .GET, "/account-info", key: key) }
            }
            await #expect(throws: (any Error).self) { _ = try await send(server, .GET, "/nope", key: nil) }
            #expect(await server.recordedRequests().isEmpty)
        }
    }

    @Test func injectedFaultsAnswerBeforeAuthAndAreRecorded() async throws {
        try await withSandbox { server in
            await server.setFaults(SandboxFaults(rateLimitNext: 1, retryAfterSeconds: 4))
            let limited = try await send(server, .GET, "/account-info", key: "not-the-key")
            #expect(limited.status == 429)
            #expect(limited.headers.first(name: "retry-after") == "4")
            await server.setFaults(SandboxFaults(serverErrorRate: 1))
            let failed = try await send(server, .GET, "/nope", key: nil)
            #expect([500, 503].contains(failed.status))
            #expect(await server.recordedRequests().map(\.path) == ["/account-info", "/nope"])
        }
    }

    @Test func authComesBeforeRoutingAndUnauthorisedRequestsAreRecorded() async throws {
        try await withSandbox { server in
            for (method, path) in [(HTTPMethod.GET, "/nope"), (.DELETE, "/calls")] {
                let answer = try await send(server, method, path, key: nil)
                #expect(answer.status == 401, "\(method) \(path)")
                #expect(answer.firstError["detail"] as? String
                    == "Missing Authorization header; send Authorization: Bearer <API key>")
            }
            let wrong = try await send(server, .GET, "/calls", key: "not-the-key")
            #expect(wrong.firstError["detail"] as? String == "The API key is invalid or has been revoked")
            #expect(await server.recordedRequests().count == 3)
        }
    }

    @Test func theRateLimitCountsOnlyAuthorisedRequestsIncluding404And405() async throws {
        try await withSandbox(SandboxConfiguration(now: fixedNow, requestsPerMinute: 3)) { server in
            for _ in 0..<4 {
                let status = try await send(server, .GET, "/account-info", key: "not-the-key").status
                #expect(status == 401)
            }
            let notFound = try await send(server, .GET, "/nope").status
            let notAllowed = try await send(server, .DELETE, "/calls").status
            let ok = try await send(server, .GET, "/account-info").status
            #expect([notFound, notAllowed, ok] == [404, 405, 200] as [Int])
            let limited = try await send(server, .GET, "/nope")
            #expect(limited.status == 429, "the limit applies before routing")
            #expect(limited.firstError["detail"] as? String == "Rate limit of 3 requests per minute exceeded")
            // Over the limit, a bad key is still told so.
            let unauthorised = try await send(server, .GET, "/account-info", key: "not-the-key").status
            #expect(unauthorised == 401)
        }
    }

    @Test func anOversizedBodyIs413BeforeAuthAndIsNotRecorded() async throws {
        try await withSandbox { server in
            let big = String(repeating: "x", count: (1 << 20) + 1)
            for (path, key) in [("/calls", SandboxConfiguration.defaultAPIKey), ("/calls", "not-the-key"), ("/_sandbox/faults", nil)] as [(String, String?)] {
                let method: HTTPMethod = path == "/calls" ? .POST : .PUT
                let answer = try await send(server, method, path, body: big, key: key)
                #expect(answer.status == 413, "\(path)")
                #expect(answer.firstError["code"] as? String == "content_too_large")
                #expect(answer.firstError["detail"] as? String == "The request body is larger than 1048576 bytes")
            }
            #expect(await server.recordedRequests().isEmpty)
        }
    }
}
