import DispoSandbox
import Foundation
import Testing

@Suite struct LogCallTests {
    private func openTask(_ server: SandboxServer) async -> SandboxTask {
        await server.workspace.tasks(userID: server.workspace.primaryUserID)
            .first { $0.status == "scheduled" && !$0.automatic && $0.type == "phone_call" }!
    }

    @Test func missingFieldsEachGetAPointer() async throws {
        try await withSandbox { server in
            let answer = try await send(server, .POST, "/calls", body: "{}")
            #expect(answer.status == 422)
            let pointers = Set(answer.errors.compactMap { ($0["source"] as? [String: Any])?["pointer"] as? String })
            #expect(pointers == ["/from", "/to", "/duration", "/answered", "/human", "/task_id", "/user_id"])
            #expect(answer.errors.allSatisfy { $0["code"] as? String == "missing_field" })
        }
    }

    @Test func wrongTypesAndNegativeDurationAreUnsupportedValues() async throws {
        try await withSandbox { server in
            let task = await openTask(server)
            for (field, value) in [("duration", "-1"), ("duration", "\"95\""), ("duration", "1.5"), ("answered", "\"yes\""), ("to", "42")] {
                var object = try JSONSerialization.jsonObject(with: Data(logBody(task: task, userID: task.userID, dispositionID: nil).utf8)) as! [String: Any]
                object.removeValue(forKey: field)
                var text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
                text.removeLast()
                text += ",\"\(field)\":\(value)}"
                let answer = try await send(server, .POST, "/calls", body: text)
                #expect(answer.status == 422, "\(field)=\(value)")
                #expect(answer.firstError["code"] as? String == "unsupported_value")
                #expect((answer.firstError["source"] as? [String: Any])?["pointer"] as? String == "/\(field)")
            }
        }
    }

    @Test func unknownReferencesAre404WithPointers() async throws {
        try await withSandbox { server in
            let task = await openTask(server)
            let body = logBody(task: task, userID: task.userID, dispositionID: "0199ba5b-0000-7000-8000-000000000000")
                .replacingOccurrences(of: task.id, with: "0199ba5b-0000-7000-8000-000000000001")
            let answer = try await send(server, .POST, "/calls", body: body)
            #expect(answer.status == 404)
            let pointers = Set(answer.errors.compactMap { ($0["source"] as? [String: Any])?["pointer"] as? String })
            #expect(pointers == ["/task_id", "/disposition_id"])
        }
    }

    @Test func aBodyThatIsNotJSONIs400() async throws {
        try await withSandbox { server in
            let answer = try await send(server, .POST, "/calls", body: "from=+1&to=+2", contentType: "application/x-www-form-urlencoded")
            #expect(answer.status == 400)
            #expect(answer.object["_errors"] != nil)
            #expect(await server.workspace.calls().count == SandboxWorkspace(seed: SandboxConfiguration.defaultSeed, now: fixedNow).calls().count)
        }
    }

    @Test func loggingWithACompleteDispositionCompletesTaskAndLead() async throws {
        try await withSandbox { server in
            let task = await openTask(server)
            let interested = await server.workspace.dispositions().first { $0.slug == "interested" }!
            let before = Date()
            // Sent as text/plain: the sandbox parses JSON whatever the Content-Type says.
            let answer = try await send(server, .POST, "/calls",
                                        body: logBody(task: task, userID: task.userID, dispositionID: interested.id, notes: "Send the deck"),
                                        contentType: "text/plain")
            #expect(answer.status == 201)
            let call = answer.object
            #expect(call["external"] as? Bool == true)
            #expect(call["task_id"] as? String == task.id)
            #expect(call["notes"] as? String == "Send the deck")
            #expect((call["contact"] as? [String: Any])?["id"] as? String == task.contact?.id)
            let start = call["start_date"] as? String ?? ""
            #expect(start.count == 20 && start.hasSuffix("Z"))
            let id = call["id"] as? String ?? ""
            #expect(Array(id).count == 36 && Array(id)[14] == "7")

            let updated = await server.workspace.task(id: task.id)!
            #expect(updated.status == "completed")
            #expect(updated.finishedOn != nil && updated.finishedOn! >= before.addingTimeInterval(-1))
            #expect(updated.leadCompleted)

            let list = try await send(server, .GET, "/calls?page[size]=1&user_id=\(task.userID)")
            #expect((list.object["calls"] as? [[String: Any]])?.first?["id"] as? String == id)
        }
    }

    @Test func nextStageDispositionLeavesTheTaskOpen() async throws {
        try await withSandbox { server in
            let task = await openTask(server)
            let voicemail = await server.workspace.dispositions().first { $0.slug == "no_answer_voicemail" }!
            let answer = try await send(server, .POST, "/calls", body: logBody(task: task, userID: task.userID, dispositionID: voicemail.id))
            #expect(answer.status == 201)
            #expect(await server.workspace.task(id: task.id)?.status == "scheduled")
        }
    }

    @Test func notesModesDropAndReject() async throws {
        try await withSandbox(SandboxConfiguration(now: fixedNow, notesMode: .drop)) { server in
            let task = await openTask(server)
            let answer = try await send(server, .POST, "/calls", body: logBody(task: task, userID: task.userID, dispositionID: nil, notes: "hi"))
            #expect(answer.status == 201)
            #expect(answer.object["notes"] is NSNull)
        }
        try await withSandbox(SandboxConfiguration(now: fixedNow, notesMode: .reject)) { server in
            let task = await openTask(server)
            let answer = try await send(server, .POST, "/calls", body: logBody(task: task, userID: task.userID, dispositionID: nil, notes: "hi"))
            #expect(answer.status == 422)
            #expect((answer.firstError["source"] as? [String: Any])?["pointer"] as? String == "/notes")
            let without = try await send(server, .POST, "/calls", body: logBody(task: task, userID: task.userID, dispositionID: nil))
            #expect(without.status == 201)
        }
    }

    @Test func taskCompleteAndSkipFollowEligibility() async throws {
        try await withSandbox { server in
            let tasks = await server.workspace.tasks()
            let manual = tasks.first { $0.status == "scheduled" && !$0.automatic }!
            let automatic = tasks.first { $0.status == "scheduled" && $0.automatic }!
            let skippable = tasks.first { $0.status == "scheduled" && !$0.automatic && $0.id != manual.id }!

            let done = try await send(server, .POST, "/tasks/\(manual.id)/complete", body: "{\"set_lead_to_completed\": true}")
            #expect(done.status == 200)
            #expect(done.object["status"] as? String == "completed")
            #expect(await server.workspace.task(id: manual.id)?.leadCompleted == true)
            let again = try await send(server, .POST, "/tasks/\(manual.id)/complete")
            #expect(again.status == 200)

            let refused = try await send(server, .POST, "/tasks/\(automatic.id)/complete")
            #expect(refused.status == 422)
            #expect(refused.firstError["code"] as? String == "unsupported_value")

            let skipped = try await send(server, .POST, "/tasks/\(skippable.id)/skip")
            #expect(skipped.status == 200)
            #expect(await server.workspace.task(id: skippable.id)?.status == "skipped")
            let skipDone = try await send(server, .POST, "/tasks/\(manual.id)/skip")
            #expect(skipDone.status == 422)

            let unknown = try await send(server, .POST, "/tasks/0199ba5b-0000-7000-8000-000000000000/complete")
            #expect(unknown.status == 404)
        }
    }
}
