import AmplemarketAPI
import AmplemarketModels
import Foundation
import Testing
@testable import DispoApp

/// A page size a server refused is kept in the state directory, so the next run asks that endpoint for
/// no more than it accepted (and does not learn it again from another refusal).
@Suite struct LearntPageSizesTests {
    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "dispo-page-sizes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func session(_ server: FakeAmplemarket, home: String) throws -> Session {
        try Session(environment: [
            "AMPLEMARKET_API_KEY": "test-key-1234", "AMPLEMARKET_BASE_URL": server.baseURL,
            "XDG_STATE_HOME": home, "XDG_CONFIG_HOME": home + "/config", "HOME": home,
        ])
    }

    /// The `page[size]` of each `GET /calls` the server saw (nil: none asked).
    static func sizesAsked(_ server: FakeAmplemarket) -> [Int?] {
        server.arrivals.filter { $0.path == "/calls" }.map { arrival in
            let items = URLComponents(string: "/?" + arrival.query)?.queryItems ?? []
            return items.first(where: { $0.name == "page[size]" })?.value.flatMap { Int($0) }
        }
    }

    @Test func aRefusedSizeIsRememberedForTheNextRun() async throws {
        let server = try FakeAmplemarket()
        defer { server.stop() }
        server.maxPageSize = 50
        let home = try Self.tempDir()

        let first = try Self.session(server, home: home)
        _ = try await first.client.listCalls(CallListQuery(pageSize: 100))
        await first.client.shutdown()
        #expect(Self.sizesAsked(server) == [100, 50])

        let second = try Self.session(server, home: home)
        #expect(second.client.configuration.pageSizeLimits == ["/calls": .size(50)])
        _ = try await second.client.listCalls(CallListQuery(pageSize: 100))
        await second.client.shutdown()
        #expect(Self.sizesAsked(server) == [100, 50, 50])
        let attributes = try FileManager.default.attributesOfItem(atPath: home + "/dispo/page-sizes.json")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func eachServerKeepsItsOwnSizesAndABrokenFileReadsAsNothingLearnt() throws {
        let home = try Self.tempDir()
        let a = LearntPageSizes(stateDirectory: home, workspace: "https://a.example")
        let b = LearntPageSizes(stateDirectory: home, workspace: "https://b.example")
        a.record(endpoint: "/calls", limit: .size(20))
        b.record(endpoint: "/users", limit: .none)
        #expect(a.load() == ["/calls": .size(20)])
        #expect(b.load() == ["/users": .none])

        try Data("not json".utf8).write(to: URL(fileURLWithPath: a.path))
        #expect(a.load().isEmpty)
        a.record(endpoint: "/calls", limit: .size(50))
        #expect(a.load() == ["/calls": .size(50)])
    }
}
