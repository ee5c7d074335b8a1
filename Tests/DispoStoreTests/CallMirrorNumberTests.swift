import AmplemarketModels
import Foundation
import GRDB
import Testing
@testable import DispoStore

/// Calls found by a number in any spelling or by a run of its digits: the index holds every run of digits
/// ending a digit form of the call's numbers; a number query is its digits as one prefix; a mirror kept
/// before that is indexed again once, newest first, in batches, keeping the rest of its text.
@Suite("Call mirror: numbers by their digits") struct CallMirrorNumberTests {
    let store: DispoStore
    init() throws { store = try DispoStore.inMemory() }

    /// Digit forms as the app gives them (E.164 digits, national significant number, national format digits).
    static let us = ["14155550142", "4155550142"]
    static let pt = ["351912345678", "912345678"]
    static let gb = ["442079460958", "2079460958", "02079460958"]

    static func call(_ id: String, to: String, minutesAgo: Int, notes: String? = nil) -> Call {
        Call(id: id, from: "+351 210 000 000", to: to, notes: notes, userID: "u-1",
             contact: Contact(id: "k-" + id, name: "Contact " + id, email: nil),
             startDate: Date(timeIntervalSince1970: 1_764_432_000 - Double(60 * minutesAgo)))
    }

    func found(_ text: String) throws -> [String] {
        try store.mirrorWindow(CallHistoryQuery(userID: "u-1", text: text), workspaceKey: "w", offset: 0, limit: 50,
                               anchorID: nil).calls.map(\.id)
    }

    func mirrorSpellings() throws {
        try store.mirror([
            MirroredCall(call: Self.call("us", to: "+14155550142", minutesAgo: 1), numberForms: Self.us),
            MirroredCall(call: Self.call("other", to: "+14155550199", minutesAgo: 2), numberForms: ["14155550199", "4155550199"]),
            MirroredCall(call: Self.call("pt", to: "+351912345678", minutesAgo: 3), numberForms: Self.pt),
            MirroredCall(call: Self.call("gb", to: "+442079460958", minutesAgo: 4), numberForms: Self.gb),
        ], workspaceKey: "w", userID: "u-1")
    }

    @Test func everySpellingOfANumberFindsItsCallAndNoOther() throws {
        try mirrorSpellings()
        for typed in ["(415) 555-0142", "4155550142", "415-555-0142", "+1 415 555 0142", "0014155550142",
                      "+14155550142", "415.555.0142", "5550142", "０１４２"] {
            #expect(try found(typed) == ["us"], "\(typed)")
        }
        for typed in ["912 345 678", "+351 912 345 678", "00351912345678", "345 678"] {
            #expect(try found(typed) == ["pt"], "\(typed)")
        }
        #expect(try found("020 7946 0958") == ["gb"], "the national format's trunk 0 is one of its forms")
        #expect(try found("(415) 555-0199") == ["other"])
        #expect(try found("415 555 01") == ["us", "other"], "a run shared by two numbers finds both")
        #expect(try found("4155550143").isEmpty)
        #expect(try found("000 0000 000").isEmpty, "the From number +351 210 000 000 holds no ten zeros")
    }

