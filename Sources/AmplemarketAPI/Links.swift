import AmplemarketModels
import Foundation

/// Building request URLs and following `_links` hrefs (amplemarket-api.md §2, §7.2).
enum URLBuilding {
    /// Characters left as they are in a path or query taken from a server href: RFC 3986 unreserved,
    /// sub-delims, `:`, `@`, `/`, `?` and `%` (when it starts a valid escape).
    private static let hrefAllowed: Set<UInt8> = {
        var s = Set<UInt8>()
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { s.insert(c) }
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { s.insert(c) }
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { s.insert(c) }
        for c in "-._~!$&'()*+,;=:@/?".utf8 { s.insert(c) }
        return s
    }()

    /// Characters left as they are in one query name or value we build ourselves (unreserved only).
    private static let componentAllowed: Set<UInt8> = {
        var s = Set<UInt8>()
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { s.insert(c) }
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { s.insert(c) }
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { s.insert(c) }
        for c in "-._~".utf8 { s.insert(c) }
        return s
    }()

    private static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }

    private static func escape(_ b: UInt8, into out: inout String) {
        let hex = Array("0123456789ABCDEF")
        out.append("%"); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)])
    }

    /// Percent-encodes what must be encoded in a server-given path-and-query (raw `[`, `]`, spaces,
    /// non-ASCII…) without double-encoding: a valid `%XX` escape is kept (its hex upper-cased, so raw and
    /// encoded forms of one href compare equal), a lone `%` becomes `%25`.
    static func normalizeHrefPath(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out = ""
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%"), i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) {
                out.append("%")
                out.append(String(UnicodeScalar(bytes[i + 1])).uppercased())
                out.append(String(UnicodeScalar(bytes[i + 2])).uppercased())
                i += 3
                continue
            }
            if hrefAllowed.contains(b) { out.append(Character(UnicodeScalar(b))) } else { escape(b, into: &out) }
            i += 1
        }
        return out
    }

    /// Percent-encodes one query name or value strictly (everything but unreserved characters), so
    /// `page[size]` → `page%5Bsize%5D` and `+1 555` → `%2B1%20555`.
    static func encodeComponent(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            if componentAllowed.contains(b) { out.append(Character(UnicodeScalar(b))) } else { escape(b, into: &out) }
        }
        return out
    }

    /// `base + path + ?query`, with query names and values encoded. `path` starts with `/`.
    static func url(base: BaseURL, path: String, query: [(String, String)] = []) -> String {
        var s = base.origin + base.pathPrefix + path
        if !query.isEmpty {
            s += "?" + query.map { encodeComponent($0.0) + "=" + encodeComponent($0.1) }.joined(separator: "&")
        }
        return s
    }

    /// Resolves a `_links` href against the base URL (§7.2).
    ///
    /// - A relative href (`/calls?page[after]=…`) is taken relative to the base URL: when the base URL has
    ///   a path prefix (`/amp`) and the href does not already start with it, the prefix is put in front.
    /// - An absolute href is accepted only on the base URL's own scheme, host and port (the API key must
    ///   never go elsewhere).
    /// - Raw brackets are percent-encoded; existing escapes are kept; a fragment is dropped.
    ///
    /// Throws `APIFailure(kind: .badResponse)` for an empty href or one pointing at another origin.
    static func resolve(href: String, base: BaseURL) throws -> String {
        var rest = href.trimmingCharacters(in: .whitespacesAndNewlines)
        if let hash = rest.firstIndex(of: "#") { rest = String(rest[..<hash]) }
        guard !rest.isEmpty else {
            throw APIFailure(kind: .badResponse, message: "The server gave an empty link to the next page")
        }
        let lower = rest.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || rest.hasPrefix("//") {
            let absolute = rest.hasPrefix("//") ? base.scheme + ":" + rest : rest
            guard let schemeEnd = absolute.range(of: "://") else {
                throw APIFailure(kind: .badResponse, message: "The server gave an unreadable page link")
            }
            let afterScheme = absolute[schemeEnd.upperBound...]
            let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
            let authority = String(afterScheme[..<authorityEnd])
            let scheme = absolute[..<schemeEnd.lowerBound].lowercased()
            let defaultPort = scheme == "https" ? 443 : 80
            let baseDefault = base.scheme == "https" ? 443 : 80
            let (h, p) = splitAuthority(authority)
            guard scheme == base.scheme, h.lowercased() == base.host.lowercased(),
                  (p ?? defaultPort) == (base.port ?? baseDefault) else {
                throw APIFailure(kind: .badResponse,
                                 message: "The server's page link points to another host; it was not followed")
            }
            rest = String(afterScheme[authorityEnd...])
            if rest.isEmpty { rest = "/" }
        }
        if rest.hasPrefix("?") { rest = "/" + rest }
        if !rest.hasPrefix("/") { rest = "/" + rest }
        let encoded = normalizeHrefPath(rest)
        let prefix = base.pathPrefix
        if !prefix.isEmpty,
           encoded == prefix || encoded.hasPrefix(prefix + "/") || encoded.hasPrefix(prefix + "?") {
            return base.origin + encoded
        }
        return base.origin + prefix + encoded
    }

    /// Splits `host:port` / `[v6]:port` (userinfo dropped).
    private static func splitAuthority(_ authority: String) -> (String, Int?) {
        var a = Substring(authority)
        if let at = a.lastIndex(of: "@") { a = a[a.index(after: at)...] }
        if a.hasPrefix("[") {
            guard let close = a.firstIndex(of: "]") else { return (String(a), nil) }
            let host = a[a.index(after: a.startIndex)..<close]
            let after = a[a.index(after: close)...]
            return (String(host), after.hasPrefix(":") ? Int(after.dropFirst()) : nil)
        }
        if let colon = a.lastIndex(of: ":") {
            return (String(a[..<colon]), Int(a[a.index(after: colon)...]))
        }
        return (String(a), nil)
    }

    /// The path of a full URL without its query (for logs: queries may hold emails and numbers).
    static func pathForLog(_ url: String) -> String {
        var s = Substring(url)
        if let r = s.range(of: "://") { s = s[r.upperBound...] }
        guard let slash = s.firstIndex(of: "/") else { return "/" }
        let p = s[slash...]
        return String(p.prefix(while: { $0 != "?" }))
    }
}
