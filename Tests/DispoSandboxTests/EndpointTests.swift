import DispoSandbox
import Foundation
import Testing

@Suite struct EndpointTests {
    @Test func authIsRequiredOnEveryAPIEndpoint() async throws {
        try await withSandbox { server in
            for path in ["/calls", "/calls/dispositions", "/users", "/account-info", "/tasks?user_id=x"] {
                let missing = try await send(server, .GET, path, key: nil)
                #expect(missing.status == 401)
                #expect(missing.firstError["code"] as? String == "unauthorized")
                #expect(missing.firstError["status"] as? String == "401")
                #expect(missing.object["object"] as? String == "error")
                let wrong = try await send(server, .GET, path, key: "not-the-key")
                #expect(wrong.status == 401)
            }
            let ok = try await send(server, .GET, "/account-info")
            #expect(ok.status == 200)
            #expect(ok.object["name"] as? String != nil)
            #expect(ok.headers.first(name: "content-type") == "application/json")
        }
    }

    @Test func unknownRoutesAnswerJSON404() async throws {
        try await withSandbox { server in
            let answer = try await send(server, .GET, "/nope")
            #expect(answer.status == 404)
            #expect(answer.firstError["code"] as? String == "not_found")
        }
    }

    @Test func callsPageThroughEveryCallFollowingNextLinks() async throws {
        try await withSandbox { server in
            let expected = await server.workspace.calls().map(\.id)
            var ids: [String] = []
            var href: String? = "/calls?page[size]=100"
            var pages = 0
            while let current = href {
                let answer = try await send(server, .GET, current)
                #expect(answer.status == 200)
                let calls = answer.object["calls"] as? [[String: Any]] ?? []
                ids += calls.compactMap { $0["id"] as? String }
                let links = answer.object["_links"] as? [String: Any] ?? [:]
                #expect(links["self"] != nil)
                if pages == 0 { #expect(links["prev"] == nil, "first page has no prev") } else { #expect(links["prev"] != nil) }
                #expect(!(links["next"] is NSNull), "next is absent, never null")
                href = (links["next"] as? [String: Any])?["href"] as? String
                pages += 1
                if pages > 100 { break }
            }
            #expect(ids == expected)
            #expect(pages == (expected.count + 99) / 100)
        }
    }

    @Test func pagingLinksCarryFiltersAndAcceptEncodedBrackets() async throws {
        try await withSandbox { server in
            let userID = server.workspace.primaryUserID
            let userCalls = await server.workspace.calls(userID: userID)
            let first = try await send(server, .GET, "/calls?page%5Bsize%5D=5&user_id=\(userID)")
            #expect(first.status == 200)
            let calls = first.object["calls"] as? [[String: Any]] ?? []
            #expect(calls.compactMap { $0["id"] as? String } == userCalls.prefix(5).map(\.id))
            let links = first.object["_links"] as? [String: Any] ?? [:]
            let next = (links["next"] as? [String: Any])?["href"] as? String ?? ""
            #expect(next == "/calls?page[size]=5&page[after]=\(userCalls[4].id)&user_id=\(userID)")
            let second = try await send(server, .GET, next)
            let secondIDs = (second.object["calls"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(secondIDs == userCalls[5..<10].map(\.id))
            let prev = ((second.object["_links"] as? [String: Any])?["prev"] as? [String: Any])?["href"] as? String ?? ""
            #expect(prev.contains("page[before]=\(userCalls[5].id)"))
            let back = try await send(server, .GET, prev)
            #expect((back.object["calls"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } == userCalls.prefix(5).map(\.id))
            #expect((back.object["_links"] as? [String: Any])?["prev"] == nil)
        }
    }

    @Test func pageSizeOutsideOneToHundredIsRejected() async throws {
        try await withSandbox { server in
            for size in ["0", "101", "abc"] {
                let answer = try await send(server, .GET, "/calls?page[size]=\(size)")
                #expect(answer.status == 400)
                #expect(answer.firstError["code"] as? String == "unsupported_value")
                #expect((answer.firstError["source"] as? [String: Any])?["parameter"] as? String == "page[size]")
            }
            let ok = try await send(server, .GET, "/users?page[size]=100")
            #expect(ok.status == 200)
        }
    }

    @Test func callFiltersNarrowTheList() async throws {
        try await withSandbox { server in
            let from = "2025-09-01T00:00:00Z", to = "2025-09-08T00:00:00Z"
            let answer = try await send(server, .GET, "/calls?page[size]=100&start_date_from=\(from)&start_date_to=\(to)")
            let dates = (answer.object["calls"] as? [[String: Any]] ?? []).compactMap { $0["start_date"] as? String }
            #expect(!dates.isEmpty)
            #expect(dates.allSatisfy { $0 >= from && $0 <= to && $0.hasSuffix("Z") && $0.count == 20 })
            // Numbers match whatever the spelling: +1 415 555 0142 vs 14155550142.
            let byNumber = try await send(server, .GET, "/calls?to=%2B14155550142")
            let tos = (byNumber.object["calls"] as? [[String: Any]] ?? []).compactMap { $0["to"] as? String }
            #expect(!tos.isEmpty)
            // Stored as the client sent them: international, national ("(415) 555-0142"), `001 …`.
            #expect(tos.allSatisfy { $0.filter(\.isNumber).hasSuffix("4155550142") }, "\(tos)")
            let bad = try await send(server, .GET, "/calls?start_date_from=yesterday")
            #expect(bad.status == 400)
        }
    }

    @Test func tasksRequireUserIDAndFilter() async throws {
        try await withSandbox { server in
            let missing = try await send(server, .GET, "/tasks")
            #expect(missing.status == 400)
            #expect(missing.firstError["code"] as? String == "missing_field")
            #expect((missing.firstError["source"] as? [String: Any])?["parameter"] as? String == "user_id")

            let userID = server.workspace.primaryUserID
            let answer = try await send(server, .GET,
                                        "/tasks?user_id=\(userID)&type=phone_call&status=scheduled&automatic=false&page[size]=100")
            let tasks = answer.object["tasks"] as? [[String: Any]] ?? []
            #expect(tasks.count >= 20)
            #expect(tasks.allSatisfy {
                $0["type"] as? String == "phone_call" && $0["status"] as? String == "scheduled"
                    && $0["automatic"] as? Bool == false && $0["user_id"] as? String == userID
            })
            let keyword = try await send(server, .GET, "/tasks?user_id=\(userID)&keyword=ramirez")
            let contacts = (keyword.object["tasks"] as? [[String: Any]] ?? []).compactMap { ($0["contact"] as? [String: Any])?["name"] as? String }
            #expect(contacts.contains("José Ramírez"))
        }
    }

    @Test func dispositionsAndUsersHaveTheirShapes() async throws {
        try await withSandbox { server in
            let d = try await send(server, .GET, "/calls/dispositions")
            let list = d.object["dispositions"] as? [[String: Any]] ?? []
            #expect(list.compactMap { $0["slug"] as? String }.first == "no_answer")
            #expect(list.count == 6)
            let u = try await send(server, .GET, "/users?role=admin")
            let users = u.object["users"] as? [[String: Any]] ?? []
            #expect(users.count == 1)
            #expect((users.first?["mailboxes"] as? [[String: Any]])?.isEmpty == false)
        }
    }

    @Test func mediaTypeAndExtraFieldsAreConfigurable() async throws {
        let configuration = SandboxConfiguration(now: fixedNow, mediaType: "application/vnd.amp+json", extraFields: true)
        try await withSandbox(configuration) { server in
            let answer = try await send(server, .GET, "/calls?page[size]=1")
            #expect(answer.headers.first(name: "content-type") == "application/vnd.amp+json")
            let call = (answer.object["calls"] as? [[String: Any]])?.first ?? [:]
            #expect(call["x_sandbox_note"] != nil)
            #expect(call["direction"] as? String == "outgoing")
        }
    }
}
