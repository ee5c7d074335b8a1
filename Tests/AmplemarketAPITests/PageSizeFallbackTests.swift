import AmplemarketAPI
import AmplemarketModels
import Foundation
import Testing

/// The client against a server that refuses large page sizes: a 400 naming `page[size]` makes it ask again
/// with a smaller size (100 → 50 → 20 → none), remembered per endpoint; other 400s are thrown as they came.
@Suite struct PageSizeFallbackTests {
    /// The `page[size]` a seen request asked for (brackets raw or percent-encoded); nil when none.
    static func size(_ r: SeenRequest) -> Int? {
        let query = r.target.drop(while: { $0 != "?" }).dropFirst()
        for item in query.split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1)
            let name = parts[0].replacingOccurrences(of: "%5B", with: "[", options: .caseInsensitive)
                .replacingOccurrences(of: "%5D", with: "]", options: .caseInsensitive)
            if name == "page[size]", parts.count == 2 { return Int(parts[1]) }
        }
        return nil
    }

    static let refusal = Reply(status: 400, body: """
        {"_errors":[{"code":"unsupported_value","title":"Unsupported value","detail":"is not supported",
         "source":{"parameter":"page[size]"}}]}
        """)

    static func callsPage(_ id: String) -> Reply {
        Reply(body: #"{"calls":[\#(callJSON(id))],"_links":{"self":{"href":"/calls"},"next":null}}"#)
    }

    /// Answers a page when the size asked is absent or at most `max` (nil: only when absent), else the refusal.
    static func server(max: Int?) -> @Sendable (SeenRequest) async -> Reply {
        { r in
            guard let asked = size(r) else { return callsPage("c-none") }
            if let max, asked <= max { return callsPage("c-\(asked)") }
            return refusal
        }
    }

    @Test func refused100IsAskedAgainWith50() async throws {
        try await withServer(Self.server(max: 50)) { server in
            let page = try await withClient(testConfiguration(server.baseURL())) {
                try await $0.listCalls(CallListQuery(pageSize: 100))
            }
            #expect(page.items.map(\.id) == ["c-50"])
            #expect(await server.requests().map(Self.size) == [100, 50])
        }
    }

    @Test func everySizeRefusedEndsWithoutPageSize() async throws {
        try await withServer(Self.server(max: nil)) { server in
            let page = try await withClient(testConfiguration(server.baseURL())) {
                try await $0.listCalls(CallListQuery(pageSize: 100))
            }
            #expect(page.items.map(\.id) == ["c-none"])
            #expect(await server.requests().map(Self.size) == [100, 50, 20, nil])
        }
    }

    @Test func learntSizeIsReusedForTheSameEndpoint() async throws {
        try await withServer(Self.server(max: 50)) { server in
            try await withClient(testConfiguration(server.baseURL())) { client in
                _ = try await client.listCalls(CallListQuery(pageSize: 100))
                let again = try await client.listCalls(CallListQuery(pageSize: 100))
                #expect(again.items.map(\.id) == ["c-50"])
            }
            #expect(await server.requests().map(Self.size) == [100, 50, 50])
        }
    }

    @Test func a400AboutAnotherParameterIsThrownUnchanged() async throws {
        try await withServer({ _ in
            Reply(status: 400, body: """
                {"_errors":[{"code":"unsupported_value","detail":"is not a valid date",
                 "source":{"parameter":"start_date_from"}}]}
                """)
        }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.listCalls(CallListQuery(pageSize: 100)) }
            }
            let failure = try #require(f)
            #expect(failure.status == 400)
            #expect(failure.entries.first?.source?.parameter == "start_date_from")
            #expect(await server.requests().map(Self.size) == [100])
        }
    }

    /// A 404 naming `page[size]` is not a refused value: thrown as it came.
    @Test func a404NamingPageSizeIsNotSteppedDown() async throws {
        try await withServer({ _ in
            Reply(status: 404, body: #"{"_errors":[{"code":"not_found","source":{"parameter":"page[size]"}}]}"#)
        }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.listCalls(CallListQuery(pageSize: 100)) }
            }
            #expect(f?.status == 404)
            #expect(await server.requests().map(Self.size) == [100])
        }
    }
}
