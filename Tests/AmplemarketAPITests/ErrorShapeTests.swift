import AmplemarketAPI
import AmplemarketModels
import Foundation
import Testing

/// Error bodies in shapes other than the documented `_errors` list — JSON:API's `errors`, `error`,
/// `message`, a line of plain text — are read for their explanation: a 403 that explains itself in any
/// of them is a refusal in the server's words, and a refused `page[size]` in any of them is stepped down.
@Suite struct ErrorShapeTests {
    static let explained: [(contentType: String, body: String)] = [
        ("application/json", #"{"message":"Your plan does not include the Calls API"}"#),
        ("application/json", #"{"errors":[{"title":"Your plan does not include the Calls API","status":403}]}"#),
        ("application/json", #"{"errors":["Your plan does not include the Calls API"]}"#),
        ("application/json", #"{"error":"Your plan does not include the Calls API"}"#),
        ("application/json", #"{"error":{"code":"forbidden","message":"Your plan does not include the Calls API"}}"#),
        ("text/plain; charset=utf-8", "\nYour plan does not include the Calls API\n"),
    ]

    @Test(arguments: 0..<explained.count)
    func aForbiddenThatExplainsItselfInAnotherShapeIsARefusal(_ index: Int) async throws {
        let (type, body) = Self.explained[index]
        try await withServer({ _ in Reply(status: 403, contentType: type, body: body) }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.listCalls(CallListQuery()) }
            }
            let failure = try #require(f)
            #expect(failure.kind == .forbidden)
            #expect(failure.message == "Amplemarket refused: Your plan does not include the Calls API")
        }
    }

    /// Nothing the rep can act on: still a rejected key.
    @Test(arguments: [("text/html", "<html><body><h1>403 Forbidden</h1></body></html>"), ("text/plain", " \n"),
                      ("application/json", #"{"status":403}"#), ("application/json", "[]")])
    func aForbiddenWithoutWordsStaysARejectedKey(_ reply: (String, String)) async throws {
        try await withServer({ _ in Reply(status: 403, contentType: reply.0, body: reply.1) }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.listCalls(CallListQuery()) }
            }
            #expect(f?.kind == .unauthorized)
            #expect(f?.message == "The API key was rejected")
        }
    }

    /// Plain text from the server is data: control characters never reach the message.
    @Test func plainTextIsCleaned() async throws {
        try await withServer({ _ in Reply(status: 403, contentType: "text/plain", body: "no access\u{1b}[2J for \(testAPIKey)") }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.listCalls(CallListQuery()) }
            }
            #expect(f?.message == "Amplemarket refused: no access [2J for [redacted]")
        }
    }

    static let pageSizeRefusals: [(status: Int, contentType: String, body: String)] = [
        (400, "application/json", #"{"errors":[{"title":"page[size] must be at most 50"}]}"#),
        (400, "application/json", #"{"message":"page[size] must be at most 50"}"#),
        (400, "text/plain", "page[size] must be at most 50"),
        (422, "application/json", #"{"_errors":[{"code":"unsupported_value","source":{"parameter":"page[size]"}}]}"#),
        (422, "application/json", #"{"errors":[{"detail":"page[size] must be at most 50"}]}"#),
    ]

    @Test(arguments: 0..<pageSizeRefusals.count)
    func aPageSizeRefusalInAnyShapeIsSteppedDown(_ index: Int) async throws {
        let refusal = Self.pageSizeRefusals[index]
        try await withServer({ r in
            guard let asked = PageSizeFallbackTests.size(r), asked > 50 else { return PageSizeFallbackTests.callsPage("c-ok") }
            return Reply(status: refusal.status, contentType: refusal.contentType, body: refusal.body)
        }) { server in
            let page = try await withClient(testConfiguration(server.baseURL())) {
                try await $0.listCalls(CallListQuery(pageSize: 100))
            }
            #expect(page.items.map(\.id) == ["c-ok"])
            #expect(await server.requests().map(PageSizeFallbackTests.size) == [100, 50])
        }
    }

    /// A JSON body in an unknown shape is not called "not JSON".
    @Test func anUnknownJSONShapeSaysOnlyWhatIsKnown() async throws {
        try await withServer({ _ in Reply(status: 400, body: #"{"oops":true}"#) }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.listCalls(CallListQuery()) }
            }
            #expect(f?.message == "The server answered HTTP 400 Bad Request with a body that is not an API error")
            #expect(f?.description == "The server answered HTTP 400 Bad Request with a body that is not an API error",
                    "the status said once")
        }
    }

    /// A message that does not name the status gets it once, in brackets.
    @Test func theStatusIsAddedOnceWhenTheMessageLacksIt() async throws {
        try await withServer({ _ in Reply(status: 401, body: "") }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.listCalls(CallListQuery()) }
            }
            #expect(f?.description == "The API key was rejected (HTTP 401)")
        }
    }
}
