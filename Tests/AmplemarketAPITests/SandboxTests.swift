import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import Foundation
import Testing

/// The client against the project's sandbox, in process: every endpoint dispo uses, end to end over HTTP.
@Suite struct SandboxTests {
    /// Starts a sandbox, runs `body` with a client on it, and tears both down.
    func withSandbox<T>(_ sandbox: SandboxConfiguration = SandboxConfiguration(), time: FakeTime = FakeTime(),
                        apiKey: String = SandboxConfiguration.defaultAPIKey,
                        _ body: (SandboxServer, AmplemarketClient) async throws -> T) async throws -> T {
        let server = try await SandboxServer.start(sandbox)
        do {
            let result = try await withClient(testConfiguration(server.baseURL, time: time, apiKey: apiKey)) { client in
                try await body(server, client)
            }
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }

    @Test func callsPageThroughToTheEndWithoutRepeats() async throws {
        try await withSandbox { server, client in
            let userID = server.workspace.primaryUserID
            let expected = await server.workspace.calls(userID: userID).count
            var page = try await client.listCalls(CallListQuery(pageSize: 100, userID: userID))
            var ids = page.items.map(\.id)
            var hrefs: Set<String> = []
            var pages = 1
            while let next = page.next {
                #expect(hrefs.insert(next).inserted, "repeated next href")
                page = try await client.calls(at: next)
                ids += page.items.map(\.id)
                pages += 1
            }
            #expect(pages >= 3)
            #expect(ids.count == expected)
            #expect(Set(ids).count == ids.count)
            let dates = try await client.listCalls(CallListQuery(pageSize: 50, userID: userID)).items.compactMap(\.startDate)
            #expect(dates == dates.sorted(by: >)) // newest first
        }
    }

    @Test func smallPagesOfTasksAndPrevLinks() async throws {
        try await withSandbox { server, client in
            let userID = server.workspace.primaryUserID
            let expected = Set(await server.workspace.tasks(userID: userID).map(\.id))
            var page = try await client.listTasks(TaskListQuery(userID: userID, pageSize: 7))
            #expect(page.prev == nil)
            var ids = page.items.map(\.id)
            var pages = [page]
            while let next = page.next {
                page = try await client.tasks(at: next)
                #expect(page.items.count <= 7)
                ids += page.items.map(\.id)
                pages.append(page)
            }
            #expect(pages.count >= 3)
            #expect(ids.count == expected.count)
            #expect(Set(ids) == expected)
            // Going back from the last page gives the page before it.
            if let prev = pages.last?.prev {
                let back = try await client.tasks(at: prev)
                #expect(back.items.map(\.id) == pages[pages.count - 2].items.map(\.id))
            }
        }
    }

    @Test func usersDispositionsAndAccountInfo() async throws {
        try await withSandbox { server, client in
            let users = try await client.allUsers(UserListQuery(pageSize: 1))
            #expect(users.map(\.id) == (await server.workspace.users()).map(\.id))
            #expect(users.count >= 3)
            let byEmail = try await client.listUsers(UserListQuery(email: server.workspace.primaryUserEmail))
            #expect(byEmail.items.map(\.id) == [server.workspace.primaryUserID])

            let dispositions = try await client.dispositions()
            #expect(dispositions.count == 6)
            #expect(Set(dispositions.compactMap(\.slug)) == ["no_answer", "no_answer_voicemail", "wrong_number", "busy",
                                                            "not_interested", "interested"])
            #expect(dispositions.allSatisfy { $0.action == .complete || $0.action == .nextStage })

            let info = try await client.accountInfo()
            #expect(info.workspaceName == server.workspace.accountName)
        }
    }

    @Test func logCallCompleteAndSkipTasks() async throws {
        try await withSandbox { server, client in
            let userID = server.workspace.primaryUserID
            let open = await server.workspace.tasks(userID: userID).filter { $0.status == "scheduled" && !$0.automatic && $0.type == "phone_call" }
            #expect(open.count >= 3)
            let disposition = try #require(await server.workspace.dispositions().first { $0.action == "next_stage" })
            let request = LogCallRequest(from: "+1 555 0100", to: "+1 555 0199", duration: 95, answered: true, human: true,
                                         taskID: open[0].id, userID: userID, transcription: "hello",
                                         dispositionID: disposition.id, notes: "call back Tuesday")
            let call = try await client.logCall(request)
            #expect(call.external == true)
            #expect(call.duration == 95)
            #expect(call.taskID == open[0].id)
            #expect(call.notes == "call back Tuesday")
            #expect(call.startDate != nil)
            #expect(await server.workspace.call(id: call.id) != nil)

            try await client.completeTask(id: open[1].id, setLeadToCompleted: true)
            #expect(await server.workspace.task(id: open[1].id)?.status == "completed")
            try await client.completeTask(id: open[1].id, setLeadToCompleted: true) // again: still fine
            try await client.skipTask(id: open[2].id)
            #expect(await server.workspace.task(id: open[2].id)?.status == "skipped")

            let recorded = await server.recordedRequests()
            #expect(recorded.contains { $0.method == "POST" && $0.path == "/tasks/\(open[1].id)/complete"
                && $0.body == #"{"set_lead_to_completed":true}"# })
        }
    }

    @Test func validationPointersAndUnknownReferences() async throws {
        try await withSandbox { server, client in
            let userID = server.workspace.primaryUserID
            let bad = LogCallRequest(from: "+1 555 0100", to: " ", duration: -5, answered: false, human: true,
                                     taskID: "nope", userID: userID)
            let f = try #require(await caught { try await client.logCall(bad) })
            #expect(f.kind == .validation)
            #expect(f.fieldErrors["to"] != nil)
            #expect(f.fieldErrors["duration"] != nil)
            // answered false with human true is allowed: the docs tie neither to the other.
            #expect(f.fieldErrors["human"] == nil)

            let unknownTask = LogCallRequest(from: "+1", to: "+2", duration: 5, answered: true, human: true,
                                             taskID: "00000000-0000-7000-8000-000000000000", userID: userID)
            let g = try #require(await caught { try await client.logCall(unknownTask) })
            #expect(g.kind == .validation)
            #expect(g.status == 404)
            #expect(g.fieldErrors["task_id"] == "Task not found")
        }
    }

    @Test func rejectedNotesComeBackWithTheNotesPointer() async throws {
        try await withSandbox(SandboxConfiguration(notesMode: .reject)) { server, client in
            let userID = server.workspace.primaryUserID
            let task = try #require(await server.workspace.tasks(userID: userID).first { $0.status == "scheduled" })
            var request = LogCallRequest(from: "+1", to: "+2", duration: 5, answered: true, human: true,
                                         taskID: task.id, userID: userID, notes: "keep me")
            let f = try #require(await caught { try await client.logCall(request) })
            #expect(f.kind == .validation)
            #expect(f.entries.contains { $0.source?.pointer == "/notes" })
            #expect(f.fieldErrors["notes"] != nil)
            request.notes = nil
            let call = try await client.logCall(request)
            #expect(call.notes == nil)
        }
    }

    @Test func droppedNotesAreVisibleInTheEcho() async throws {
        try await withSandbox(SandboxConfiguration(notesMode: .drop)) { server, client in
            let userID = server.workspace.primaryUserID
            let task = try #require(await server.workspace.tasks(userID: userID).first { $0.status == "scheduled" })
            let call = try await client.logCall(LogCallRequest(from: "+1", to: "+2", duration: 5, answered: true, human: true,
                                                               taskID: task.id, userID: userID, notes: "keep me"))
            #expect(call.notes == nil)
        }
    }

    @Test func extraFieldsVendorMediaTypeAndNullContacts() async throws {
        try await withSandbox(SandboxConfiguration(mediaType: "application/vnd.amp+json", extraFields: true)) { server, client in
            let userID = server.workspace.primaryUserID
            let withoutContact = await server.workspace.calls(userID: userID).filter { $0.contact == nil }.map(\.id)
            #expect(!withoutContact.isEmpty)
            var page = try await client.listCalls(CallListQuery(pageSize: 100, userID: userID))
            var calls = page.items
            while let next = page.next {
                page = try await client.calls(at: next)
                calls += page.items
            }
            #expect(calls.count == (await server.workspace.calls(userID: userID)).count)
            let decodedWithoutContact = calls.filter { $0.contact == nil }.map(\.id)
            #expect(Set(decodedWithoutContact) == Set(withoutContact))
            #expect(calls.allSatisfy { $0.from != nil && $0.duration != nil && $0.startDate != nil })
            #expect(try await client.dispositions().count == 6)
            #expect(try await client.allUsers(UserListQuery()).count >= 3)
            #expect(!(try await client.listTasks(TaskListQuery(userID: userID)).items.isEmpty))
            #expect(try await client.accountInfo().workspaceName == server.workspace.accountName)
        }
    }

    @Test func wrongKeyIsUnauthorized() async throws {
        try await withSandbox(apiKey: "not-the-key") { _, client in
            let f = try #require(await caught { try await client.accountInfo() })
            #expect(f.kind == .unauthorized)
            #expect(f.message == "The API key was rejected")
            #expect(!f.description.contains("not-the-key"))
        }
    }

    @Test func recordingDownloadAndNotFoundForExternalCalls() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dispo-sbx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try await withSandbox { server, client in
            let calls = await server.workspace.calls()
            let downloadable = try #require(calls.first { $0.hasDownloadableRecording && !$0.recordingTooLarge })
            let path = dir.appendingPathComponent("rec.mp3").path
            let bytes = try await client.downloadRecording(callID: downloadable.id, to: path)
            #expect(bytes > 0)
            #expect(FileManager.default.contents(atPath: path)?.count == bytes)
            let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600)

            let external = try #require(calls.first { $0.external })
            let f = try #require(await caught { try await client.downloadRecording(callID: external.id, to: dir.appendingPathComponent("x.mp3").path) })
            #expect(f.kind == .notFound)
            if let big = calls.first(where: { $0.recordingTooLarge && $0.hasDownloadableRecording }) {
                let g = await caught { try await client.downloadRecording(callID: big.id, to: dir.appendingPathComponent("big.mp3").path) }
                #expect(g?.kind == .tooLarge)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["rec.mp3"])
        }
    }

    @Test func sandboxRateLimitIsRetriedAfterRetryAfter() async throws {
        let time = FakeTime()
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(rateLimitNext: 2, retryAfterSeconds: 3)), time: time) { _, client in
            let users = try await client.listUsers(UserListQuery())
            #expect(!users.items.isEmpty)
        }
        #expect(time.sleeps == [3, 3])
    }

    @Test func droppedAnswerToAPostIsUncertainAndTheCallExists() async throws {
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(dropAfterProcessingNext: 1))) { server, client in
            let userID = server.workspace.primaryUserID
            let task = try #require(await server.workspace.tasks(userID: userID).first { $0.status == "scheduled" })
            let before = await server.workspace.calls().count
            let f = try #require(await caught {
                try await client.logCall(LogCallRequest(from: "+1 555 0100", to: "+1 555 0142", duration: 30, answered: true,
                                                        human: true, taskID: task.id, userID: userID))
            })
            #expect(f.kind == .uncertain)
            #expect(await server.workspace.calls().count == before + 1) // it did reach the server: never re-send blindly
            let posts = await server.recordedRequests().filter { $0.method == "POST" }
            #expect(posts.count == 1)
        }
    }
}
