import DispoSandbox
import Foundation
import Testing

/// The sandbox speaks the API as documented, not narrower: the newer call fields by default, the
/// documented `sales_rep` role, no rule the docs do not state, and a 403 for a key without access.
@Suite struct DocumentedShapeTests {
    @Test func callsCarryTheNewerFieldsByDefault() async throws {
        try await withSandbox { server in
            let userID = server.workspace.primaryUserID
            let answer = try await send(server, .GET, "/calls?page[size]=100&user_id=\(userID)")
            let calls = answer.object["calls"] as? [[String: Any]] ?? []
            #expect(calls.count == 100)
            #expect(calls.allSatisfy { $0["x_sandbox_note"] == nil }, "no extra fields unless asked")
            #expect(calls.allSatisfy { $0["direction"] as? String == "outgoing" })
            #expect(calls.allSatisfy { ($0["user_email"] as? String)?.hasSuffix("@northwind-sandbox.example") == true })
            #expect(calls.allSatisfy { $0["transcript"] is [Any] })
            // A disposition's name comes with its id; a call without one has a null name.
            for call in calls {
                if call["disposition_id"] is String {
                    #expect(call["disposition_name"] is String, "\(call)")
                } else {
                    #expect(call["disposition_name"] is NSNull, "\(call)")
                }
            }
            // The transcript holds the transcription's paragraphs as {speaker, text}, the contact first.
            let transcribed = try #require(calls.first { ($0["transcription"] as? String)?.contains("\n\n") == true })
            let paragraphs = (transcribed["transcription"] as! String).components(separatedBy: "\n\n")
            let entries = try #require(transcribed["transcript"] as? [[String: Any]])
            #expect(entries.compactMap { $0["text"] as? String } == paragraphs)
            #expect(entries.first?["speaker"] as? String == "contact")
            #expect(entries.dropFirst().first?["speaker"] as? String == "rep")
            let silent = try #require(calls.first { $0["transcription"] is NSNull })
            #expect((silent["transcript"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func repsHaveTheDocumentedRole() async throws {
        try await withSandbox { server in
            let all = try await send(server, .GET, "/users").object["users"] as? [[String: Any]] ?? []
            #expect(Set(all.compactMap { $0["role"] as? String }) == ["admin", "sales_rep"])
            let reps = try await send(server, .GET, "/users?role=sales_rep").object["users"] as? [[String: Any]] ?? []
            #expect(reps.contains { $0["email"] as? String == "ines.carvalho@northwind-sandbox.example" })
            #expect(reps.count == all.count - 1)
        }
    }

    /// The docs give `answered` and `human` as two booleans and state no rule between them.
    @Test func humanWithoutAnsweredIsAccepted() async throws {
        try await withSandbox { server in
            let task = await server.workspace.tasks(userID: server.workspace.primaryUserID)
                .first { $0.status == "scheduled" && !$0.automatic && $0.type == "phone_call" }!
            var object = try JSONSerialization.jsonObject(with: Data(logBody(task: task, userID: task.userID, dispositionID: nil).utf8)) as! [String: Any]
            object["answered"] = false
            object["human"] = true
            let body = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            let answer = try await send(server, .POST, "/calls", body: body)
            #expect(answer.status == 201, "\(answer.errors)")
            #expect(answer.object["answered"] as? Bool == false && answer.object["human"] as? Bool == true)
        }
    }

    @Test func aForbiddenPathIsAnswered403WithAnExplanation() async throws {
        try await withSandbox { server in
            let put = try await send(server, .PUT, "/_sandbox/faults", body: #"{"forbiddenPaths": "/calls"}"#, key: nil)
            #expect(put.status == 200)
            #expect(put.object["forbiddenPaths"] as? [String] == ["/calls"])
            for path in ["/calls", "/calls/dispositions"] {
                let refused = try await send(server, .GET, path)
                #expect(refused.status == 403, "\(path)")
                #expect(refused.firstError["code"] as? String == "forbidden")
                #expect((refused.firstError["detail"] as? String)?.contains("does not have access to /calls") == true)
            }
            let before = await server.workspace.calls(userID: server.workspace.primaryUserID).count
            let post = try await send(server, .POST, "/calls", body: "{}")
            #expect(post.status == 403)
            #expect(await server.workspace.calls(userID: server.workspace.primaryUserID).count == before, "nothing processed")
            #expect(try await send(server, .GET, "/users").status == 200)
            #expect(try await send(server, .GET, "/callsx").status != 403, "a path that only starts alike is not covered")

            let cleared = try await send(server, .PUT, "/_sandbox/faults", body: "{}", key: nil)
            #expect(cleared.object["forbiddenPaths"] as? [String] == [])
            #expect(try await send(server, .GET, "/calls").status == 200)
        }
    }
}