    @Test func textQueriesStaySearchedAsWords() throws {
        try mirrorSpellings()
        try store.mirror([MirroredCall(call: Self.call("n", to: "+14155550100", minutesAgo: 5, notes: "room 42 at noon"),
                                       numberForms: ["14155550100", "4155550100"])], workspaceKey: "w", userID: "u-1")
        #expect(try found("contact pt") == ["pt"])
        #expect(try found("42") == ["gb", "n"],
                "two digits are text, word starts: gb's number word 42079460958 and the note's 42, not the 42 ending +14155550142")
        #expect(try found("noon 555") == ["n"], "digits beside a word are a word start, here of a number word")
    }

    @Test func theMatchIsTheQueryDigitsAsOnePrefix() {
        #expect(DispoStore.ftsMatch("(415) 555-0142") == "\"4155550142\"*")
        #expect(DispoStore.ftsMatch("0014155550142") == "\"14155550142\"*")
        #expect(DispoStore.ftsMatch("42") == "\"42\"*")
        #expect(DispoStore.ftsMatch("ana 555") == "\"ana\"* \"555\"*")
    }

    /// A row as a mirror before number words held it: the old search text (numbers as stored and their
    /// digits, the local note in the extra text), no number words.
    func keepOldShaped(_ calls: [Call], notes: [String: String] = [:]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try store.write { db in
            for c in calls {
                let old = [c.contact?.name, c.to, c.from, c.to.map(PhoneDigits.digits(of:)), c.from.map(PhoneDigits.digits(of:)),
                           c.notes, notes[c.id]].compactMap { $0 }.joined(separator: "\n")
                try db.execute(sql: """
                    INSERT INTO call_mirror (sort_key, workspace_key, user_id, call_id, start_at, json, search_text)
                    VALUES (?, 'w', 'u-1', ?, ?, ?, ?)
                    """, arguments: [DispoStore.sortKeyFloor(c.startDate!), c.id, c.startDate!.timeIntervalSince1970,
                                     try encoder.encode(c), old])
            }
            try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?)",
                           arguments: [DispoStore.numberWordsOwedKey, String(Int64.max)])
        }
    }

    @Test func anOldMirrorIsIndexedAgainOnceInBatchesKeepingItsText() throws {
        let calls = (0..<25).map { i in Self.call("c\(i)", to: "(415) 555-01\(10 + i)", minutesAgo: i) }
        try keepOldShaped(calls, notes: ["c7": "kept only here"])
        #expect(try store.mirrorOwesNumberWords())
        #expect(try found("5550117").isEmpty, "old text: the national digits are one word")

        var asked: [String] = []
        let n = try store.indexMirrorNumbers(batch: 10) { to, _ in asked.append(to!); return ["1" + PhoneDigits.digits(of: to!)] }
        #expect(n == 25)
        #expect(asked == calls.map { $0.to! }, "newest first, each once")
        #expect(try !store.mirrorOwesNumberWords())
        #expect(try found("5550117") == ["c7"])
        #expect(try found("+1 415 555 0117") == ["c7"])
        #expect(try found("kept only") == ["c7"], "the local note in the old text is kept")
        #expect(try store.mirrorSummary(workspaceKey: "w", userID: "u-1").count == 25)
        // Done: a second run has nothing to do.
        #expect(try store.indexMirrorNumbers(batch: 10) { _, _ in Issue.record("asked again"); return [] } == 0)
    }

    @Test func anInterruptedReindexGoesOnWhereItStopped() throws {
        let calls = (0..<6).map { i in Self.call("c\(i)", to: "+1 415 555 01\(10 + i)", minutesAgo: i) }
        try keepOldShaped(calls)
        // The store refuses writes once the first batch of 2 is read.
        var seen = 0
        #expect(throws: StoreError.self) {
            try store.indexMirrorNumbers(batch: 2) { to, _ in
                seen += 1
                if seen == 2 { store.injectedWriteFailure = StoreError.diskFull(path: "test") }
                return [PhoneDigits.digits(of: to!)]
            }
        }
        store.injectedWriteFailure = nil
        #expect(try found("5550110") == ["c0"], "the first batch was kept")
        #expect(try found("5550112").isEmpty, "the refused batch was not")
        var again: [String] = []
        try store.indexMirrorNumbers(batch: 2) { to, _ in again.append(to!); return [PhoneDigits.digits(of: to!)] }
        #expect(again == calls[2...].map { $0.to! })
        #expect(try calls.allSatisfy { try found(String(PhoneDigits.digits(of: $0.to!).suffix(7))) == [$0.id] })
    }

    @Test func aCopyThatIsNotJSONKeepsItsTextAndTheRestIsIndexed() throws {
        try keepOldShaped([Self.call("ok", to: "+1 415 555 0142", minutesAgo: 1)])
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO call_mirror (sort_key, workspace_key, user_id, call_id, json, search_text)
                VALUES (1, 'w', 'u-1', 'bad', X'00FF', 'garbled')
                """)
        }
        #expect(try store.indexMirrorNumbers { to, _ in [PhoneDigits.digits(of: to!)] } == 1)
        #expect(try found("5550142") == ["ok"])
        let text = try store.read { db in try String.fetchOne(db, sql: "SELECT search_text FROM call_mirror WHERE call_id = 'bad'") }
        #expect(text == "garbled")
    }

    @Test func aFreshMirrorOwesNothing() throws {
        try mirrorSpellings()
        #expect(try !store.mirrorOwesNumberWords())
    }
}
