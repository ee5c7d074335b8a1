import AmplemarketAPI
import AmplemarketModels
import Foundation
import Testing

/// The client against a server that is not ours: odd but documented-compatible behaviour (403 as a rejected
/// key that is never echoed, HTML error pages, vendor media types, nulls, encoded and repeated `next` hrefs,
/// path prefixes, error pointers, redirects not followed).
@Suite struct HandMadeServerTests {
    @Test func sendsAuthorizationContentTypeAcceptAndUserAgent() async throws {
        try await withServer({ _ in Reply(body: #"{"name":"Acme"}"#) }) { server in
            let info = try await withClient(testConfiguration(server.baseURL())) { try await $0.accountInfo() }
            #expect(info.workspaceName == "Acme")
            let seen = try #require(await server.requests().first)
            #expect(seen.method == "GET")
            #expect(seen.target == "/account-info")
            #expect(seen.headers["authorization"] == "Bearer \(testAPIKey)")
            #expect(seen.headers["content-type"] == "application/json")
            #expect(seen.headers["accept"] == "application/json")
            #expect(seen.headers["user-agent"] == "dispo/test")
        }
    }

    /// A 403 that explains itself is a refusal in the server's words, not a rejected key; the key is
    /// never echoed and a 403 is not retried.
    @Test func forbiddenWithADetailIsARefusalInTheServersWords() async throws {
        try await withServer({ _ in
            Reply(status: 403, body: #"{"_errors":[{"code":"forbidden","detail":"key \#(testAPIKey) has no access to calls\u001b[2J"}]}"#)
        }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.listCalls(CallListQuery()) }
            }
            let failure = try #require(f)
            #expect(failure.kind == .forbidden)
            #expect(failure.status == 403)
            #expect(failure.message == "Amplemarket refused: key [redacted] has no access to calls [2J")
            #expect(!failure.description.contains(testAPIKey))
            #expect(await server.requests().count == 1) // 403 is not retried
        }
    }

    /// A 403 that does not explain itself (no body, or the `unauthorized` code) is a rejected key.
    @Test(arguments: ["", #"{"_errors":[{"code":"unauthorized","detail":"Invalid API key"}]}"#, #"{"_errors":[{"code":"forbidden"}]}"#])
    func forbiddenWithoutAnExplanationIsARejectedKey(_ body: String) async throws {
        try await withServer({ _ in Reply(status: 403, body: body) }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.accountInfo() }
            }
            #expect(f?.kind == .unauthorized)
            #expect(f?.message == "The API key was rejected")
        }
    }

    @Test func unauthorizedStatus401() async throws {
        try await withServer({ _ in Reply(status: 401, body: #"{"_errors":[{"code":"unauthorized"}]}"#) }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.listUsers(UserListQuery()) }
            }
            #expect(f?.kind == .unauthorized)
            #expect(f?.entries.first?.code == "unauthorized")
        }
    }

    @Test func htmlErrorPageBecomesAClearMessageWithTheStatus() async throws {
        let html = "<html><head><title>500 Internal Server Error</title></head><body><h1>Oops</h1>\u{1b}[31m</body></html>"
        try await withServer({ _ in Reply(status: 500, contentType: "text/html", body: html) }) { server in
            let f = try await withClient(testConfiguration(server.baseURL(), retry: .none)) { client in
                await caught { try await client.listCalls(CallListQuery()) }
            }
            let failure = try #require(f)
            #expect(failure.kind == .server)
            #expect(failure.status == 500)
            #expect(failure.message.contains("500"))
            #expect(!failure.message.contains("<"))
            #expect(!failure.message.contains("\u{1b}"))
            #expect(failure.entries.isEmpty)
        }
    }

    @Test func vendorMediaTypeExtraFieldsAndNullsEverywhere() async throws {
        let body = """
        {"calls":[
          \(callJSON("c-1", extra: #""surprise":{"deep":[1,2,3]},"direction":"outgoing","transcript":[{"speaker":"rep","text":"hi"}]"#)),
          {"id":"c-2","from":null,"to":null,"duration":null,"answered":null,"human":null,"transcription":null,
           "notes":null,"recording_url":null,"disposition_id":null,"task_id":null,"user_id":null,"external":null,
           "contact":null,"start_date":null},
          {"id":"c-3","contact":{"id":null,"name":null,"email":null},"duration":"17","answered":1},
          {"from":"+1 555 0000","note":"no id: skipped"}
        ],
        "_links":{"self":{"href":"/calls"},"next":null,"prev":null},
        "object":"list","meta":{"total":null}}
        """
        try await withServer({ _ in Reply(contentType: "application/vnd.amp+json; charset=utf-8", body: body) }) { server in
            let page = try await withClient(testConfiguration(server.baseURL())) { try await $0.listCalls(CallListQuery()) }
            #expect(page.items.map(\.id) == ["c-1", "c-2", "c-3"])
            #expect(page.next == nil)
            #expect(page.prev == nil)
            #expect(page.selfHref == "/calls")
            #expect(page.items[0].duration == 42)
            #expect(page.items[0].direction == "outgoing")
            #expect(page.items[0].transcript?.first?.text == "hi")
            #expect(page.items[1].contact == nil)
            #expect(page.items[1].from == nil)
            #expect(page.items[1].startDate == nil)
            #expect(page.items[2].duration == 17)
            #expect(page.items[2].answered == true)
            #expect(page.items[2].contact?.name == nil)
        }
    }

    @Test func anyContentTypeOn2xxIsParsedAsJSON() async throws {
        try await withServer({ _ in Reply(contentType: "text/plain", body: #"{"dispositions":[{"id":"d1","name":"Busy","slug":"busy","action":"next_stage"}]}"#) }) { server in
            let list = try await withClient(testConfiguration(server.baseURL())) { try await $0.dispositions() }
            #expect(list.map(\.id) == ["d1"])
            #expect(list.first?.action == .nextStage)
        }
    }

    @Test func nonJSON2xxIsBadResponse() async throws {
        try await withServer({ _ in Reply(contentType: "text/html", body: "<html>hello</html>") }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.listUsers(UserListQuery()) }
            }
            #expect(f?.kind == .badResponse)
            #expect(f?.status == 200)
        }
    }

    @Test func percentEncodedAndRawBracketHrefsAreFollowedWithoutDoubleEncoding() async throws {
        // Page 1 links with percent-encoded brackets, page 2 with raw brackets, page 3 is the last.
        try await withServer({ req in
            if req.target.contains("page%5Bafter%5D=u2") {
                return Reply(body: #"{"users":[\#(userJSON("u3"))],"_links":{"self":{"href":"/users?page[after]=u2"}}}"#)
            }
            if req.target.contains("page%5Bafter%5D=u1") {
                return Reply(body: #"{"users":[\#(userJSON("u2"))],"_links":{"next":{"href":"/users?page[size]=1&page[after]=u2"}}}"#)
            }
            return Reply(body: #"{"users":[\#(userJSON("u1"))],"_links":{"next":{"href":"/users?page%5Bsize%5D=1&page%5Bafter%5D=u1"}}}"#)
        }) { server in
            let users = try await withClient(testConfiguration(server.baseURL())) { try await $0.allUsers(UserListQuery(pageSize: 1)) }
            #expect(users.map(\.id) == ["u1", "u2", "u3"])
            let targets = await server.requests().map(\.target)
            #expect(targets == ["/users?page%5Bsize%5D=1",
                                "/users?page%5Bsize%5D=1&page%5Bafter%5D=u1",
                                "/users?page%5Bsize%5D=1&page%5Bafter%5D=u2"])
            #expect(!targets.contains(where: { $0.contains("%25") || $0.contains("[") }))
        }
    }

    @Test func repeatedNextHrefStopsInsteadOfLooping() async throws {
        // Page 2 points back at page 1 (raw brackets there, encoded here: the same href).
        try await withServer({ req in
            if req.target.contains("after") {
                return Reply(body: #"{"users":[\#(userJSON("u2"))],"_links":{"next":{"href":"/users?page%5Bsize%5D=1"}}}"#)
            }
            return Reply(body: #"{"users":[\#(userJSON("u1"))],"_links":{"next":{"href":"/users?page[size]=1&page[after]=u1"}}}"#)
        }) { server in
            let users = try await withClient(testConfiguration(server.baseURL())) { try await $0.allUsers(UserListQuery(pageSize: 1)) }
            #expect(users.map(\.id) == ["u1", "u2"])
            #expect(await server.requests().count == 2)
        }
    }

    @Test func nextHrefEqualToTheFetchedPageIsDropped() async throws {
        try await withServer({ _ in
            Reply(body: #"{"tasks":[{"id":"t1","type":"phone_call","status":"scheduled"}],"_links":{"next":{"href":"/tasks?user_id=u1&page[size]=5"}}}"#)
        }) { server in
            let page = try await withClient(testConfiguration(server.baseURL())) {
                try await $0.listTasks(TaskListQuery(userID: "u1", pageSize: 5))
            }
            #expect(page.items.map(\.id) == ["t1"])
            #expect(page.next == nil)
            #expect(await server.requests().first?.target == "/tasks?user_id=u1&page%5Bsize%5D=5")
        }
    }

    @Test func baseURLWithPathPrefix() async throws {
        // The first next href is relative to the base URL (no prefix), the second already carries it.
        try await withServer({ req in
            if req.target.contains("after%5D=c2") {
                return Reply(body: #"{"calls":[\#(callJSON("c3"))],"_links":{}}"#)
            }
            if req.target.contains("after%5D=c1") {
                return Reply(body: #"{"calls":[\#(callJSON("c2"))],"_links":{"next":{"href":"/amp/v1/calls?page[after]=c2"}}}"#)
            }
            return Reply(body: #"{"calls":[\#(callJSON("c1"))],"_links":{"next":{"href":"/calls?page[after]=c1"}}}"#)
        }) { server in
            let ids = try await withClient(testConfiguration(server.baseURL(prefix: "/amp/v1/"))) { client in
                var page = try await client.listCalls(CallListQuery(userID: "u 1"))
                var ids = page.items.map(\.id)
                while let next = page.next {
                    page = try await client.calls(at: next)
                    ids += page.items.map(\.id)
                }
                return ids
            }
            #expect(ids == ["c1", "c2", "c3"])
            let targets = await server.requests().map(\.target)
            #expect(targets == ["/amp/v1/calls?user_id=u%201", "/amp/v1/calls?page%5Bafter%5D=c1", "/amp/v1/calls?page%5Bafter%5D=c2"])
        }
    }

    @Test func absoluteHrefToAnotherHostIsNotFollowed() async throws {
        try await withServer({ _ in
            Reply(body: #"{"calls":[],"_links":{"next":{"href":"https://evil.example.com/calls?page[after]=x"}}}"#)
        }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                let page = try await client.listCalls(CallListQuery())
                return await caught { try await client.calls(at: try #require(page.next)) }
            }
            #expect(f?.kind == .badResponse)
            #expect(await server.requests().count == 1)
        }
    }

    @Test func absoluteHrefOnTheSameOriginIsFollowed() async throws {
        let box = PortBox()
        try await withServer({ req in
            if req.target.contains("after") { return Reply(body: #"{"calls":[\#(callJSON("c2"))]}"#) }
            return Reply(body: #"{"calls":[\#(callJSON("c1"))],"_links":{"next":{"href":"http://127.0.0.1:\#(box.port)/calls?page[after]=c1"}}}"#)
        }) { server in
            box.port = server.port
            let ids = try await withClient(testConfiguration(server.baseURL())) { client in
                let first = try await client.listCalls(CallListQuery())
                let second = try await client.calls(at: try #require(first.next))
                return (first.items + second.items).map(\.id)
            }
            #expect(ids == ["c1", "c2"])
        }
    }

    @Test func logCallPostsTheBodyAndDecodesTheCreatedCall() async throws {
        try await withServer({ req in
            Reply(status: 201, body: callJSON("new-1"))
        }) { server in
            let request = LogCallRequest(from: "+1 555 0100", to: "+1 555 0199", duration: 95, answered: true, human: false,
                                         taskID: "t-1", userID: "u-1", dispositionID: "d-1", notes: "called back")
            let call = try await withClient(testConfiguration(server.baseURL())) { try await $0.logCall(request) }
            #expect(call.id == "new-1")
            let seen = try #require(await server.requests().first)
            #expect(seen.method == "POST")
            #expect(seen.target == "/calls")
            let sent = try JSONSerialization.jsonObject(with: seen.body) as? [String: Any]
            #expect(sent?["duration"] as? Int == 95)
            #expect(sent?["task_id"] as? String == "t-1")
            #expect(sent?["user_id"] as? String == "u-1")
            #expect(sent?["disposition_id"] as? String == "d-1")
            #expect(sent?["human"] as? Bool == false)
            #expect(sent?["notes"] as? String == "called back")
            #expect(sent?["transcription"] == nil)
        }
    }

    @Test func validationErrorPointersBecomeFieldErrors() async throws {
        let body = """
        {"_errors":[{"status":"422","code":"missing_field","title":"Missing field","detail":"to is required","source":{"pointer":"/to"}},
                    {"code":"unsupported_value","detail":"duration must be ≥ 0","source":{"pointer":"/duration"},"extra":1}],
         "object":"error"}
        """
        try await withServer({ _ in Reply(status: 422, body: body) }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught {
                    try await client.logCall(LogCallRequest(from: "1", to: "", duration: -1, answered: false, human: false,
                                                            taskID: "t", userID: "u"))
                }
            }
            let failure = try #require(f)
            #expect(failure.kind == .validation)
            #expect(failure.status == 422)
            #expect(failure.fieldErrors == ["to": "to is required", "duration": "duration must be ≥ 0"])
            #expect(failure.entries.first?.source?.pointer == "/to")
            #expect(await server.requests().count == 1)
        }
    }

    @Test func notFoundWithABodyPointerIsValidationButWithIdIsNotFound() async throws {
        try await withServer({ req in
            if req.method == "POST" {
                return Reply(status: 404, body: #"{"_errors":[{"code":"not_found","detail":"Task not found","source":{"pointer":"/task_id"}}]}"#)
            }
            return Reply(status: 404, body: #"{"_errors":[{"code":"not_found","title":"Not Found","detail":"Call not found","source":{"pointer":"/id"}}],"object":"error"}"#)
        }) { server in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dispo-nf-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let (post, get) = try await withClient(testConfiguration(server.baseURL())) { client in
                let post = await caught {
                    try await client.logCall(LogCallRequest(from: "1", to: "2", duration: 1, answered: true, human: true,
                                                            taskID: "missing", userID: "u"))
                }
                let get = await caught { try await client.downloadRecording(callID: "nope", to: dir.appendingPathComponent("r.mp3").path) }
                return (post, get)
            }
            #expect(post?.kind == .validation)
            #expect(post?.fieldErrors["task_id"] == "Task not found")
            #expect(get?.kind == .notFound)
            #expect(get?.message == "Call not found")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        }
    }

    @Test func completeAndSkipTaskPostToTheirPaths() async throws {
        try await withServer({ _ in Reply(contentType: nil, body: "") }) { server in
            try await withClient(testConfiguration(server.baseURL())) { client in
                try await client.completeTask(id: "t 1", setLeadToCompleted: true)
                try await client.completeTask(id: "t2", setLeadToCompleted: false)
                try await client.skipTask(id: "t3")
            }
            let seen = await server.requests()
            #expect(seen.map(\.method) == ["POST", "POST", "POST"])
            #expect(seen.map(\.target) == ["/tasks/t%201/complete", "/tasks/t2/complete", "/tasks/t3/skip"])
            #expect(seen[0].bodyText == #"{"set_lead_to_completed":true}"#)
            #expect(seen[1].bodyText == "{}")
        }
    }

    @Test func ineligibleTaskIsValidation() async throws {
        try await withServer({ _ in
            Reply(status: 422, body: #"{"_errors":[{"code":"unsupported_value","detail":"Task is automatic"}]}"#)
        }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.completeTask(id: "t1", setLeadToCompleted: false) }
            }
            #expect(f?.kind == .validation)
            #expect(f?.message == "Task is automatic")
        }
    }

    @Test func redirectsAreNotFollowed() async throws {
        try await withServer({ _ in
            Reply(status: 301, contentType: nil, headers: [("Location", "https://elsewhere.example.com/calls")], body: "")
        }) { server in
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.listCalls(CallListQuery()) }
            }
            #expect(f?.kind == .other)
            #expect(f?.status == 301)
            #expect(await server.requests().count == 1)
        }
    }

    @Test func tooLargeRecording() async throws {
        try await withServer({ _ in
            Reply(status: 413, body: #"{"_errors":[{"code":"content_too_large","detail":"Recording too large"}]}"#)
        }) { server in
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("dispo-413-\(UUID().uuidString).mp3").path
            let f = try await withClient(testConfiguration(server.baseURL())) { client in
                await caught { try await client.downloadRecording(callID: "c1", to: path) }
            }
            #expect(f?.kind == .tooLarge)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}

/// A port learnt after the server started, read by its handler.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _port = 0
    var port: Int {
        get { lock.withLock { _port } }
        set { lock.withLock { _port = newValue } }
    }
}
