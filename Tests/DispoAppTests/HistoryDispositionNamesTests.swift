import AmplemarketModels
import DispoStore
import Foundation
import Testing
@testable import DispoApp

/// Calls are found by their disposition's name, which the mirror learns from `GET /calls/dispositions`:
/// a name first seen after its calls were mirrored, or a disposition renamed in Amplemarket, is put into
/// the search index of those calls; names already indexed cost nothing, also after a restart.
@Suite("History: disposition names in the index")
struct HistoryDispositionNamesTests {
    let store: DispoStore
    let user = "u-1"

    init() throws {
        let dir = NSTemporaryDirectory() + "dispo-names-\(UUID().uuidString.prefix(8))"
        store = try DispoStore.open(path: dir + "/dispo.sqlite").store
    }

    func disposition(_ name: String) -> Disposition {
        Disposition(id: "d-hot", name: name, slug: nil, action: .nextStage)
    }

    /// Ids of the rep's mirrored calls found by `text`, newest first.
    func found(_ text: String) throws -> [String] {
        try store.mirrorWindow(CallHistoryQuery(userID: user, text: text), workspaceKey: "ws", offset: 0, limit: 50,
                               anchorID: nil, counting: true).calls.map(\.id)
    }

    @Test func aNameLearntLaterOrChangedIsIndexedAndOnlyThen() async throws {
        let mirror = HistoryMirror(options: HistoryOptions(), store: store, workspaceKey: "ws")
        let start = Date(timeIntervalSince1970: 1_760_000_000)
        let calls = (0..<30).map { i in
            Call(id: "c\(i)", to: "+1 415 555 01\(10 + i)", notes: "call \(i)",
                 dispositionID: i % 3 == 0 ? "d-hot" : nil, userID: user, startDate: start.addingTimeInterval(Double(-i * 60)))
        }
        // Mirrored before the dispositions arrived: not found by the name yet.
        try store.mirror(mirror.enrich(calls), workspaceKey: "ws", userID: user)
        #expect(try found("scorching").isEmpty)

        let first = try #require(mirror.learnDispositions([disposition("Scorching lead")]))
        #expect(await first.value == 10)
        #expect(try found("scorching") == calls.filter { $0.dispositionID == "d-hot" }.map(\.id))

        // The same names again (here or after a restart): nothing to do.
        #expect(mirror.learnDispositions([disposition("Scorching lead")]) == nil)
        let restarted = HistoryMirror(options: HistoryOptions(), store: store, workspaceKey: "ws")
        #expect(restarted.learnDispositions([disposition("Scorching lead")]) == nil)

        // Renamed in Amplemarket: found by the new name, no longer by the old.
        let renamed = try #require(restarted.learnDispositions([disposition("Lukewarm lead")]))
        #expect(await renamed.value == 10)
        #expect(try found("lukewarm").count == 10)
        #expect(try found("scorching").isEmpty)
        #expect(try found("call").count == 30, "the other calls are left as they were")
    }

    @Test func forgetAlsoForgetsWhichNamesWereIndexed() async throws {
        let mirror = HistoryMirror(options: HistoryOptions(), store: store, workspaceKey: "ws")
        let call = Call(id: "c1", notes: "hello", dispositionID: "d-hot", userID: user, startDate: Date())
        try store.mirror(mirror.enrich([call]), workspaceKey: "ws", userID: user)
        #expect(await mirror.learnDispositions([disposition("Scorching lead")])?.value == 1)
        _ = try LocalHistory.forget(store: store, workspaceKey: "ws")
        #expect(try store.value(forKey: HistoryMirror.indexedNamesPrefix + "ws") == nil)
        // Mirrored again after forget: the name is indexed again.
        let again = HistoryMirror(options: HistoryOptions(), store: store, workspaceKey: "ws")
        try store.mirror(again.enrich([call]), workspaceKey: "ws", userID: user)
        #expect(try found("scorching").isEmpty)
        let task = try #require(again.learnDispositions([disposition("Scorching lead")]))
        #expect(await task.value == 1)
        #expect(try found("scorching") == ["c1"])
    }
}
