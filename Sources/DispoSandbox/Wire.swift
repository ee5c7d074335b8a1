import Foundation

/// An API error answer: status plus `_errors[]` entries (per Amplemarket API, errors page:
/// `{"_errors":[{status, code, title, detail, source:{pointer|parameter}}],"object":"error"}`).
struct APIError: Error, Sendable {
    struct Entry: Sendable {
        var code: String
        var title: String
        var detail: String
        var pointer: String? = nil
        var parameter: String? = nil
    }

    var status: Int
    var entries: [Entry]
    /// Extra response headers (e.g. `Retry-After`).
    var headers: [(String, String)] = []

    init(status: Int, entries: [Entry], headers: [(String, String)] = []) {
        self.status = status
        self.entries = entries
        self.headers = headers
    }

    init(status: Int, code: String, title: String, detail: String, pointer: String? = nil, parameter: String? = nil,
         headers: [(String, String)] = []) {
        self.init(status: status, entries: [Entry(code: code, title: title, detail: detail, pointer: pointer,
                                                  parameter: parameter)], headers: headers)
    }

    /// The wire body.
    var json: JSON {
        .object([
            ("_errors", .array(entries.map { entry in
                var members: [(String, JSON)] = [("status", .string(String(status))), ("code", .string(entry.code)),
                                                 ("title", .string(entry.title)), ("detail", .string(entry.detail))]
                if let pointer = entry.pointer { members.append(("source", .object([("pointer", .string(pointer))]))) }
                if let parameter = entry.parameter {
                    members.append(("source", .object([("parameter", .string(parameter))])))
                }
                return .object(members)
            })),
            ("object", .string("error")),
        ])
    }

    static func unauthorized(_ detail: String) -> APIError {
        APIError(status: 401, code: "unauthorized", title: "Unauthorized", detail: detail)
    }
    static func notFound(_ detail: String, pointer: String? = nil) -> APIError {
        APIError(status: 404, code: "not_found", title: "Not Found", detail: detail, pointer: pointer)
    }
    static func badParameter(_ name: String, _ detail: String) -> APIError {
        APIError(status: 400, code: "unsupported_value", title: "Unsupported Value", detail: detail, parameter: name)
    }
    static func missingParameter(_ name: String) -> APIError {
        APIError(status: 400, code: "missing_field", title: "Missing Field",
                 detail: "The query parameter \(name) is required", parameter: name)
    }
    static func badJSON(_ detail: String) -> APIError {
        APIError(status: 400, code: "bad_request", title: "Bad Request", detail: detail)
    }
    /// 429 with `Retry-After: retryAfter` (a header value from `ServerTime.retryAfter(seconds:)`).
    static func rateLimited(retryAfter: String, _ detail: String) -> APIError {
        APIError(status: 429, code: "rate_limit_exceeded", title: "Too Many Requests", detail: detail,
                 headers: [("Retry-After", retryAfter)])
    }
}

/// Date-time on the wire: ISO 8601, UTC, whole seconds, trailing `Z` (per Amplemarket API introduction).
enum WireDate {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: false,
                                                       timeZone: TimeZone(identifier: "UTC")!)
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true,
                                                            timeZone: TimeZone(identifier: "UTC")!)

    static func format(_ date: Date) -> String { style.format(date) }

    /// Parses `2025-10-06T16:30:08Z`, fractional seconds, `+00:00` style offsets, or a plain date
    /// `2025-10-06` (midnight UTC). Nil when unreadable.
    static func parse(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let d = try? style.parse(t) { return d }
        if let d = try? fractional.parse(t) { return d }
        if t.count == 10, let d = try? style.parse(t + "T00:00:00Z") { return d }
        // A `+` decoded as a space by a form-style encoder: "2025-10-06T16:30:08 00:00".
        if t.contains(" "), let d = parse(t.replacingOccurrences(of: " ", with: "+")) { return d }
        return nil
    }
}

/// JSON shapes of the sandbox's resources (per Amplemarket API: calls, dispositions, users, tasks, paging).
struct WireEncoder: Sendable {
    /// Add undocumented fields to every object (clients must ignore unknown fields).
    var extraFields: Bool

