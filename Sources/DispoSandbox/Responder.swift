import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Routes every request: admin endpoints under `/_sandbox/`, then faults, auth, rate limit and the
/// Amplemarket endpoints (amplemarket-api.md §1–§6).
struct SandboxResponder: HTTPResponder {
    typealias Context = SandboxRequestContext

    let configuration: SandboxConfiguration
    let workspace: SandboxWorkspace
    let state: SandboxServerState
    let wire: WireEncoder

    init(configuration: SandboxConfiguration, workspace: SandboxWorkspace, state: SandboxServerState) {
        self.configuration = configuration
        self.workspace = workspace
        self.state = state
        self.wire = WireEncoder(extraFields: configuration.extraFields)
    }

    /// A parsed request: method, decoded path segments, query items, body bytes.
    struct Incoming: Sendable {
        var method: String
        var rawPath: String
        var segments: [String]
        var rawQuery: String?
        var query: [QueryItem]
        var body: [UInt8]
        var authorization: String?
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let rawPath = request.uri.path
        let segments = rawPath.split(separator: "/", omittingEmptySubsequences: true).map { Query.percentDecode($0) }
        let isAdmin = segments.first == "_sandbox"
        let arrival = Date()

        var decision = SandboxServerState.Decision()
        if !isAdmin {
            decision = await state.decide(now: arrival)
            if decision.down {
                try? await context.channel.close()
                return Response(status: .serviceUnavailable)
            }
        }
        let bodyBuffer: ByteBuffer
        do {
            bodyBuffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            return errorResponse(APIError(status: 413, code: "content_too_large", title: "Content Too Large",
                                          detail: "The request body is larger than \(context.maxUploadSize) bytes"))
        }
        let incoming = Incoming(method: request.method.rawValue, rawPath: rawPath, segments: segments,
                                rawQuery: request.uri.query, query: Query.parse(request.uri.query),
                                body: Array(bodyBuffer.readableBytesView),
                                authorization: request.headers[.authorization])
        if isAdmin { return await admin(incoming) }

        await state.record(RecordedRequest(method: incoming.method, path: rawPath, query: incoming.rawQuery,
                                           body: incoming.body.isEmpty ? nil
                                               : String(validating: incoming.body, as: UTF8.self),
                                           receivedAt: arrival))
        if decision.latencyMilliseconds > 0 {
            try? await Task.sleep(for: .milliseconds(decision.latencyMilliseconds))
        }
        let response: Response
        if let injected = decision.injected {
            response = errorResponse(injected)
        } else {
            do {
                response = try await api(incoming)
            } catch {
                response = errorResponse(error)
            }
        }
        if decision.dropAfterProcessing {
            try? await context.channel.close()
        }
        return response
    }

    // MARK: Responses

