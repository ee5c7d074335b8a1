import DispoSandbox
import Foundation
import Testing

/// A large workspace (`SandboxConfiguration.primaryCalls`, `dispo sandbox --calls N`): the primary rep has
/// exactly the calls asked for, served newest first over `GET /calls` without a call twice, dialled on
/// working days and hours, with notes worth searching and needles that each mark one call.
@Suite("Sandbox: large workspaces")
struct LargeWorkspaceTests {
    /// One call as `GET /calls` serves it, read with Foundation.
    struct ServedCall {
        var id: String
        var start: Date
        var notes: String?
    }

    /// Every call of `userID`, following `_links.next` from the first page of `size`; the pages walked.
    static func allCalls(baseURL: String, userID: String, size: Int = 100) async throws -> (calls: [ServedCall], pages: Int) {
        var calls: [ServedCall] = []
        var next: String? = "/calls?user_id=\(userID)&page[size]=\(size)"
        var pages = 0
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let isoWhole = ISO8601DateFormatter()
        while let path = next {
            let answer = try await send(baseURL: baseURL, .GET, path)
            try #require(answer.status == 200, "\(path): \(String(decoding: answer.body, as: UTF8.self))")
            pages += 1
            for object in answer.object["calls"] as? [[String: Any]] ?? [] {
                let text = try #require(object["start_date"] as? String)
                let start = try #require(iso.date(from: text) ?? isoWhole.date(from: text), "start_date \(text)")
                calls.append(ServedCall(id: try #require(object["id"] as? String), start: start, notes: object["notes"] as? String))
            }
            next = ((answer.object["_links"] as? [String: Any])?["next"] as? [String: Any])?["href"] as? String
            try #require(pages <= 10_000, "paging does not end")
        }
        return (calls, pages)
    }

    @Test func theRepHasExactlyTheCallsAskedForNewestFirstAndEachOnce() async throws {
        var configuration = SandboxConfiguration(now: fixedNow)
        configuration.primaryCalls = 6_000
        try await withSandbox(configuration) { server in
            let (calls, pages) = try await Self.allCalls(baseURL: server.baseURL, userID: server.workspace.primaryUserID)
            #expect(calls.count == 6_000)
            #expect(pages == 60, "one request per 100 calls")
            #expect(Set(calls.map(\.id)).count == calls.count, "no call twice")
            #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.start >= $1.start }, "newest first")
            // The added calls (older than the seeded 90 days) are dialled on weekdays, 08:00–18:00 UTC.
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            let added = calls.filter { $0.start < fixedNow.addingTimeInterval(-91 * 86_400) }
            #expect(added.count > 4_900, "\(added.count) calls older than the seeded 90 days")
            #expect(added.allSatisfy { ![1, 7].contains(utc.component(.weekday, from: $0.start)) }, "weekdays only")
            #expect(added.allSatisfy { (8..<18).contains(utc.component(.hour, from: $0.start)) }, "working hours")
            // About 110 dials a working day, so 5 000 added calls span about 45 working days.
            let days = Set(added.map { utc.startOfDay(for: $0.start) }).count
            #expect((30...70).contains(days), "\(added.count) calls over \(days) days")
            let withNotes = added.filter { ($0.notes ?? "").isEmpty == false }.count
            #expect(withNotes > added.count / 3, "notes worth searching: \(withNotes) of \(added.count)")
        }
    }

    @Test func eachNeedleMarksExactlyOneCallDeepInTheHistory() async throws {
        var configuration = SandboxConfiguration(now: fixedNow)
        configuration.primaryCalls = 3_000
        try await withSandbox(configuration) { server in
            let needles = server.workspace.needles
            #expect((20...30).contains(needles.count), "\(needles.count) needles")
            #expect(Set(needles.map(\.word)).count == needles.count, "needle words are unique")
            let (calls, _) = try await Self.allCalls(baseURL: server.baseURL, userID: server.workspace.primaryUserID)
            for needle in needles {
                let holders = calls.filter { $0.notes?.contains(needle.word) == true }
                #expect(holders.map(\.id) == [needle.callID], "\(needle.word) is in the notes of \(holders.map(\.id))")
                #expect(holders.first.map { $0.start < fixedNow.addingTimeInterval(-90 * 86_400) } == true,
                        "\(needle.word) is older than the seeded 90 days")
            }
        }
    }

    @Test func theSameSeedGivesTheSameWorkspace() async {
        let a = SandboxWorkspace(now: fixedNow, primaryCalls: 2_500)
        let b = SandboxWorkspace(now: fixedNow, primaryCalls: 2_500)
        let callsA = await a.calls(userID: a.primaryUserID)
        let callsB = await b.calls(userID: b.primaryUserID)
        #expect(callsA.count == 2_500)
        #expect(callsA.map(\.id) == callsB.map(\.id))
        #expect(callsA.map(\.notes) == callsB.map(\.notes))
        #expect(a.needles.map(\.word) == b.needles.map(\.word))
    }

    @Test func fewerThanSeededKeepsTheNewest() async {
        let seeded = SandboxWorkspace(now: fixedNow)
        let small = SandboxWorkspace(now: fixedNow, primaryCalls: 100)
        let all = await seeded.calls(userID: seeded.primaryUserID)
        let kept = await small.calls(userID: small.primaryUserID)
        #expect(all.count > 100)
        #expect(kept.map(\.id) == Array(all.prefix(100)).map(\.id))
        #expect(small.needles.isEmpty)
        // Other reps keep their calls.
        #expect(await small.calls().count - kept.count == (await seeded.calls().count) - all.count)
    }

    /// A page after a cursor deep in a large list, and one before it, are the neighbours of that call.
    @Test func cursorsDeepInTheListFindTheirNeighbours() async throws {
        var configuration = SandboxConfiguration(now: fixedNow)
        configuration.primaryCalls = 4_000
        try await withSandbox(configuration) { server in
            let user = server.workspace.primaryUserID
            let mine = await server.workspace.calls(userID: user)
            let cursor = mine[3_210].id
            let after = try await send(server, .GET, "/calls?user_id=\(user)&page[size]=5&page[after]=\(cursor)")
            #expect((after.object["calls"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == mine[3_211...3_215].map(\.id))
            let before = try await send(server, .GET, "/calls?user_id=\(user)&page[size]=5&page[before]=\(cursor)")
            #expect((before.object["calls"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == mine[3_205...3_209].map(\.id))
            let unknown = try await send(server, .GET, "/calls?user_id=\(user)&page[after]=no-such-call")
            #expect(unknown.status == 400)
            // A call logged now moves every position; cursors still find their call.
            let task = try #require(await server.workspace.tasks(userID: user).first { $0.type == "phone_call" && $0.status == "scheduled" })
            let logged = try await send(server, .POST, "/calls", body: logBody(task: task, userID: user, dispositionID: nil))
            #expect(logged.status == 201)
            let again = try await send(server, .GET, "/calls?user_id=\(user)&page[size]=5&page[after]=\(cursor)")
            #expect((again.object["calls"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == mine[3_211...3_215].map(\.id))
        }
    }
}
