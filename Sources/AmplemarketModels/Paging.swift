import Foundation

/// A link in a list response's `_links` (`{"href": "..."}`); hrefs are relative to the base URL.
public struct Link: Codable, Hashable, Sendable {
    public var href: String
    public init(href: String) { self.href = href }
}

/// One page of a cursor-paged list (amplemarket-api.md §2).
///
/// `next` is nil on the last page (the server omits it); `prev` likewise on the first.
public struct Page<Item: Sendable & Hashable>: Sendable, Hashable {
    public var items: [Item]
    /// `_links.next.href`, relative to the base URL, exactly as the server wrote it.
    public var next: String?
    public var prev: String?
    public var selfHref: String?
    public init(items: [Item], next: String?, prev: String? = nil, selfHref: String? = nil) {
        self.items = items; self.next = next; self.prev = prev; self.selfHref = selfHref
    }
}

/// Filters of `GET /calls` (per Amplemarket API). Server-side only; answered / human / disposition /
/// text filters run in the client over loaded pages.
public struct CallListQuery: Hashable, Sendable {
    /// 1…100 in the sandbox; the real maximum is undocumented. Nil = server default (20).
    public var pageSize: Int?
    public var userID: String?
    public var from: String?
    public var to: String?
    public var startDateFrom: Date?
    public var startDateTo: Date?
    public init(pageSize: Int? = nil, userID: String? = nil, from: String? = nil, to: String? = nil,
                startDateFrom: Date? = nil, startDateTo: Date? = nil) {
        self.pageSize = pageSize; self.userID = userID; self.from = from; self.to = to
        self.startDateFrom = startDateFrom; self.startDateTo = startDateTo
    }
    /// Query items in the API's names (`page[size]`, `user_id`, `start_date_from`…), nils omitted.
    public var queryItems: [(String, String)] {
        var q: [(String, String)] = []
        if let v = pageSize { q.append(("page[size]", String(v))) }
        if let v = userID { q.append(("user_id", v)) }
        if let v = from { q.append(("from", v)) }
        if let v = to { q.append(("to", v)) }
        if let v = startDateFrom { q.append(("start_date_from", APIDate.format(v))) }
        if let v = startDateTo { q.append(("start_date_to", APIDate.format(v))) }
        return q
    }
    public static func == (a: Self, b: Self) -> Bool { a.queryItems.map { $0.0 + "=" + $0.1 } == b.queryItems.map { $0.0 + "=" + $0.1 } }
    public func hash(into h: inout Hasher) { for (k, v) in queryItems { h.combine(k); h.combine(v) } }
}

/// Filters of `GET /tasks` (per Amplemarket API, Tasks reference). `userID` is required by the server.
public struct TaskListQuery: Hashable, Sendable {
    public var userID: String
    public var pageSize: Int?
    /// e.g. `phone_call`, `email`.
    public var type: String?
    /// `scheduled`, `completed` or `skipped`.
    public var status: String?
    public var automatic: Bool?
    /// Contact name, email or company.
    public var keyword: String?
    public var sequenceKey: String?
    /// Contact's local hour, 0–23.
    public var contactLocalTimeFrom: Int?
    public var contactLocalTimeTo: Int?
    public var messageOpens: Int?
    public init(userID: String, pageSize: Int? = nil, type: String? = nil, status: String? = nil,
                automatic: Bool? = nil, keyword: String? = nil, sequenceKey: String? = nil,
                contactLocalTimeFrom: Int? = nil, contactLocalTimeTo: Int? = nil, messageOpens: Int? = nil) {
        self.userID = userID; self.pageSize = pageSize; self.type = type; self.status = status
        self.automatic = automatic; self.keyword = keyword; self.sequenceKey = sequenceKey
        self.contactLocalTimeFrom = contactLocalTimeFrom; self.contactLocalTimeTo = contactLocalTimeTo
        self.messageOpens = messageOpens
    }
    /// Query items in the API's names, nils omitted.
    public var queryItems: [(String, String)] {
        var q: [(String, String)] = [("user_id", userID)]
        if let v = pageSize { q.append(("page[size]", String(v))) }
        if let v = type { q.append(("type", v)) }
        if let v = status { q.append(("status", v)) }
        if let v = automatic { q.append(("automatic", v ? "true" : "false")) }
        if let v = keyword { q.append(("keyword", v)) }
        if let v = sequenceKey { q.append(("sequence_key", v)) }
        if let v = contactLocalTimeFrom { q.append(("contact_local_time_from", String(v))) }
        if let v = contactLocalTimeTo { q.append(("contact_local_time_to", String(v))) }
        if let v = messageOpens { q.append(("message_opens", String(v))) }
        return q
    }
}

/// Filters of `GET /users` (per Amplemarket API, Users reference).
public struct UserListQuery: Hashable, Sendable {
    public var pageSize: Int?
    public var status: String?
    public var role: String?
    public var email: String?
    public init(pageSize: Int? = nil, status: String? = nil, role: String? = nil, email: String? = nil) {
        self.pageSize = pageSize; self.status = status; self.role = role; self.email = email
    }
    /// Query items in the API's names, nils omitted.
    public var queryItems: [(String, String)] {
        var q: [(String, String)] = []
        if let v = pageSize { q.append(("page[size]", String(v))) }
        if let v = status { q.append(("status", v)) }
        if let v = role { q.append(("role", v)) }
        if let v = email { q.append(("email", v)) }
        return q
    }
}
