import AmplemarketModels
import Foundation

/// The page sizes each list endpoint has accepted, learnt from the server's refusals.
///
/// Per Amplemarket API: the default page size is 20 and the maximum is undocumented; a client that asks
/// for more must fall back on a 400 that names `page[size]` (a 422 that does is read alike), per
/// endpoint: 100 → 50 → 20 → no size at all. What was learnt is kept for the client's life, starts from `ClientConfiguration.pageSizeLimits`
/// and is reported through `ClientConfiguration.onPageSizeLearnt`, so the caller can keep it across runs.
final class PageSizeMemory: @unchecked Sendable {
    /// The sizes tried, largest first; after the last one the parameter is left out.
    static let ladder = [100, 50, 20]

    private let lock = NSLock()
    /// Endpoint path (`/calls`, `/users`…) → largest size it accepts; `PageSizeLimit.none` = send none.
    private var limits: [String: PageSizeLimit]

    init(_ initial: [String: PageSizeLimit]) { limits = initial }

    /// The limit learnt for `endpoint`, if any.
    func limit(for endpoint: String) -> PageSizeLimit? { lock.withLock { limits[endpoint] } }

    /// `url` with its `page[size]` lowered to what its endpoint is known to accept (left out when the
    /// endpoint takes none); unchanged when nothing is known or the size asked is already small enough.
    func adjusted(_ url: String) -> String {
        guard let asked = URLBuilding.pageSize(in: url),
              let limit = limit(for: URLBuilding.pathForLog(url)) else { return url }
        switch limit {
        case .none: return URLBuilding.replacingPageSize(in: url, with: nil)
        case .size(let n): return asked > n ? URLBuilding.replacingPageSize(in: url, with: n) : url
        }
    }

    /// After `failure` answered `url`: the URL to try next with a smaller page size (remembered for its
    /// endpoint) and the new limit, or nil when the failure is not about the page size or no smaller
    /// step is left (the URL already sends none).
    func fallBack(from url: String, after failure: APIFailure) -> (url: String, limit: PageSizeLimit)? {
        guard Self.namesPageSize(failure), let asked = URLBuilding.pageSize(in: url) else { return nil }
        let limit: PageSizeLimit = Self.ladder.first(where: { $0 < asked }).map { .size($0) } ?? .none
        let endpoint = URLBuilding.pathForLog(url)
        lock.withLock {
            // Two pages of one endpoint may fail at once: keep the smaller limit.
            if let known = limits[endpoint], known < limit { return }
            limits[endpoint] = limit
        }
        return (adjusted(url), limit)
    }

    /// True for a 400 or 422 (the two statuses a refused value gets) whose error entries name the
    /// `page[size]` parameter: as `source.parameter` (raw or percent-encoded), as a pointer, or in the
    /// detail or title. Any other status, or a refusal about another parameter, is not about the page size.
    static func namesPageSize(_ failure: APIFailure) -> Bool {
        guard failure.status == 400 || failure.status == 422 else { return false }
        func names(_ text: String?) -> Bool {
            guard let text else { return false }
            let decoded = text.replacingOccurrences(of: "%5B", with: "[", options: .caseInsensitive)
                .replacingOccurrences(of: "%5D", with: "]", options: .caseInsensitive)
            return decoded.lowercased().contains("page[size]")
        }
        return failure.entries.contains { e in
            names(e.source?.parameter) || names(e.source?.pointer) || names(e.detail) || names(e.title)
        }
    }
}

/// The largest `page[size]` an endpoint accepts: a number, or none at all (the server's default).
public enum PageSizeLimit: Sendable, Hashable, Comparable {
    case size(Int)
    /// Send no `page[size]`.
    case none

    /// `none` is the smallest: it comes after every size on the way down.
    public static func < (a: PageSizeLimit, b: PageSizeLimit) -> Bool {
        switch (a, b) {
        case (.none, .size): true
        case (.size(let x), .size(let y)): x < y
        default: false
        }
    }

    /// `"50"`, or `"none"`: the form kept in a settings store.
    public var text: String {
        switch self {
        case .size(let n): String(n)
        case .none: "none"
        }
    }

    /// Reads `text`'s form back; nil for anything else.
    public init?(text: String) {
        if text == "none" { self = .none; return }
        guard let n = Int(text), n > 0 else { return nil }
        self = .size(n)
    }
}

extension URLBuilding {
    /// Splits a URL into what comes before its query and the query's `name=value` pieces.
    private static func queryParts(_ url: String) -> (head: String, items: [Substring])? {
        guard let q = url.firstIndex(of: "?") else { return nil }
        return (String(url[..<q]), url[url.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false))
    }

    private static func isPageSize(_ item: Substring) -> Bool {
        let name = item.prefix(while: { $0 != "=" })
        return name == "page[size]" || name.lowercased() == "page%5bsize%5d"
    }

    /// The `page[size]` a URL asks for (brackets raw or percent-encoded); nil when it asks none.
    static func pageSize(in url: String) -> Int? {
        guard let (_, items) = queryParts(url), let item = items.last(where: isPageSize),
              let eq = item.firstIndex(of: "=") else { return nil }
        return Int(item[item.index(after: eq)...])
    }

    /// `url` with every `page[size]` replaced by `size`, or removed when `size` is nil.
    static func replacingPageSize(in url: String, with size: Int?) -> String {
        guard let (head, items) = queryParts(url) else { return url }
        var out: [String] = []
        var placed = false
        for item in items {
            if isPageSize(item) {
                if let size, !placed { out.append(encodeComponent("page[size]") + "=\(size)"); placed = true }
            } else {
                out.append(String(item))
            }
        }
        return out.isEmpty ? head : head + "?" + out.joined(separator: "&")
    }
}
