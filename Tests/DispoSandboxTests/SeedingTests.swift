import DispoSandbox
import Foundation
import Testing

@Suite struct SeedingTests {
    @Test func seedHasTheDocumentedShapeAndVolume() async throws {
        // (Seeding time is not asserted here: timed unit tests flake on shared machines.)
        let workspace = SandboxWorkspace(seed: 42, now: fixedNow)

        let users = await workspace.users()
        #expect(users.count >= 3)
        #expect(users.contains { $0.role == "admin" })
        #expect(users.first?.email == SandboxWorkspace.primaryUserEmail)
        #expect(Set(users.map(\.email)).count == users.count)

        let dispositions = await workspace.dispositions()
        #expect(dispositions.map(\.name) == ["No answer", "Left voicemail", "Wrong number", "Busy", "Not interested", "Interested"])
        #expect(dispositions.map(\.slug) == ["no_answer", "no_answer_voicemail", "wrong_number", "busy", "not_interested", "interested"])
        #expect(dispositions.map(\.action) == ["next_stage", "next_stage", "complete", "next_stage", "complete", "complete"])

        for user in users {
            let tasks = await workspace.tasks(userID: user.id)
            #expect(tasks.count >= 40, "user \(user.email) has \(tasks.count) tasks")
        }
        let calls = await workspace.calls()
        #expect(calls.count >= 2000)
        let oldest = fixedNow.addingTimeInterval(-91 * 86_400)
        #expect(calls.allSatisfy { $0.startDate > oldest && $0.startDate <= fixedNow })
        #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.startDate >= $1.startDate }, "newest first")
    }

    @Test func seedHasTheVarietyClientsMustHandle() async throws {
        let workspace = SandboxWorkspace(seed: 7, now: fixedNow)
        let calls = await workspace.calls()
        let names = Set(calls.compactMap { $0.contact?.name })
        for name in ["José Ramírez", "王秀英", "佐藤花子", "🚀 Rocket Ramos", "محمد الأحمد", "דוד לוי"] {
            #expect(names.contains(name), "missing contact \(name)")
        }
        let numbers = Set(calls.map(\.to))
        for number in ["+1 415 555 0142", "+44 20 7946 0958", "(415) 555-0199", "+351912345678", "00 49 30 901820"] {
            #expect(numbers.contains(number), "missing number spelling \(number)")
        }
        #expect(calls.contains { $0.contact == nil })
        #expect(calls.contains { $0.answered && !$0.human }, "voicemails")
        #expect(calls.filter { !$0.answered }.allSatisfy { $0.duration == 0 && !$0.human })
        #expect(calls.contains { !$0.answered })
        #expect(calls.contains { ($0.transcription?.components(separatedBy: "\n\n").count ?? 0) >= 3 }, "long transcriptions")
        #expect(calls.contains { $0.notes != nil })
        #expect(calls.contains { $0.dispositionID == nil })
        #expect(calls.contains { $0.dispositionID != nil })
        #expect(calls.contains { !$0.external && $0.recordingURL != nil })
        #expect(calls.contains { $0.external && ($0.recordingURL?.hasPrefix("https://") ?? false) })
        #expect(calls.filter(\.recordingTooLarge).count >= 1)

        let tasks = await workspace.tasks()
        #expect(Set(tasks.map(\.type)) == ["phone_call", "email"])
        #expect(Set(tasks.map(\.status)) == ["scheduled", "completed", "skipped"])
        #expect(Set(tasks.map(\.automatic)) == [true, false])
        #expect(tasks.contains { $0.contact == nil })
        #expect(tasks.contains { $0.sequenceName != nil })
    }