    func json(_ value: JSON, status: Int = 200) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = configuration.mediaType
        return Response(status: .init(code: status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    func errorResponse(_ error: APIError) -> Response {
        var response = json(error.json, status: error.status)
        for (name, value) in error.headers {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }

    // MARK: API

    private func api(_ r: Incoming) async throws(APIError) -> Response {
        // Auth (per Amplemarket API: `Authorization: Bearer <key>`, else 401 unauthorized).
        guard let header = r.authorization else {
            throw APIError.unauthorized("Missing Authorization header; send Authorization: Bearer <API key>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
              parts[1].trimmingCharacters(in: .whitespaces) == configuration.apiKey else {
            throw APIError.unauthorized("The API key is invalid or has been revoked")
        }
        let key = configuration.apiKey
        let now = Date()
        if let wait = await state.admitRequest(key: key, now: now) {
            throw APIError.rateLimited(retryAfter: wait, "Rate limit of \(configuration.requestsPerMinute) requests per minute exceeded")
        }

        let s = r.segments
        switch (r.method, s) {
        case ("GET", ["calls"]): return try await listCalls(r)
        case ("POST", ["calls"]): return try await logCall(r, now: now)
        case ("GET", ["calls", "dispositions"]): return try await listDispositions(r)
        case ("GET", let p) where p.count == 3 && p[0] == "calls" && p[2] == "recording":
            return try await recording(callID: p[1], key: key, now: now)
        case ("GET", ["users"]): return try await listUsers(r)
        case ("GET", ["tasks"]): return try await listTasks(r, now: now)
        case ("POST", let p) where p.count == 3 && p[0] == "tasks" && p[2] == "complete":
            return try await completeTask(p[1], r, now: now)
        case ("POST", let p) where p.count == 3 && p[0] == "tasks" && p[2] == "skip":
            return try await skipTask(p[1], r, now: now)
        case ("GET", ["account-info"]): return await accountInfo()
        default:
            let knownPath = [["calls"], ["calls", "dispositions"], ["users"], ["tasks"], ["account-info"]].contains(s)
                || (s.count == 3 && ((s[0] == "calls" && s[2] == "recording")
                                     || (s[0] == "tasks" && (s[2] == "complete" || s[2] == "skip"))))
            if knownPath {
                throw APIError(status: 405, code: "method_not_allowed", title: "Method Not Allowed",
                               detail: "\(r.method) is not allowed on \(r.rawPath)")
            }
            throw APIError.notFound("No route for \(r.method) \(r.rawPath)")
        }
    }

    private func listCalls(_ r: Incoming) async throws(APIError) -> Response {
        let page = try PageRequest(r.query)
        let known = ["user_id", "from", "to", "start_date_from", "start_date_to"]
        let filters = r.query.filter { known.contains($0.name) }
        func value(_ name: String) -> String? { filters.last(where: { $0.name == name })?.value }
        func date(_ name: String) throws(APIError) -> Date? {
            guard let text = value(name) else { return nil }
            guard let d = WireDate.parse(text) else {
                throw APIError.badParameter(name, "\(name) must be an ISO 8601 date-time (got \"\(text)\")")
            }
            return d
        }
        let userID = value("user_id")
        let fromDigits = value("from").map(PhoneMatch.digits)
        let toDigits = value("to").map(PhoneMatch.digits)
        let rawFrom = value("from"), rawTo = value("to")
        let lower = try date("start_date_from")
        let upper = try date("start_date_to")
        let all = await workspace.calls()
        let result = try Pager.page(all, id: \.id, matches: { c in
            if let userID, c.userID != userID { return false }
            if let rawFrom, c.from != rawFrom, PhoneMatch.digits(c.from) != fromDigits { return false }
            if let rawTo, c.to != rawTo, PhoneMatch.digits(c.to) != toDigits { return false }
            if let lower, c.startDate < lower { return false }
            if let upper, c.startDate > upper { return false }
            return true
        }, request: page, path: "/calls", filters: filters)
        let dispositions = await workspace.dispositions()
        let users = await workspace.users()
        let items = result.items.map { c in
            wire.call(c, disposition: dispositions.first { $0.id == c.dispositionID },
                      userEmail: users.first { $0.id == c.userID }?.email)
        }
        return json(wire.list(key: "calls", items: items, links: result.links))
    }

    private func listDispositions(_ r: Incoming) async throws(APIError) -> Response {
        let page = try PageRequest(r.query)
        let result = try Pager.page(await workspace.dispositions(), id: \.id, matches: { _ in true }, request: page,
                                    path: "/calls/dispositions", filters: [])
        return json(wire.list(key: "dispositions", items: result.items.map(wire.disposition), links: result.links))
    }

    private func listUsers(_ r: Incoming) async throws(APIError) -> Response {
        let page = try PageRequest(r.query)
        let filters = r.query.filter { ["status", "role", "email"].contains($0.name) }
        func value(_ name: String) -> String? { filters.last(where: { $0.name == name })?.value.lowercased() }
        let status = value("status"), role = value("role"), email = value("email")
        let result = try Pager.page(await workspace.users(), id: \.id, matches: { u in
            (status == nil || u.status == status) && (role == nil || u.role == role)
                && (email == nil || u.email.lowercased() == email)
        }, request: page, path: "/users", filters: filters)
        return json(wire.list(key: "users", items: result.items.map(wire.user), links: result.links))
    }

    private func listTasks(_ r: Incoming, now: Date) async throws(APIError) -> Response {
        let page = try PageRequest(r.query)
        let known = ["user_id", "type", "status", "automatic", "keyword", "sequence_key", "contact_local_time_from",
                     "contact_local_time_to", "message_opens"]
        let filters = r.query.filter { known.contains($0.name) }
        func value(_ name: String) -> String? { filters.last(where: { $0.name == name })?.value }
        guard let userID = value("user_id"), !userID.isEmpty else { throw APIError.missingParameter("user_id") }
        func list(_ name: String) -> Set<String>? {
            value(name).map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }) }
        }
        let types = list("type"), statuses = list("status")
        var automatic: Bool?
        if let a = value("automatic") {
            switch a.lowercased() {
            case "true", "1": automatic = true
            case "false", "0": automatic = false
            default: throw APIError.badParameter("automatic", "automatic must be true or false (got \"\(a)\")")
            }
        }
        func hour(_ name: String) throws(APIError) -> Int? {
            guard let text = value(name) else { return nil }
            guard let h = Int(text), (0...23).contains(h) else {
                throw APIError.badParameter(name, "\(name) must be an hour from 0 to 23 (got \"\(text)\")")
            }
            return h
        }
        let hourFrom = try hour("contact_local_time_from"), hourTo = try hour("contact_local_time_to")
        var minOpens: Int?, noOpens = false
        if let m = value("message_opens") {
            switch m.lowercased() {
            case "true": minOpens = 1
            case "false": noOpens = true
            default:
                guard let n = Int(m), n >= 0 else {
                    throw APIError.badParameter("message_opens", "message_opens must be a count or true/false (got \"\(m)\")")
                }
                minOpens = n
            }
        }
        let keyword = value("keyword")?.trimmingCharacters(in: .whitespaces)
        let sequenceKey = value("sequence_key")
        let utcHour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now).hour ?? 0
        let all = await workspace.tasks().sorted { a, b in a.dueOn != b.dueOn ? a.dueOn < b.dueOn : a.id < b.id }
        let result = try Pager.page(all, id: \.id, matches: { t in
            if t.userID != userID { return false }
            if let types, !types.contains(t.type) { return false }
            if let statuses, !statuses.contains(t.status) { return false }
            if let automatic, t.automatic != automatic { return false }
            if let sequenceKey, t.sequenceKey != sequenceKey { return false }
            if let minOpens, t.messageOpens < minOpens { return false }
            if noOpens, t.messageOpens != 0 { return false }
            if let keyword, !keyword.isEmpty {
                let haystack = [t.contact?.name, t.contact?.email, t.contact?.company].compactMap { $0 }
                if !haystack.contains(where: { $0.range(of: keyword, options: [.caseInsensitive, .diacriticInsensitive]) != nil }) {
                    return false
                }
            }
            if hourFrom != nil || hourTo != nil {
                guard let contact = t.contact else { return false }
                let local = ((utcHour + contact.utcOffsetHours) % 24 + 24) % 24
                let lo = hourFrom ?? 0, hi = hourTo ?? 23
                let inside = lo <= hi ? (lo...hi).contains(local) : (local >= lo || local <= hi)
                if !inside { return false }
            }
            return true
        }, request: page, path: "/tasks", filters: filters)
        return json(wire.list(key: "tasks", items: result.items.map(wire.task), links: result.links))
    }

    private func accountInfo() async -> Response {
        let users = await workspace.users()
        var members: [(String, JSON)] = [
            ("id", .string(workspace.accountID)),
            ("name", .string(workspace.accountName)),
            ("domain", .string("northwind-sandbox.example")),
            ("plan", .string("sandbox")),
            ("users_count", .int(users.count)),
            ("active_users_count", .int(users.filter { $0.status == "active" }.count)),
            ("credits", .object([("email", .int(10_000)), ("phone", .int(2_500))])),
            ("sandbox", .bool(true)),
        ]
        if configuration.extraFields { members.append(("x_sandbox_note", .string("undocumented field"))) }
        return json(.object(members))
    }

    // MARK: Bodies

    /// Parses a JSON request body whatever the Content-Type says. Throws 400 when it is not JSON.
    private func parseBody(_ r: Incoming, allowEmpty: Bool) throws(APIError) -> JSON? {
        let trimmed = r.body.drop(while: { [0x20, 0x09, 0x0A, 0x0D].contains($0) })
        if trimmed.isEmpty {
            if allowEmpty { return nil }
            throw APIError.badJSON("The request body is empty; a JSON object is required")
        }
        do {
            return try JSONParser.parse(r.body)
        } catch let error as JSONParseError {
            throw APIError.badJSON("The request body is not valid JSON: \(error.description)")
        } catch {
            throw APIError.badJSON("The request body is not valid JSON")
        }
    }

    private func logCall(_ r: Incoming, now: Date) async throws(APIError) -> Response {
        guard let body = try parseBody(r, allowEmpty: false) else { throw APIError.badJSON("Empty body") }
        guard case .object = body else {
            throw APIError.badJSON("The request body must be a JSON object")
        }
        var problems: [APIError.Entry] = []
        func missing(_ field: String) {
            problems.append(.init(code: "missing_field", title: "Missing Field", detail: "\(field) is required",
                                  pointer: "/\(field)"))
        }
        func unsupported(_ field: String, _ detail: String) {
            problems.append(.init(code: "unsupported_value", title: "Unsupported Value", detail: detail,
                                  pointer: "/\(field)"))
        }
        func requiredString(_ field: String) -> String? {
            guard let v = body[field], !v.isNull else { missing(field); return nil }
            guard case .string(let s) = v else { unsupported(field, "\(field) must be a string"); return nil }
            if s.trimmingCharacters(in: .whitespaces).isEmpty { unsupported(field, "\(field) must not be blank"); return nil }
            return s
        }
        func requiredBool(_ field: String) -> Bool? {
            guard let v = body[field], !v.isNull else { missing(field); return nil }
            guard case .bool(let b) = v else { unsupported(field, "\(field) must be true or false"); return nil }
            return b
        }
        func optionalString(_ field: String) -> String?? {
            guard let v = body[field], !v.isNull else { return .some(nil) }
            guard case .string(let s) = v else { unsupported(field, "\(field) must be a string or null"); return nil }
            return .some(s)
        }
        let from = requiredString("from")
        let to = requiredString("to")
        var duration: Int?
        switch body["duration"] {
        case nil, .null?: missing("duration")
        case .int(let n)?: if n < 0 { unsupported("duration", "duration must be a whole number of seconds ≥ 0") } else { duration = n }
        case .double(let d)? where d >= 0 && d == d.rounded() && d < 1e9: duration = Int(d)
        default: unsupported("duration", "duration must be a whole number of seconds ≥ 0")
        }
        let answered = requiredBool("answered")
        let human = requiredBool("human")
        let taskID = requiredString("task_id")
        let userID = requiredString("user_id")
        let transcription = optionalString("transcription")
        let recordingURL = optionalString("recording_url")
        let dispositionID = optionalString("disposition_id")
        let notes = optionalString("notes")
        if configuration.notesMode == .reject, let n = notes, n != nil {
            unsupported("notes", "notes is not a supported field")
        }
        if let answered, let human, human && !answered {
            unsupported("human", "human cannot be true when answered is false")
        }
        guard problems.isEmpty, let from, let to, let duration, let answered, let human, let taskID, let userID,
              let transcription, let recordingURL, let dispositionID, let notes else {
            throw APIError(status: 422, entries: problems)
        }
        // References.
        var notFound: [APIError.Entry] = []
        let task = await workspace.task(id: taskID)
        if task == nil {
            notFound.append(.init(code: "not_found", title: "Not Found", detail: "Task not found", pointer: "/task_id"))
        }
        if await workspace.user(id: userID) == nil {
            notFound.append(.init(code: "not_found", title: "Not Found", detail: "User not found", pointer: "/user_id"))
        }
        if let dispositionID, await workspace.disposition(id: dispositionID) == nil {
            notFound.append(.init(code: "not_found", title: "Not Found", detail: "Disposition not found",
                                  pointer: "/disposition_id"))
        }
        if !notFound.isEmpty { throw APIError(status: 404, entries: notFound) }
        if let task, task.userID != userID {
            throw APIError(status: 422, code: "unsupported_value", title: "Unsupported Value",
                           detail: "The task belongs to another user", pointer: "/task_id")
        }
        let stored = await workspace.insertLoggedCall(
            from: from, to: to, duration: duration, answered: answered, human: human, transcription: transcription,
            notes: configuration.notesMode == .store ? notes : nil, recordingURL: recordingURL,
            dispositionID: dispositionID, taskID: taskID, userID: userID, at: now)
        let disposition = await dispositionID.asyncMap { await workspace.disposition(id: $0) } ?? nil
        let email = await workspace.user(id: userID)?.email
        return json(wire.call(stored, disposition: disposition, userEmail: email), status: 201)
    }

    private func recording(callID: String, key: String, now: Date) async throws(APIError) -> Response {
        if let wait = await state.admitRecording(key: key, now: now) {
            throw APIError.rateLimited(retryAfter: wait, "Recording download limit of \(configuration.recordingsPerHour) per hour exceeded")
        }
        guard let call = await workspace.call(id: callID) else {
            throw APIError.notFound("Call not found", pointer: "/id")
        }
        guard call.hasDownloadableRecording else {
            throw APIError.notFound(call.external ? "External calls have no downloadable recording"
                                                  : "This call has no recording", pointer: "/id")
        }
        if call.recordingTooLarge {
            throw APIError(status: 413, code: "content_too_large", title: "Content Too Large",
                           detail: "The recording is too large to download through the API")
        }
        var headers = HTTPFields()
        headers[.contentType] = "audio/mpeg"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: FakeAudio.mp3(for: call.id))))
    }

    private func completeTask(_ id: String, _ r: Incoming, now: Date) async throws(APIError) -> Response {
        let body = try parseBody(r, allowEmpty: true)
        var setLead = false
        if let body {
            guard case .object = body else { throw APIError.badJSON("The request body must be a JSON object") }
            switch body["set_lead_to_completed"] {
            case nil, .null?: break
            case .bool(let b)?: setLead = b
            default:
                throw APIError(status: 422, code: "unsupported_value", title: "Unsupported Value",
                               detail: "set_lead_to_completed must be true or false", pointer: "/set_lead_to_completed")
            }
        }
        return try taskTransition(await workspace.completeTask(id: id, setLeadToCompleted: setLead, at: now))
    }

    private func skipTask(_ id: String, _ r: Incoming, now: Date) async throws(APIError) -> Response {
        _ = try parseBody(r, allowEmpty: true)
        return try taskTransition(await workspace.skipTask(id: id, at: now))
    }

    private func taskTransition(_ outcome: SandboxWorkspace.TaskTransition) throws(APIError) -> Response {
        switch outcome {
        case .notFound: throw APIError.notFound("Task not found", pointer: "/id")
        case .ineligible(let reason):
            throw APIError(status: 422, code: "unsupported_value", title: "Unsupported Value", detail: reason, pointer: "/id")
        case .done(let task): return json(wire.task(task))
        }
    }

    // MARK: Admin (not Amplemarket; no auth)

    private func admin(_ r: Incoming) async -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        func encoded(_ value: some Encodable) -> Response {
            let data = (try? encoder.encode(value)) ?? Data("null".utf8)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        switch (r.method, Array(r.segments.dropFirst())) {
        case ("GET", ["requests"]): return encoded(await state.recordedRequests())
        case ("DELETE", ["requests"]):
            await state.clearRecordedRequests()
            return Response(status: .noContent)
        case ("GET", ["faults"]): return encoded(await state.faults)
        case ("PUT", ["faults"]):
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            guard let faults = try? decoder.decode(SandboxFaults.self, from: Data(r.body)) else {
                return errorResponse(.badJSON("Body must be a JSON SandboxFaults object"))
            }
            await state.setFaults(faults, now: Date())
            return encoded(await state.faults)
        case ("GET", ["health"]): return json(.object([("ok", .bool(true))]))
        default: return errorResponse(.notFound("No admin route for \(r.method) \(r.rawPath)"))
        }
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<U>(_ transform: (Wrapped) async -> U) async -> U? {
        switch self {
        case .none: return nil
        case .some(let value): return await transform(value)
        }
    }
}

/// Loose phone-number matching for the `from` / `to` filters of `GET /calls`: digits only, with a
/// leading international `00` read as `+`.
enum PhoneMatch {
    static func digits(_ text: String) -> String {
        var d = text.filter(\.isASCII).filter(\.isNumber)
        if d.hasPrefix("00") { d.removeFirst(2) }
        return d
    }
}

/// Deterministic stand-in audio for recordings: an ID3 header and MPEG-1 Layer III frame headers over
/// pseudo-random payload, 4–8 KiB depending on the call id.
enum FakeAudio {
    static func mp3(for callID: String) -> [UInt8] {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in callID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var rng = SandboxRandom(seed: hash)
        var bytes: [UInt8] = Array("ID3".utf8) + [0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        let frames = 10 + Int(hash % 10)
        for _ in 0..<frames {
            bytes += [0xFF, 0xFB, 0x90, 0x64]
            for _ in 0..<413 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        }
        return bytes
    }
}
