import Foundation

/// One decoded query parameter.
struct QueryItem: Sendable, Equatable {
    var name: String
    var value: String
}

/// Query-string handling. Brackets are accepted raw or percent-encoded; `+` is kept literally (never
/// read as a space) because E.164 numbers start with it.
enum Query {
    /// Splits a raw query (`a=1&page%5Bsize%5D=5`) into decoded items, in order.
    static func parse(_ raw: String?) -> [QueryItem] {
        guard let raw, !raw.isEmpty else { return [] }
        return raw.split(separator: "&", omittingEmptySubsequences: true).map { part in
            if let eq = part.firstIndex(of: "=") {
                return QueryItem(name: percentDecode(part[..<eq]), value: percentDecode(part[part.index(after: eq)...]))
            }
            return QueryItem(name: percentDecode(part), value: "")
        }
    }

    /// Decodes `%XX` escapes (invalid escapes are kept as they are).
    static func percentDecode(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
               let value = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Percent-encodes a value for an href: unreserved characters and `:` stay, everything else
    /// (including `+`, `&`, `=`, space, non-ASCII) is escaped.
    static func encodeValue(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "@"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

/// `page[size]`, `page[after]`, `page[before]` of a list request (per Amplemarket API: pagination).
struct PageRequest: Sendable {
    /// Items per page, 1…100 (default 20).
    var size: Int
    var after: String?
    var before: String?

    /// Reads the paging parameters. Throws 400 `unsupported_value` (with `source.parameter`) for a size
    /// outside 1…100, a non-numeric size, an empty cursor, or both cursors at once.
    init(_ items: [QueryItem]) throws(APIError) {
        size = 20
        if let raw = items.last(where: { $0.name == "page[size]" })?.value {
            guard let n = Int(raw.trimmingCharacters(in: .whitespaces)), (1...100).contains(n) else {
                throw APIError.badParameter("page[size]", "page[size] must be an integer from 1 to 100 (got \"\(raw)\")")
            }
            size = n
        }
        after = items.last(where: { $0.name == "page[after]" })?.value
        before = items.last(where: { $0.name == "page[before]" })?.value
        if after == "" { throw APIError.badParameter("page[after]", "page[after] must not be empty") }
        if before == "" { throw APIError.badParameter("page[before]", "page[before] must not be empty") }
        if after != nil && before != nil {
            throw APIError.badParameter("page[before]", "page[after] and page[before] cannot be combined")
        }
    }
}

/// The `_links` of one page (relative hrefs).
struct PageLinks: Sendable {
    var selfHref: String
    var next: String?
    var prev: String?
}

/// Cursor paging over an ordered collection. Cursors are item ids and exclusive; a cursor must name an
/// item of the collection (filtered or not), so it keeps working while the filtered set changes.
enum Pager {
    /// Returns the page of `all` (already in list order) restricted to `matches`, and its links for `path`
    /// carrying `filters` (decoded name/value pairs, written in the given order after the page params).
    /// `position`, when given, finds an id's index in `all` (nil: not there) instead of a scan.
    /// Throws 400 `unsupported_value` for an unknown cursor.
    static func page<T>(_ all: [T], id: (T) -> String, position: ((String) -> Int?)? = nil, matches: (T) -> Bool,
                        request: PageRequest, path: String,
                        filters: [QueryItem]) throws(APIError) -> (items: [T], links: PageLinks) {
        func index(of cursor: String) -> Int? {
            if let position { return position(cursor) }
            return all.firstIndex(where: { id($0) == cursor })
        }
        var items: [T] = []
        var hasNext = false
        var hasPrev = false
        if let before = request.before {
            guard let cursor = index(of: before) else {
                throw APIError.badParameter("page[before]", "Unknown cursor \(before)")
            }
            var i = cursor - 1
            while i >= 0 {
                if matches(all[i]) {
                    if items.count == request.size { hasPrev = true; break }
                    items.append(all[i])
                }
                i -= 1
            }
            items.reverse()
            hasNext = all[cursor...].contains(where: matches)
        } else {
            var start = 0
            if let after = request.after {
                guard let cursor = index(of: after) else {
                    throw APIError.badParameter("page[after]", "Unknown cursor \(after)")
                }
                start = cursor + 1
                hasPrev = all[...cursor].contains(where: matches)
            }
            var i = start
            while i < all.count {
                if matches(all[i]) {
                    if items.count == request.size { hasNext = true; break }
                    items.append(all[i])
                }
                i += 1
            }
        }
        func href(_ cursor: (String, String)?) -> String {
            var parts = ["page[size]=\(request.size)"]
            if let cursor { parts.append("\(cursor.0)=\(Query.encodeValue(cursor.1))") }
            parts += filters.map { "\(Query.encodeValue($0.name))=\(Query.encodeValue($0.value))" }
            return path + "?" + parts.joined(separator: "&")
        }
        let selfCursor = request.after.map { ("page[after]", $0) } ?? request.before.map { ("page[before]", $0) }
        let links = PageLinks(
            selfHref: href(selfCursor),
            next: hasNext && !items.isEmpty ? href(("page[after]", id(items[items.count - 1]))) : nil,
            prev: hasPrev && !items.isEmpty ? href(("page[before]", id(items[0]))) : nil)
        return (items, links)
    }
}