    @Test func everyOpenManualPhoneTaskHasAnEarlierCallToItsContact() async throws {
        let workspace = SandboxWorkspace(seed: 3, now: fixedNow)
        let primary = workspace.primaryUserID
        let calls = await workspace.calls()
        let open = await workspace.tasks().filter { $0.status == "scheduled" && !$0.automatic && $0.type == "phone_call" }
        #expect(open.filter { $0.userID == primary }.count >= 20)
        for task in open {
            guard let contact = task.contact else { continue }
            #expect(calls.contains { $0.contact?.id == contact.id && $0.startDate < fixedNow },
                    "task \(task.id) contact \(contact.name ?? "?") was never called")
        }
        #expect(open.filter { $0.userID == primary }.allSatisfy { $0.contact != nil })
    }

    @Test func seedingIsDeterministicPerSeedAndClock() async throws {
        let a = SandboxWorkspace(seed: 11, now: fixedNow)
        let b = SandboxWorkspace(seed: 11, now: fixedNow)
        let c = SandboxWorkspace(seed: 12, now: fixedNow)
        let callsA = await a.calls(), callsB = await b.calls(), callsC = await c.calls()
        #expect(callsA == callsB)
        #expect(await a.tasks() == b.tasks())
        #expect(await a.users() == b.users())
        #expect(callsA.map(\.id) != callsC.map(\.id))
        // Ids are UUID v7.
        #expect(callsA.allSatisfy { $0.id.count == 36 && Array($0.id)[14] == "7" })
    }

    /// Every seeded id, in a fixed order, for comparing two workspaces.
    private func allIDs(_ w: SandboxWorkspace) async -> [String] {
        let users = await w.users()
        let tasks = await w.tasks()
        let calls = await w.calls().sorted { $0.id < $1.id }
        return [w.accountID, w.primaryUserID] + users.map(\.id) + users.flatMap { $0.mailboxes.map(\.id) }
            + (await w.dispositions()).map(\.id) + tasks.map(\.id) + tasks.compactMap { $0.contact?.id }
            + calls.map(\.id) + calls.compactMap { $0.contact?.id } + calls.compactMap(\.recordingURL)
    }

    @Test func idsDependOnTheSeedOnlyNotOnTheClock() async throws {
        // Two launches 3 days, 7 hours and 41.5 seconds apart (not a whole minute, so due-date rounding differs).
        let later = fixedNow.addingTimeInterval(3 * 86_400 + 7 * 3_600 + 41.5)
        let a = SandboxWorkspace(seed: 11, now: fixedNow)
        let b = SandboxWorkspace(seed: 11, now: later)
        let idsA = await allIDs(a), idsB = await allIDs(b)
        #expect(idsA.count > 2_500)
        #expect(idsA == idsB)
        #expect(await allIDs(SandboxWorkspace(seed: 12, now: fixedNow)) != idsA)
        // Same records under the same ids; only the dates moved with the clock.
        let callA = await a.calls().first!, callB = await b.call(id: callA.id)
        #expect(callB?.to == callA.to && callB?.taskID == callA.taskID)
        #expect(callB.map { Int($0.startDate.timeIntervalSince(callA.startDate)) } == Int(later.timeIntervalSince(fixedNow)))
        // Still UUID v7 (version nibble 7, RFC 9562 variant).
        #expect(idsA.filter { !$0.hasPrefix("https://") }.allSatisfy {
            $0.count == 36 && Array($0)[14] == "7" && "89ab".contains(Array($0)[19])
        })
        // The default configuration (what dispo starts) also keeps its ids across launches.
        let d1 = SandboxWorkspace(now: fixedNow), d2 = SandboxWorkspace(now: Date())
        #expect(d1.primaryUserID == d2.primaryUserID && d1.accountID == d2.accountID)
        #expect(await d1.tasks().map(\.id) == d2.tasks().map(\.id))
    }

    @Test func idsAreTheSameAcrossTwoServerStarts() async throws {
        func snapshot(_ now: Date) async throws -> [String] {
            try await withSandbox(SandboxConfiguration(now: now)) { server in
                var ids: [String] = []
                for path in ["/users", "/calls/dispositions", "/calls?page[size]=100",
                             "/tasks?page[size]=100&user_id=\(server.workspace.primaryUserID)"] {
                    let answer = try await send(server, .GET, path)
                    for (_, value) in answer.object {
                        if let items = value as? [[String: Any]] { ids += items.compactMap { $0["id"] as? String } }
                    }
                }
                ids.append(try await send(server, .GET, "/account-info").object["id"] as? String ?? "")
                return ids.sorted()
            }
        }
        let first = try await snapshot(fixedNow)
        let second = try await snapshot(fixedNow.addingTimeInterval(86_400 + 17))
        let expected = 4 + 6 + 100 + 56 + 1  // users, dispositions, a page of calls, the primary user's tasks, account
        #expect(first.count == expected)
        #expect(first == second)
    }
}
