import AmplemarketModels
import Foundation
import GRDB
import Testing
@testable import DispoStore

/// The mirror of a rep's calls: upserts (a call is held once however pages overlap), full-text search
/// (accents, case, prefixes, numbers in any spelling, typed text that looks like query syntax), filters
/// with true totals, windows and anchors, tallies, deletion, and workspaces and reps kept apart.
@Suite("Call mirror") struct CallMirrorTests {
    static let t0 = Date(timeIntervalSince1970: 1_764_432_000)  // 2025-11-29T16:00Z

    static func call(_ i: Int, notes: String? = nil, to: String? = nil, name: String? = nil, answered: Bool = true,
                     human: Bool = true, disposition: String? = nil, minutesAgo: Int? = nil) -> Call {
        Call(id: "c\(i)", from: "+1 650 555 0100", to: to ?? "+1 212 555 \(1000 + i)", duration: 60 + i, answered: answered,
             human: human, notes: notes, dispositionID: disposition, userID: "u-1",
             contact: Contact(id: "k\(i)", name: name ?? "Contact \(i)", email: "contact\(i)@example.com"),
             startDate: t0.addingTimeInterval(Double(-60 * (minutesAgo ?? i))))
    }

    static func store() throws -> DispoStore { try DispoStore.inMemory() }

    func ids(_ store: DispoStore, _ q: CallHistoryQuery, ws: String = "w", limit: Int = 1_000) throws -> [String] {
        try store.mirrorWindow(q, workspaceKey: ws, offset: 0, limit: limit, anchorID: nil).calls.map(\.id)
    }

