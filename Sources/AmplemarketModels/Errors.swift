import Foundation

/// Where an API error points: a JSON pointer into the request body (`/to`), a query parameter
/// (`page[size]`) or a header. Per Amplemarket API, Errors page: `source: {pointer | parameter | header}`.
public struct APIErrorSource: Codable, Hashable, Sendable {
    public var pointer: String?
    public var parameter: String?
    public var header: String?
    public init(pointer: String? = nil, parameter: String? = nil, header: String? = nil) {
        self.pointer = pointer; self.parameter = parameter; self.header = header
    }
    enum CodingKeys: String, CodingKey { case pointer, parameter, header }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pointer = c.lenient(String.self, .pointer); parameter = c.lenient(String.self, .parameter)
        header = c.lenient(String.self, .header)
    }
}

/// One entry of an error body's `_errors` list. Every field is optional (§6); `status` is a string in
/// the docs but a number is accepted.
public struct APIErrorEntry: Codable, Hashable, Sendable {
    public var id: String?
    public var status: String?
    public var code: String?
    public var title: String?
    public var detail: String?
    public var source: APIErrorSource?

    public init(id: String? = nil, status: String? = nil, code: String? = nil, title: String? = nil,
                detail: String? = nil, source: APIErrorSource? = nil) {
        self.id = id; self.status = status; self.code = code; self.title = title; self.detail = detail
        self.source = source
    }

    enum CodingKeys: String, CodingKey { case id, status, code, title, detail, source }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenientID(.id); status = c.lenientID(.status); code = c.lenient(String.self, .code)
        title = c.lenient(String.self, .title); detail = c.lenient(String.self, .detail)
        source = c.lenient(APIErrorSource.self, .source)
    }

    /// The field name a pointer names (`/to` → `to`, `/duration` → `duration`), nil without a pointer.
    public var field: String? {
        guard let p = source?.pointer, !p.isEmpty else { return nil }
        let trimmed = p.hasPrefix("/") ? String(p.dropFirst()) : p
        return trimmed.split(separator: "/").first.map(String.init)
    }

    /// What to show the rep: `detail`, else `title`, else the code in words.
    public var message: String {
        if let d = detail, !d.isEmpty { return d }
        if let t = title, !t.isEmpty { return t }
        if let c = code, !c.isEmpty { return c.replacingOccurrences(of: "_", with: " ") }
        return "unknown error"
    }
}

/// An error body: `{"_errors": [...], "object"?: "error"}` (per Amplemarket API, Errors page).
public struct APIErrorBody: Codable, Hashable, Sendable {
    public var errors: [APIErrorEntry]
    public var object: String?
    public init(errors: [APIErrorEntry], object: String? = "error") { self.errors = errors; self.object = object }
    enum CodingKeys: String, CodingKey { case errors = "_errors", object }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        errors = try c.decode([APIErrorEntry].self, forKey: .errors)
        object = c.lenient(String.self, .object)
    }
}
