import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import DispoViewModel
import Foundation
import GRDB
import Testing
@testable import DispoApp
@testable import DispoStore

/// What the rep is told when the local store is damaged, unusable or full (disk read-only or
/// full, corrupt store file), and that nothing is sent that was not first stored.
@Suite("Store failures surface to the rep", .serialized)
struct StoreFailureTests {
    /// A session against `server` with its state under `stateHome`.
    static func session(_ server: SandboxServer, stateHome: String) throws -> Session {
        try Session(environment: [
            "AMPLEMARKET_API_KEY": SandboxConfiguration.defaultAPIKey, "AMPLEMARKET_BASE_URL": server.baseURL,
            "XDG_STATE_HOME": stateHome, "XDG_CONFIG_HOME": stateHome + "/config", "HOME": stateHome,
        ])
    }

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "dispo-store-failure-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aCorruptStoreFileIsMovedAsideAndTheRepIsTold() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        let home = try Self.tempDir()
        try FileManager.default.createDirectory(atPath: home + "/dispo", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: home + "/dispo/dispo.sqlite",
                                               contents: Data(String(repeating: "not sqlite ", count: 500).utf8)))
        let session = try Self.session(server, stateHome: home)
        let store = session.openStore()
        #expect(session.notices.count == 1)
        #expect(session.notices.first?.contains("was damaged") == true, "\(session.notices)")
        try store.saveDraft(key: "k", json: Data("{}".utf8), updatedAt: Date())  // the fresh store works
        await session.client.shutdown()
        await server.shutdown()
    }

    @Test func anUnusableStoreFallsBackToMemoryAndSaysLogsWillNotSurvive() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        let home = try Self.tempDir()
        // A file where the store's directory should be: nothing can be created there (even as root).
        #expect(FileManager.default.createFile(atPath: home + "/dispo", contents: Data("x".utf8)))
        let session = try Self.session(server, stateHome: home)
        let store = session.openStore()
        #expect(store.path == ":memory:")
        #expect(session.notices.contains { $0.contains("will NOT survive a restart") }, "\(session.notices)")
        await session.client.shutdown()
        await server.shutdown()
    }

    @Test func aFullDiskOnSubmitGivesTheFormBackAndSendsNothing() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        let home = try Self.tempDir()
        let store = try DispoStore.open(path: home + "/dispo.sqlite").store
        // A full disk: SQLite may not grow the file past its current size.
        try await store.writer.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        let client = try AmplemarketClient(configuration: ClientConfiguration(baseURL: server.baseURL, apiKey: SandboxConfiguration.defaultAPIKey))
        let inbox = OutboxSenderTests.Inbox()
        let runtime = AppRuntime(client: client, store: store, workspaceKey: "test", post: { [inbox] in inbox.append($0) })
        let ws = server.workspace
        let task = await ws.tasks(userID: ws.primaryUserID).first { $0.type == "phone_call" }!
        let request = LogCallRequest(from: "+1 555 0100", to: "+1 555 0199", duration: 42, answered: true, human: true,
                                     taskID: task.id, userID: ws.primaryUserID,
                                     notes: String(repeating: "long notes ", count: 30_000))
        runtime.perform(.submitLog(localID: "full", request: request, summary: "full"))
        try await OutboxSenderTests.eventually("the failure reported") {
            inbox.all.contains { if case .logFailed("full", _) = $0 { true } else { false } }
        }
        let failure = inbox.all.compactMap { if case .logFailed(_, let f) = $0 { f } else { nil } }.first
        #expect(failure?.kind == .configuration)
        #expect(failure?.message.contains("Could not save the log locally") == true, "\(String(describing: failure))")
        #expect(failure?.message.contains("full") == true, "says the disk is full: \(String(describing: failure))")
        #expect(try store.outboxEntry(localID: "full") == nil)
        #expect(await server.recordedRequests().filter { $0.method == "POST" }.isEmpty, "nothing sent that was not stored")
        await runtime.shutdown()
        await client.shutdown()
        await server.shutdown()
    }
}