    private func withExtras(_ members: [(String, JSON)], _ more: [(String, JSON)] = []) -> JSON {
        guard extraFields else { return .object(members) }
        return .object(members + more + [
            ("x_sandbox_note", .string("undocumented field: clients must ignore it")),
            ("x_sandbox_nested", .object([("flag", .bool(true)), ("list", .array([.int(1), .null, .double(2.5), .string("é")]))])),
        ])
    }

    func contact(_ c: SandboxContact?) -> JSON {
        guard let c else { return .null }
        return withExtras([("id", .string(c.id)), ("name", .optional(c.name)), ("email", .optional(c.email))],
                          [("company_name", .optional(c.company))])
    }

    /// A call with the documented fields and the newer ones (`direction`, `disposition_name`,
    /// `user_email`, `transcript`), which clients decode when present and never require: every call the
    /// sandbox serves carries them. `transcript` is one `{speaker, text}` entry per paragraph of the
    /// transcription (the rep and the contact taking turns, the contact first), `[]` without one.
    func call(_ c: SandboxCall, disposition: SandboxDisposition? = nil, userEmail: String? = nil) -> JSON {
        withExtras([
            ("id", .string(c.id)),
            ("disposition_id", .optional(c.dispositionID)),
            ("duration", .int(c.duration)),
            ("external", .bool(c.external)),
            ("start_date", .string(WireDate.format(c.startDate))),
            ("from", .string(c.from)),
            ("to", .string(c.to)),
            ("notes", .optional(c.notes)),
            ("transcription", .optional(c.transcription)),
            ("recording_url", .optional(c.recordingURL)),
            ("task_id", .string(c.taskID)),
            ("user_id", .string(c.userID)),
            ("human", .bool(c.human)),
            ("answered", .bool(c.answered)),
            ("contact", contact(c.contact)),
            ("direction", .string("outgoing")),
            ("disposition_name", .optional(disposition?.name)),
            ("user_email", .optional(userEmail)),
            ("transcript", .array(Self.transcript(c.transcription))),
        ])
    }

    /// The transcription's paragraphs as transcript entries, the contact speaking first.
    static func transcript(_ transcription: String?) -> [JSON] {
        guard let transcription else { return [] }
        let paragraphs = transcription.components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return paragraphs.enumerated().map { i, text in
            .object([("speaker", .string(i % 2 == 0 ? "contact" : "rep")), ("text", .string(text))])
        }
    }

    func disposition(_ d: SandboxDisposition) -> JSON {
        withExtras([("id", .string(d.id)), ("name", .string(d.name)), ("slug", .string(d.slug)),
                    ("action", .string(d.action))])
    }

    func user(_ u: SandboxUser) -> JSON {
        withExtras([
            ("id", .string(u.id)), ("name", .string(u.name)), ("email", .string(u.email)),
            ("status", .string(u.status)), ("role", .string(u.role)),
            ("mailboxes", .array(u.mailboxes.map { withExtras([("id", .string($0.id)), ("email", .string($0.email))]) })),
        ])
    }

    func task(_ t: SandboxTask) -> JSON {
        withExtras([
            ("id", .string(t.id)), ("automatic", .bool(t.automatic)), ("type", .string(t.type)),
            ("status", .string(t.status)), ("due_on", .string(WireDate.format(t.dueOn))),
            ("finished_on", .optional(t.finishedOn.map(WireDate.format))), ("notes", .optional(t.notes)),
            ("sequence_key", .optional(t.sequenceKey)), ("sequence_name", .optional(t.sequenceName)),
            ("user_id", .string(t.userID)), ("user_email", .string(t.userEmail)), ("contact", contact(t.contact)),
        ], [("lead_status", .string(t.leadCompleted ? "completed" : "active"))])
    }

    /// `{"<key>": [...], "_links": {...}}` (per Amplemarket API: pagination page).
    func list(key: String, items: [JSON], links: PageLinks) -> JSON {
        var linkMembers: [(String, JSON)] = [("self", .object([("href", .string(links.selfHref))]))]
        if let next = links.next { linkMembers.append(("next", .object([("href", .string(next))]))) }
        if let prev = links.prev { linkMembers.append(("prev", .object([("href", .string(prev))]))) }
        var members: [(String, JSON)] = [(key, .array(items)), ("_links", .object(linkMembers))]
        if extraFields { members.append(("meta", .object([("x_sandbox_total_hint", .null)]))) }
        return .object(members)
    }
}
