import DispoSandbox
import Foundation
import Testing

/// `SandboxConfiguration.stateFile`: what requests change survives a restart; a bad file is moved aside.
@Suite struct PersistenceTests {
    /// A fresh directory under the system temporary directory; removed by `cleanUp`.
    private func makeDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dispo-sandbox-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func cleanUp(_ directory: String) { try? FileManager.default.removeItem(atPath: directory) }

    private func configuration(stateFile: String?, now: Date = fixedNow) -> SandboxConfiguration {
        var c = SandboxConfiguration(now: now)
        c.stateFile = stateFile
        return c
    }

    /// Open manual phone tasks of the primary user, in seeding order.
    private func openTasks(_ server: SandboxServer) async -> [SandboxTask] {
        await server.workspace.tasks(userID: server.workspace.primaryUserID)
            .filter { $0.status == "scheduled" && !$0.automatic && $0.type == "phone_call" }
    }

    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    private func filesIn(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    @Test func loggedCallsAndTaskChangesSurviveARestart() async throws {
        let directory = try makeDirectory()
        defer { cleanUp(directory) }
        let stateFile = directory + "/state/sandbox-workspace.json"  // parent directory does not exist yet

        // First launch: log two calls, complete a task with its lead, skip another.
        let (voicemailCallID, interestedCallID, tasks) = try await withSandbox(configuration(stateFile: stateFile)) { server in
            #expect(server.notice == nil)
            let tasks = Array(await openTasks(server).prefix(4))
            let dispositions = await server.workspace.dispositions()
            let voicemail = dispositions.first { $0.slug == "no_answer_voicemail" }!
            let interested = dispositions.first { $0.slug == "interested" }!
            let first = try await send(server, .POST, "/calls", body: logBody(
                task: tasks[0], userID: tasks[0].userID, dispositionID: voicemail.id, notes: "Left VM — café ☕"))
            #expect(first.status == 201)
            let second = try await send(server, .POST, "/calls", body: logBody(
                task: tasks[1], userID: tasks[1].userID, dispositionID: interested.id))
            #expect(second.status == 201)
            let complete = try await send(server, .POST, "/tasks/\(tasks[2].id)/complete", body: "{\"set_lead_to_completed\":true}")
            #expect(complete.status == 200)
            let skip = try await send(server, .POST, "/tasks/\(tasks[3].id)/skip")
            #expect(skip.status == 200)
            #expect(await server.workspace.saveProblem == nil)
            return (first.object["id"] as? String ?? "", second.object["id"] as? String ?? "", tasks)
        }
        #expect(try mode(stateFile) == 0o600)
        #expect(try filesIn(directory + "/state").filter { !$0.hasSuffix(".lock") } == ["sandbox-workspace.json"],
                "no temporary file left behind")
        let firstRun = SandboxWorkspace(seed: SandboxConfiguration.defaultSeed, now: fixedNow)
        #expect(await firstRun.call(id: voicemailCallID) == nil, "the seeded workspace alone does not have it")

        // Second launch, two days later: everything is back, under the same ids.
        let later = fixedNow.addingTimeInterval(2 * 86_400 + 7)
        let thirdCallID = try await withSandbox(configuration(stateFile: stateFile, now: later)) { server in
            #expect(server.notice == nil)
            let w = server.workspace
            let call = try #require(await w.call(id: voicemailCallID))
            #expect(call.notes == "Left VM — café ☕")
            #expect(call.duration == 95 && call.answered && call.human && call.external)
            #expect(call.taskID == tasks[0].id && call.userID == tasks[0].userID)
            #expect(call.contact?.id == tasks[0].contact?.id)
            #expect(await w.task(id: tasks[0].id)?.status == "scheduled", "next_stage leaves the task open")

            let interestedCall = try #require(await w.call(id: interestedCallID))
            let completedByCall = try #require(await w.task(id: tasks[1].id))
            #expect(completedByCall.status == "completed" && completedByCall.leadCompleted)
            #expect(completedByCall.finishedOn == interestedCall.startDate, "finished when the call was logged")

            let completed = try #require(await w.task(id: tasks[2].id))
            #expect(completed.status == "completed" && completed.leadCompleted)
            #expect(completed.finishedOn.map { abs($0.timeIntervalSinceNow) < 120 } == true)
            let skipped = try #require(await w.task(id: tasks[3].id))
            #expect(skipped.status == "skipped" && skipped.finishedOn != nil)

            // Served by the API too: the logged calls head the user's list (they are the newest).
            let list = try await send(server, .GET, "/calls?page[size]=2&user_id=\(tasks[0].userID)")
            let ids = Set((list.object["calls"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            #expect(ids == [voicemailCallID, interestedCallID])
            let done = try await send(server, .GET, "/tasks?page[size]=100&status=completed&user_id=\(tasks[2].userID)")
            let doneIDs = (done.object["tasks"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(doneIDs.contains(tasks[2].id) && doneIDs.contains(tasks[1].id))

            // A change in the second launch is saved alongside the replayed ones.
            let third = try await send(server, .POST, "/calls", body: logBody(task: tasks[0], userID: tasks[0].userID, dispositionID: nil))
            #expect(third.status == 201)
            return third.object["id"] as? String ?? ""
        }

        // Third launch: all three calls; a sandbox without a state file has none of them.
        try await withSandbox(configuration(stateFile: stateFile)) { server in
            for id in [voicemailCallID, interestedCallID, thirdCallID] {
                #expect(await server.workspace.call(id: id) != nil)
            }
            #expect(await server.workspace.task(id: tasks[3].id)?.status == "skipped")
        }
        try await withSandbox(configuration(stateFile: nil)) { server in
            #expect(await server.workspace.call(id: voicemailCallID) == nil)
            #expect(await server.workspace.task(id: tasks[2].id)?.status == "scheduled")
        }
    }

    @Test func aCorruptStateFileIsMovedAsideAndTheSandboxStartsFresh() async throws {
        let directory = try makeDirectory()
        defer { cleanUp(directory) }
        let stateFile = directory + "/sandbox-workspace.json"
        let garbage = Data("{\"format\":\"dispo-sandbox-workspace\",\"calls\":[{\"id\":".utf8)  // cut short
        try garbage.write(to: URL(fileURLWithPath: stateFile))

        let seeded = await SandboxWorkspace(seed: SandboxConfiguration.defaultSeed, now: fixedNow).calls().count
        try await withSandbox(configuration(stateFile: stateFile)) { server in
            let notice = try #require(server.notice)
            #expect(!notice.contains("\n"), "one line")
            #expect(notice.contains(stateFile) && notice.contains("moved it to"))
            #expect(await server.workspace.calls().count == seeded)
            #expect(!FileManager.default.fileExists(atPath: stateFile))
            let aside = try filesIn(directory).filter { $0.hasPrefix("sandbox-workspace.json.bad-") }
            #expect(aside.count == 1)
            #expect(notice.contains(aside.first ?? "?"))
            #expect(FileManager.default.contents(atPath: directory + "/" + (aside.first ?? "")) == garbage,
                    "the bad file is kept as it was")

            // The sandbox works and saves anew.
            let task = await openTasks(server)[0]
            let answer = try await send(server, .POST, "/calls", body: logBody(task: task, userID: task.userID, dispositionID: nil))
            #expect(answer.status == 201)
            #expect(try mode(stateFile) == 0o600)
            let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: stateFile))) as? [String: Any]
            #expect((saved?["calls"] as? [[String: Any]])?.first?["id"] as? String == answer.object["id"] as? String)
        }
    }

    @Test func aStateFileOfAnotherSeedIsMovedAsideToo() async throws {
        let directory = try makeDirectory()
        defer { cleanUp(directory) }
        let stateFile = directory + "/sandbox-workspace.json"
        var other = configuration(stateFile: stateFile)
        other.seed = 99
        try await withSandbox(other) { server in
            let task = await openTasks(server)[0]
            let skip = try await send(server, .POST, "/tasks/\(task.id)/skip")
            #expect(skip.status == 200)
        }
        try await withSandbox(configuration(stateFile: stateFile)) { server in
            #expect(server.notice?.contains("seed 99") == true)
            let files = try filesIn(directory)
            #expect(files.contains { $0.hasPrefix("sandbox-workspace.json.bad-") })
        }
    }

    @Test func twoSandboxesSharingAStateFileKeepEachOthersChanges() async throws {
        let directory = try makeDirectory()
        defer { cleanUp(directory) }
        let stateFile = directory + "/sandbox-workspace.json"
        // Both start before either has saved (e.g. the TUI and a scripting command).
        let a = try await SandboxServer.start(configuration(stateFile: stateFile))
        let b = try await SandboxServer.start(configuration(stateFile: stateFile))
        let tasks = await openTasks(a)
        let fromA = try await send(a, .POST, "/calls", body: logBody(task: tasks[0], userID: tasks[0].userID, dispositionID: nil))
        let fromB = try await send(b, .POST, "/calls", body: logBody(task: tasks[1], userID: tasks[1].userID, dispositionID: nil))
        let skipB = try await send(b, .POST, "/tasks/\(tasks[2].id)/skip")
        let completeA = try await send(a, .POST, "/tasks/\(tasks[3].id)/complete")
        await a.shutdown()
        await b.shutdown()
        let statuses: [Int] = [fromA.status, fromB.status, skipB.status, completeA.status]
        #expect(statuses == [201, 201, 200, 200])

        try await withSandbox(configuration(stateFile: stateFile)) { server in
            #expect(server.notice == nil)
            for answer in [fromA, fromB] {
                #expect(await server.workspace.call(id: answer.object["id"] as? String ?? "") != nil)
            }
            #expect(await server.workspace.task(id: tasks[2].id)?.status == "skipped")
            #expect(await server.workspace.task(id: tasks[3].id)?.status == "completed")
        }
    }
}
