import AmplemarketModels
import Foundation
import Testing
@testable import AmplemarketAPI

/// Server strings with bytes that are not UTF-8 (a name or a note written by an old system in Latin-1)
/// keep the rest of the answer: each bad sequence reads as U+FFFD, the replacement character, and
/// nothing around it is dropped.
@Suite struct InvalidUTF8Tests {
    /// `text` as UTF-8 with every `¤` replaced by the raw byte `byte` (not valid UTF-8 on its own).
    static func bytes(_ text: String, byte: UInt8 = 0xEB) -> Data {
        Data(text.utf8.split(separator: 0xC2, omittingEmptySubsequences: false).map(Array.init)
            .enumerated().flatMap { i, part in i == 0 ? part : [byte] + part.dropFirst() })
    }

    @Test func aListPageWithALatin1NameAndNoteKeepsEveryCall() async throws {
        let page = Self.bytes("""
            {"calls":[
              {"id":"c-1","notes":"Zo¤ said call back","contact":{"id":"p-1","name":"Zo¤ Fern¤ndez","email":null}},
              {"id":"c-2","notes":"fine","contact":null}
            ],"_links":{"self":{"href":"/calls"}}}
            """)
        try await withServer({ _ in Reply(contentType: "application/json", bytes: page) }) { server in
            let listed = try await withClient(testConfiguration(server.baseURL())) { try await $0.listCalls(CallListQuery()) }
            #expect(listed.items.map(\.id) == ["c-1", "c-2"])
            #expect(listed.items.first?.contact?.name == "Zo\u{FFFD} Fern\u{FFFD}ndez")
            #expect(listed.items.first?.notes == "Zo\u{FFFD} said call back")
        }
    }

    @Test func aSingleObjectAnswerIsReadToo() async throws {
        try await withServer({ _ in Reply(contentType: "application/json", bytes: Self.bytes(#"{"name":"Caf¤ Ltd"}"#, byte: 0xE9)) }) { server in
            let info = try await withClient(testConfiguration(server.baseURL())) { try await $0.accountInfo() }
            #expect(info.workspaceName == "Caf\u{FFFD} Ltd")
        }
    }

    @Test func anErrorBodyWithBadBytesKeepsItsDetail() {
        let body = Self.bytes(#"{"_errors":[{"code":"unsupported_value","detail":"Jos¤ is not a valid name"}]}"#, byte: 0xE9)
        let f = FailureMapping.failure(status: 422, headers: [:], body: .init(data: body), apiKey: "k")
        #expect(f.message == "Jos\u{FFFD} is not a valid name")
    }

    @Test func validUTF8IsLeftAsItIs() {
        let text = Data(#"{"name":"Zoë 🙂 \u00e9"}"#.utf8)
        #expect(APIJSON.repairingUTF8(text) == text)
        #expect(APIJSON.repairingUTF8(Data([0x22, 0xFF, 0xFE, 0x22])) == Data("\"\u{FFFD}\u{FFFD}\"".utf8))
        // A sequence cut short (the lead byte of a 3-byte character, then a quote) is one replacement.
        #expect(APIJSON.repairingUTF8(Data([0x22, 0xE2, 0x82, 0x22])) == Data("\"\u{FFFD}\"".utf8))
    }
}
