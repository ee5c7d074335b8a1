import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import DispoStore
import DispoViewModel
import Foundation
import Testing
@testable import DispoApp

/// The local mirror's sync against the sandbox: a first sync reads the whole history once, a later one
/// only the newest pages, a sync cut short resumes where it stopped, the sync keeps to its share of the
/// request budget, and the server going away mid-sync loses nothing already read.
@Suite("History sync", .serialized)
struct HistorySyncTests {
    final class Rig: @unchecked Sendable {
        let server: SandboxServer
        let client: AmplemarketClient
        let store: DispoStore
        let dir: String
        var userID: String { server.workspace.primaryUserID }

        init() async throws {
            server = try await SandboxServer.start(SandboxConfiguration())
            client = try AmplemarketClient(configuration: ClientConfiguration(
                baseURL: server.baseURL, apiKey: SandboxConfiguration.defaultAPIKey, requestTimeout: 5,
                retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.02, maxDelay: 0.05)))
            dir = NSTemporaryDirectory() + "dispo-history-\(UUID().uuidString.prefix(8))"
            store = try DispoStore.open(path: dir + "/dispo.sqlite").store
        }

        /// A sync of the primary rep (fresh, as after a restart), through `fetch` when given.
        func sync(pacer: SyncPacer = SyncPacer(), failAfter pages: Int? = nil) async -> (HistoryProgress, Error?) {
            let client = self.client
            let counter = Counter()
            let sync = HistorySync(store: store, workspaceKey: "sandbox", userID: userID, fetch: { request in
                if let pages, counter.next() > pages { throw APIFailure(kind: .notSent, message: "the server went away") }
                switch request {
                case .first(let q): return try await client.listCalls(q)
                case .next(let href): return try await client.calls(at: href)
                }
            }, enrich: { $0.map { MirroredCall(call: $0, extraSearchText: "") } }, pacer: pacer, report: { _, _ in })
            let error = await sync.sync()
            return (await sync.progress(), error)
        }

        /// Every call of the primary rep, as the server holds them.
        func serverCalls() async throws -> [Call] {
            var page = try await client.listCalls(CallListQuery(pageSize: 100, userID: userID))
            var all = page.items
            while let next = page.next { page = try await client.calls(at: next); all += page.items }
            return all
        }

        /// Logs a call (per Amplemarket API: POST /calls) to one of the rep's tasks.
        func log(notes: String? = nil, duration: Int = 42) async throws -> Call {
            let task = await server.workspace.tasks(userID: userID).first { $0.type == "phone_call" }!
            return try await client.logCall(LogCallRequest(from: "+1 650 555 0100", to: "+1 415 555 0199", duration: duration,
                                                           answered: true, human: true, taskID: task.id, userID: userID,
                                                           notes: notes))
        }

        func callPages() async -> [RecordedRequest] {
            await server.recordedRequests().filter { $0.method == "GET" && $0.path == "/calls" }
        }

        func close() async {
            await client.shutdown()
            await server.shutdown()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int { lock.withLock { n += 1; return n } }
    }

    func mirroredIDs(_ rig: Rig) throws -> [String] {
        try rig.store.mirrorWindow(CallHistoryQuery(userID: rig.userID), workspaceKey: "sandbox", offset: 0,
                                   limit: 100_000, anchorID: nil).calls.map(\.id)
    }

    @Test func aFirstSyncReadsTheWholeHistoryOnceAndALaterOneOnlyTheNewest() async throws {
        let rig = try await Rig()
        let all = try await rig.serverCalls()
        await rig.server.clearRecordedRequests()
        let (progress, error) = await rig.sync()
        #expect(error == nil && progress.isComplete)
        let ids = try mirroredIDs(rig)
        #expect(ids == all.map(\.id), "every call once, newest first")
        let firstPages = await rig.callPages().count
        #expect(firstPages == (all.count + 99) / 100, "one request per page of 100")

        // A call is logged; the next sync reads only the top (calls of the last 7 days again).
        let logged = try await rig.log(notes: "Mentioned the Zanzibar offsite")
        await rig.server.clearRecordedRequests()
        let (again, error2) = await rig.sync()
        #expect(error2 == nil && again.mirrored == all.count + 1)
        #expect(try mirroredIDs(rig).first == logged.id)
        let pages = await rig.callPages()
        #expect(pages.count <= 2, "\(pages.count) pages read for one new call")
        #expect(pages.allSatisfy { ($0.query ?? "").contains("user_id=") })
        let found = try rig.store.mirrorWindow(CallHistoryQuery(userID: rig.userID, text: "zanzibar"), workspaceKey: "sandbox",
                                               offset: 0, limit: 10, anchorID: nil)
        #expect(found.calls.map(\.id) == [logged.id])
        await rig.close()
    }

    @Test func aSyncCutShortResumesAfterARestartWithoutDuplicates() async throws {
        let rig = try await Rig()
        let all = try await rig.serverCalls()
        let (cut, error) = await rig.sync(failAfter: 3)
        #expect(error != nil && !cut.isComplete)
        #expect(cut.mirrored == 300, "what was read before the server went away is kept")
        await rig.server.clearRecordedRequests()
        let (resumed, error2) = await rig.sync()
        #expect(error2 == nil && resumed.isComplete && resumed.mirrored == all.count)
        #expect(try mirroredIDs(rig) == all.map(\.id))
        // Resumed from the oldest call held: the top page once, then the older pages only.
        let pages = await rig.callPages()
        #expect(pages.count <= (all.count - 300 + 99) / 100 + 2, "\(pages.count) pages")
        #expect(pages.dropFirst().allSatisfy { ($0.query ?? "").contains("start_date_to=") || ($0.query ?? "").contains("page") })
        await rig.close()
    }

    @Test func theServerDownMidSyncLosesNothingAndTheNextSyncFinishes() async throws {
        let rig = try await Rig()
        let all = try await rig.serverCalls()
        // A first sync that completes, then calls arrive and the server fails while the newest are read.
        _ = await rig.sync()
        var logged: [String] = []
        for i in 0..<150 {
            let c = try await rig.log(duration: i)
            logged.append(c.id)
        }
        let (cut, error) = await rig.sync(failAfter: 1)
        #expect(error != nil && cut.mirrored == all.count + 100)
        let (done, error2) = await rig.sync()
        #expect(error2 == nil && done.mirrored == all.count + 150)
        let ids = try mirroredIDs(rig)
        #expect(Set(ids).count == ids.count && Set(logged).isSubset(of: Set(ids)))
        await rig.close()
    }

    @Test func theSyncKeepsToItsShareOfTheRequestBudget() async throws {
        let rig = try await Rig()
        let all = try await rig.serverCalls()
        await rig.server.clearRecordedRequests()
        // A share of 3 requests per 0.5 s (the real one: 250 a minute); the whole history is 9+ pages.
        let (progress, error) = await rig.sync(pacer: SyncPacer(limit: 3, window: 0.5))
        #expect(error == nil && progress.mirrored == all.count)
        let arrivals = await rig.callPages().map(\.receivedAt.timeIntervalSince1970).sorted()
        var busiest = 0
        for (i, t) in arrivals.enumerated() { busiest = max(busiest, arrivals[i...].prefix { $0 < t + 0.5 }.count) }
        #expect(arrivals.count >= 9 && busiest <= 3, "at most 3 requests in any 0.5 s at the server; saw \(busiest)")
        await rig.close()
    }
}