    @Test func overlappingPagesAndReReadsNeverDuplicate() throws {
        let store = try Self.store()
        let first = (0..<100).map { MirroredCall(call: Self.call($0)) }
        #expect(try store.mirror(first, workspaceKey: "w", userID: "u-1") == MirrorWrite(inserted: 100, updated: 0, unchanged: 0))
        // The next page overlaps the first by 20 calls (new calls arrived on top meanwhile).
        let second = (80..<180).map { MirroredCall(call: Self.call($0)) }
        #expect(try store.mirror(second, workspaceKey: "w", userID: "u-1") == MirrorWrite(inserted: 80, updated: 0, unchanged: 20))
        // A re-read brings c5's transcription: updated, and its words are found.
        var c5 = Self.call(5)
        c5.transcription = "We spoke about the Kilimanjaro rollout."
        #expect(try store.mirror([MirroredCall(call: c5)], workspaceKey: "w", userID: "u-1").updated == 1)
        let all = try ids(store, CallHistoryQuery(userID: "u-1"))
        #expect(all.count == 180 && Set(all).count == 180)
        #expect(all == (0..<180).map { "c\($0)" }, "newest first")
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "kilimanjaro")) == ["c5"])
        // A re-read that moves a call's start re-keys it in place.
        #expect(try store.mirror([MirroredCall(call: Self.call(150, minutesAgo: -5))], workspaceKey: "w", userID: "u-1").updated == 1)
        #expect(try ids(store, CallHistoryQuery(userID: "u-1")).first == "c150")
        #expect(try store.mirrorSummary(workspaceKey: "w", userID: "u-1").count == 180)
        #expect(try store.knownCallIDs(["c1", "c179", "nope"], workspaceKey: "w", userID: "u-1") == ["c1", "c179"])
    }

    @Test func searchIgnoresAccentsAndCaseAndMatchesWordStarts() throws {
        let store = try Self.store()
        try store.mirror([
            MirroredCall(call: Self.call(1, notes: "Zoë Müller in São Paulo wants pricing")),
            MirroredCall(call: Self.call(2, notes: "Not interested, call in Q3", name: "Łukasz Øster")),
            MirroredCall(call: Self.call(3, notes: "interesting: budget approved"), extraSearchText: "Interested"),
            MirroredCall(call: Self.call(4, notes: "東京 office, 佐藤さん")),
        ], workspaceKey: "w", userID: "u-1")
        for typed in ["zoe", "ZOË", "muller", "sao paulo", "São", "PRICING"] {
            #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: typed)) == ["c1"], "\(typed)")
        }
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "interes")) == ["c2", "c3"])
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "interested")) == ["c2", "c3"], "c3 by its disposition name")
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "oster")) == ["c2"])
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "東京")) == ["c4"])
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "contact3@example")) == ["c3"])
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "pricing budget")).isEmpty, "every word must occur")
    }

    @Test func numbersAreFoundInAnySpelling() throws {
        let store = try Self.store()
        try store.mirror([
            MirroredCall(call: Self.call(1, to: "(415) 555-0142"), extraSearchText: "+14155550142"),
            MirroredCall(call: Self.call(2, to: "+44 20 7946 0000")),
        ], workspaceKey: "w", userID: "u-1")
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "415 555")) == ["c1"])
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "4155550142")) == ["c1"], "by the digits form")
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "+14155550142")) == ["c1"], "by its E.164 form")
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "7946")) == ["c2"])
    }

    @Test func typedQuerySyntaxIsSearchedAsTextAndNeverThrows() throws {
        let store = try Self.store()
        try store.mirror([MirroredCall(call: Self.call(1, notes: "said \"NEAR\" and AND OR NOT - col: x*y"))],
                         workspaceKey: "w", userID: "u-1")
        for typed in ["\"", "'", "AND", "NEAR(", "*", "-x", "col:", "\"unclosed", "a OR", "(", ")", "^", "::", "NOT", "{x}"] {
            #expect(throws: Never.self) { _ = try ids(store, CallHistoryQuery(userID: "u-1", text: typed)) }
        }
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "NEAR(")) == ["c1"])
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "\"and\" or")) == ["c1"])
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "***")).count == 1, "no words: every call")
    }

    @Test func anEmojiOrSymbolTypedIsFoundAsItIs() throws {
        let store = try Self.store()
        try store.mirror([
            MirroredCall(call: Self.call(1, name: "🚀 Rocket Ramos")),
            MirroredCall(call: Self.call(2, notes: "Webinar follow-up 🎤, rated ★★★")),
            MirroredCall(call: Self.call(3, notes: "Rocket science, no emoji")),
        ], workspaceKey: "w", userID: "u-1")
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "🚀")) == ["c1"], "not every call")
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "🚀 rocket")) == ["c1"], "the symbol and the word")
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "rocket")) == ["c1", "c3"])
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "★★")) == ["c2"])
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "🎤 webinar")) == ["c2"])
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "🦄")).isEmpty)
        #expect(try store.mirrorCount(CallHistoryQuery(userID: "u-1", text: "🚀"), workspaceKey: "w") == 1)
        #expect(DispoStore.symbolRuns("🎤🇵🇹 a ★ - ~") == ["🎤🇵🇹", "★"], "ASCII punctuation is left out")
    }

    @Test func filtersCombineWithTextAndCountsAreTrue() throws {
        let store = try Self.store()
        let calls = (0..<300).map { i in
            MirroredCall(call: Self.call(i, notes: i % 3 == 0 ? "demo booked" : "left message", answered: i % 2 == 0,
                                         human: i % 4 == 0, disposition: i % 5 == 0 ? "d-int" : (i % 5 == 1 ? "" : nil)))
        }
        try store.mirror(calls, workspaceKey: "w", userID: "u-1")
        func total(_ q: CallHistoryQuery) throws -> Int {
            let counted = try store.mirrorWindow(q, workspaceKey: "w", offset: 0, limit: 5, anchorID: nil).total
            #expect(try store.mirrorWindow(q, workspaceKey: "w", offset: 0, limit: 5, anchorID: nil, counting: false).total == nil)
            #expect(try store.mirrorCount(q, workspaceKey: "w") == counted)
            return counted ?? -1
        }
        #expect(try total(CallHistoryQuery(userID: "u-1")) == 300)
        #expect(try total(CallHistoryQuery(userID: "u-1", answered: true)) == 150)
        #expect(try total(CallHistoryQuery(userID: "u-1", answered: false)) == 150)
        #expect(try total(CallHistoryQuery(userID: "u-1", human: true)) == 75)
        #expect(try total(CallHistoryQuery(userID: "u-1", human: false)) == 75)
        #expect(try total(CallHistoryQuery(userID: "u-1", disposition: .id("d-int"))) == 60)
        #expect(try total(CallHistoryQuery(userID: "u-1", disposition: .none)) == 240)
        #expect(try total(CallHistoryQuery(userID: "u-1", text: "demo")) == 100)
        #expect(try total(CallHistoryQuery(userID: "u-1", text: "demo", human: true)) == 25)  // i % 12 == 0
        // The last hour: calls 0…59 (a minute apart), since inclusive, until exclusive.
        #expect(try total(CallHistoryQuery(userID: "u-1", since: Self.t0.addingTimeInterval(-3_540))) == 60)
        #expect(try total(CallHistoryQuery(userID: "u-1", since: Self.t0.addingTimeInterval(-3_540),
                                           until: Self.t0.addingTimeInterval(-60))) == 58)  // 2…59
    }

    @Test func windowsAtOffsetsAndAroundAnAnchor() throws {
        let store = try Self.store()
        try store.mirror((0..<1_000).map { MirroredCall(call: Self.call($0)) }, workspaceKey: "w", userID: "u-1")
        let w = try store.mirrorWindow(CallHistoryQuery(userID: "u-1"), workspaceKey: "w", offset: 500, limit: 10, anchorID: nil)
        #expect(w.offset == 500 && w.total == 1_000 && w.calls.map(\.id) == (500..<510).map { "c\($0)" })
        let a = try store.mirrorWindow(CallHistoryQuery(userID: "u-1"), workspaceKey: "w", offset: 0, limit: 10, anchorID: "c700")
        #expect(a.anchorRow == 700 && a.offset == 695 && a.calls.map(\.id).contains("c700"))
        // An anchor the query does not show: no row, the window as asked.
        let b = try store.mirrorWindow(CallHistoryQuery(userID: "u-1", text: "contact 3"), workspaceKey: "w", offset: 0, limit: 10,
                                       anchorID: "c700")
        #expect(b.anchorRow == nil && b.offset == 0)
        // Past the end: no rows, the true total.
        let end = try store.mirrorWindow(CallHistoryQuery(userID: "u-1"), workspaceKey: "w", offset: 5_000, limit: 10, anchorID: nil)
        #expect(end.calls.isEmpty && end.total == 1_000)
    }

    @Test func callsStartingInTheSameMillisecondKeepTheirOrderOfArrival() throws {
        let store = try Self.store()
        let same = (0..<5).map { i in MirroredCall(call: Call(id: "s\(i)", userID: "u-1", startDate: Self.t0)) }
        try store.mirror(same + [MirroredCall(call: Call(id: "nodate", userID: "u-1"))], workspaceKey: "w", userID: "u-1")
        #expect(try ids(store, CallHistoryQuery(userID: "u-1")) == ["s4", "s3", "s2", "s1", "s0", "nodate"])
    }

    @Test func workspacesAndRepsAreKeptApartAndForgetDeletesOnlyTheMirror() throws {
        let store = try Self.store()
        try store.mirror([MirroredCall(call: Self.call(1, notes: "alpha"))], workspaceKey: "w1", userID: "u-1")
        try store.mirror([MirroredCall(call: Self.call(1, notes: "beta"))], workspaceKey: "w2", userID: "u-1")
        try store.mirror([MirroredCall(call: Self.call(2, notes: "alpha"))], workspaceKey: "w1", userID: "u-2")
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "alpha"), ws: "w1") == ["c1"])
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "alpha"), ws: "w2").isEmpty)
        #expect(try ids(store, CallHistoryQuery(userID: "u-2", text: "alpha"), ws: "w1") == ["c2"])
        try store.setValue("kept", forKey: "user:w1")
        #expect(try store.forgetMirror(workspaceKey: "w1") == 2)
        #expect(try ids(store, CallHistoryQuery(userID: "u-1"), ws: "w1").isEmpty)
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "beta"), ws: "w2") == ["c1"], "the index of another workspace stays")
        #expect(try store.value(forKey: "user:w1") == "kept")
        #expect(try store.forgetMirror(workspaceKey: nil) == 1)
        #expect(try store.mirrorSummary(workspaceKey: "w2", userID: "u-1").count == 0)
        // Nothing left in the index either.
        #expect(try ids(store, CallHistoryQuery(userID: "u-1", text: "beta"), ws: "w2").isEmpty)
    }

    @Test func talliesCoverADateRangeFromTheColumns() throws {
        let store = try Self.store()
        try store.mirror((0..<120).map { MirroredCall(call: Self.call($0, answered: $0 % 2 == 0, disposition: "d\($0 % 3)")) },
                         workspaceKey: "w", userID: "u-1")
        let hour = try store.mirroredTallies(workspaceKey: "w", userID: "u-1", since: Self.t0.addingTimeInterval(-3_599))
        #expect(hour.count == 60)
        #expect(hour.first?.startDate == Self.t0.addingTimeInterval(-59 * 60), "oldest first")
        #expect(hour.filter { $0.answered == true }.count == 30 && hour.last?.dispositionID == "d0" && hour.last?.duration == 60)
        let between = try store.mirroredTallies(workspaceKey: "w", userID: "u-1", since: Self.t0.addingTimeInterval(-3_599),
                                                until: Self.t0.addingTimeInterval(-1_800))
        #expect(between.count == 29)  // 31…59 minutes ago
    }

    @Test func aRowThatNoLongerDecodesIsSkipped() throws {
        let store = try Self.store()
        try store.mirror((0..<3).map { MirroredCall(call: Self.call($0)) }, workspaceKey: "w", userID: "u-1")
        try store.writer.write { db in try db.execute(sql: "UPDATE call_mirror SET json = x'00ff' WHERE call_id = 'c1'") }
        let w = try store.mirrorWindow(CallHistoryQuery(userID: "u-1"), workspaceKey: "w", offset: 0, limit: 10, anchorID: nil)
        #expect(w.calls.map(\.id) == ["c0", "c2"] && w.total == 3)
    }
}
