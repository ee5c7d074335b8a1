import AmplemarketModels
import DispoViewModel
import Foundation
import GRDB
import Testing
@testable import DispoApp
@testable import DispoStore

/// The mirror finds a call by its number in any spelling a rep in Portugal types (libphonenumber's digit
/// forms, as `enrich` gives them), and a mirror kept before the index held them is indexed again once
/// when it is opened by this version.
@Suite("History: numbers in any spelling")
struct HistoryNumberSearchTests {
    let dir = NSTemporaryDirectory() + "dispo-numbers-\(UUID().uuidString.prefix(8))"
    let user = "u-1"

    func found(_ store: DispoStore, _ typed: String) throws -> [String] {
        try store.mirrorWindow(CallHistoryQuery(userID: user, text: callSearchText(typed, defaultRegion: "PT")),
                               workspaceKey: "ws", offset: 0, limit: 50, anchorID: nil).calls.map(\.id)
    }

    static let calls = [
        Call(id: "us", from: "+351210000000", to: "+14155550142", notes: "asked for pricing", userID: "u-1",
             startDate: Date(timeIntervalSince1970: 1_760_000_000)),
        Call(id: "other", from: "+351210000000", to: "+14155550199", userID: "u-1", startDate: Date(timeIntervalSince1970: 1_759_999_000)),
        Call(id: "pt", from: "+351210000000", to: "+351912345678", userID: "u-1", startDate: Date(timeIntervalSince1970: 1_759_998_000)),
        // Kept in a national spelling that Portugal does not read: found by its digits as stored.
        Call(id: "usn", from: "+351210000000", to: "(415) 555-0142", userID: "u-1", startDate: Date(timeIntervalSince1970: 1_759_997_000)),
    ]

    static let spellingsOfUS = ["(415) 555-0142", "4155550142", "415-555-0142", "+1 415 555 0142", "0014155550142", "5550142"]

    @Test func everySpellingFindsTheCallAndADifferentNumberDoesNot() throws {
        let store = try DispoStore.open(path: dir + "/dispo.sqlite").store
        let mirror = HistoryMirror(options: HistoryOptions(defaultRegion: "PT"), store: store, workspaceKey: "ws")
        try store.mirror(mirror.enrich(Self.calls), workspaceKey: "ws", userID: user)
        for typed in Self.spellingsOfUS { #expect(try found(store, typed) == ["us", "usn"], "\(typed)") }
        #expect(try found(store, "912 345 678") == ["pt"])
        #expect(try found(store, "+351 912 345 678") == ["pt"])
        #expect(try found(store, "(415) 555-0199") == ["other"])
        #expect(try found(store, "pricing") == ["us"])
        #expect(try !store.mirrorOwesNumberWords(), "a mirror made by this version owes nothing")
    }

    @Test func aMirrorFromBeforeIsIndexedAgainOnceAndLosesNothing() throws {
        let path = dir + "/dispo.sqlite"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // A store as the version before number words left it: migrated up to the call mirror, the calls'
        // text as it then was (numbers as stored and as digits, the local note in the extra text).
        do {
            let queue = try DatabaseQueue(path: path)
            try DispoStore.makeMigrator().migrate(queue, upTo: "v4: call mirror")
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try queue.write { db in
                for (i, c) in Self.calls.enumerated() {
                    let text = [c.to!, c.from!, PhoneDigits.digits(of: c.to!), PhoneDigits.digits(of: c.from!), c.notes,
                                c.id == "pt" ? "only in the journal" : nil].compactMap { $0 }.joined(separator: "\n")
                    try db.execute(sql: """
                        INSERT INTO call_mirror (sort_key, workspace_key, user_id, call_id, start_at, json, search_text)
                        VALUES (?, 'ws', ?, ?, ?, ?, ?)
                        """, arguments: [DispoStore.sortKeyFloor(c.startDate!) + Int64(i), user, c.id,
                                         c.startDate!.timeIntervalSince1970, try encoder.encode(c), text])
                }
            }
            try queue.close()
        }
        let store = try DispoStore.open(path: path).store
        #expect(try store.mirrorOwesNumberWords())
        #expect(try found(store, "(415) 555-0142") == ["usn"], "the old index holds the national digits only as stored")

        #expect(try LocalHistory.indexNumbers(store: store, defaultRegion: "PT") == 4)
        for typed in Self.spellingsOfUS { #expect(try found(store, typed) == ["us", "usn"], "\(typed)") }
        #expect(try found(store, "912 345 678") == ["pt"])
        #expect(try found(store, "journal") == ["pt"], "the old text is kept")
        #expect(try found(store, "pricing") == ["us"])
        #expect(try LocalHistory.indexNumbers(store: store, defaultRegion: "PT") == 0, "once")
        // Reopened: the migration does not mark it again.
        try store.close()
        let reopened = try DispoStore.open(path: path).store
        #expect(try !reopened.mirrorOwesNumberWords())
    }
}
