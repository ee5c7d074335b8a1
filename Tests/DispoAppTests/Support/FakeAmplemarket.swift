import Foundation

/// A small Amplemarket-like server written by hand on raw sockets (not the sandbox, and not Hummingbird,
/// which writes its own `Date`): every header is the test's to choose. It serves `GET /account-info`,
/// `POST /calls` (creates the call, `start_date` stamped in the server's clock) and `GET /calls`
/// (`user_id`, `start_date_from`, `start_date_to`; newest first, one page), one connection per request.
///
/// Faults, all deterministic: a clock `skew`, no `Date` header at all, every `failEveryNth` request
/// answered 503 without being handled, the next `dropNextPosts` POSTs handled and then the connection
/// closed unanswered, the next `rateLimitNext` requests answered 429 with a `Retry-After` the test writes,
/// a `GET /calls` asking more than `maxPageSize` answered 400 naming `page[size]`.
final class FakeAmplemarket: @unchecked Sendable {
    /// One request as it arrived.
    struct Arrival: Sendable {
        var method: String
        var path: String
        var query: String
        var at: Date
        /// What it got: its status, or 0 when the connection was closed unanswered.
        var status: Int
    }

    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    private let listenFD: Int32
    private let lock = NSLock()
    private var stopped = false
    private var clientFDs: Set<Int32> = []

    // Faults and state (under `lock`).
    private var _skew: Double = 0
    private var _sendsDate = true
    private var _failEveryNth = 0
    private var _dropNextPosts = 0
    private var _rateLimitNext = 0
    private var _latency: Double = 0
    private var _maxPageSize: Int?
    private var _retryAfter: @Sendable (Date) -> String = { _ in "1" }
    private var counted = 0
    private var _arrivals: [Arrival] = []
    private var _calls: [[String: Any]] = []

    /// Seconds the server's clock is ahead of the real one (negative: behind).
    var skew: Double { get { lock.withLock { _skew } } set { lock.withLock { _skew = newValue } } }
    /// Seconds every answer is held back after the request was handled.
    var latency: Double { get { lock.withLock { _latency } } set { lock.withLock { _latency = newValue } } }
    /// False: answers carry no `Date` header.
    var sendsDate: Bool { get { lock.withLock { _sendsDate } } set { lock.withLock { _sendsDate = newValue } } }
    /// Every Nth request counted from now (N, 2N…) is answered 503 without being handled; 0 = never.
    var failEveryNth: Int {
        get { lock.withLock { _failEveryNth } }
        set { lock.withLock { _failEveryNth = newValue; counted = 0 } }
    }
    /// Largest `page[size]` a `GET /calls` may ask; a larger one is answered 400 naming `page[size]`. Nil: any.
    var maxPageSize: Int? { get { lock.withLock { _maxPageSize } } set { lock.withLock { _maxPageSize = newValue } } }
    /// The next N `POST /calls` create their call, then the connection is closed unanswered.
    var dropNextPosts: Int { get { lock.withLock { _dropNextPosts } } set { lock.withLock { _dropNextPosts = newValue } } }
    /// The next N requests are answered 429 with `Retry-After: retryAfter(serverNow)`.
    func rateLimit(next n: Int, retryAfter: @escaping @Sendable (Date) -> String) {
        lock.withLock { _rateLimitNext = n; _retryAfter = retryAfter }
    }

    /// Every request so far, in arrival order.
    var arrivals: [Arrival] { lock.withLock { _arrivals } }
    /// The calls created so far (wire form), oldest first.
    var calls: [[String: Any]] { lock.withLock { _calls } }
    /// The `POST /calls` that arrived.
    var posts: [Arrival] { arrivals.filter { $0.method == "POST" && $0.path == "/calls" } }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listenFD = fd
        Thread { [self] in acceptLoop() }.start()
    }

    /// Stops accepting and closes every connection.
    func stop() {
        let fds = lock.withLock { () -> Set<Int32> in stopped = true; return clientFDs }
        for c in fds { shutdown(c, Int32(SHUT_RDWR)) }
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 { return }
            let isStopped = lock.withLock { () -> Bool in clientFDs.insert(client); return stopped }
            if isStopped { close(client); return }
            Thread { [self] in
                serve(client)
                lock.withLock { _ = clientFDs.remove(client) }
                close(client)
            }.start()
        }
    }

    private func serve(_ fd: Int32) {
        guard let request = Self.readRequest(fd) else { return }
        let (status, body, extra, drop) = answer(request)
        let delay = latency
        if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
        if drop { shutdown(fd, Int32(SHUT_RDWR)); return }
        let reason = [200: "OK", 201: "Created", 404: "Not Found", 429: "Too Many Requests", 503: "Service Unavailable"][status] ?? "Status"
        var head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in extra { head += "\(name): \(value)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + Array(body)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        shutdown(fd, Int32(SHUT_WR))
    }

    /// The server's answer: status, body, headers, and whether to close instead of answering.
    private func answer(_ r: (method: String, path: String, query: String, body: Data)) -> (Int, Data, [(String, String)], Bool) {
        lock.withLock {
            let now = Date()
            let serverNow = now.addingTimeInterval(_skew)
            var headers: [(String, String)] = _sendsDate ? [("Date", Self.httpDate(serverNow))] : []
            func record(_ status: Int) { _arrivals.append(Arrival(method: r.method, path: r.path, query: r.query, at: now, status: status)) }
            counted += 1
            if _failEveryNth > 0, counted % _failEveryNth == 0 {
                record(503)
                return (503, Data(#"{"_errors":[{"code":"service_unavailable","detail":"Try again later"}]}"#.utf8), headers, false)
            }
            if _rateLimitNext > 0 {
                _rateLimitNext -= 1
                record(429)
                headers.append(("Retry-After", _retryAfter(serverNow)))
                return (429, Data(#"{"_errors":[{"code":"rate_limited","detail":"Slow down"}]}"#.utf8), headers, false)
            }
            switch (r.method, r.path) {
            case ("GET", "/account-info"):
                record(200)
                return (200, Data(#"{"id":"acc-1","name":"Fake Amplemarket"}"#.utf8), headers, false)
            case ("POST", "/calls"):
                var call = (try? JSONSerialization.jsonObject(with: r.body) as? [String: Any]) ?? [:]
                call["id"] = UUID().uuidString.lowercased()
                call["external"] = true
                call["start_date"] = Self.isoDate(serverNow)
                _calls.append(call)
                if _dropNextPosts > 0 {
                    _dropNextPosts -= 1
                    record(0)
                    return (0, Data(), [], true)
                }
                record(201)
                return (201, (try? JSONSerialization.data(withJSONObject: call)) ?? Data(), headers, false)
            case ("GET", "/calls"):
                let q = Self.query(r.query)
                let asked = q["page[size]"].flatMap { Int($0) }
                if let max = _maxPageSize, let asked, asked > max {
                    record(400)
                    return (400, Data(#"{"_errors":[{"code":"unsupported_value","detail":"is not supported","source":{"parameter":"page[size]"}}]}"#.utf8), headers, false)
                }
                let from = q["start_date_from"].flatMap(Self.parseISO), to = q["start_date_to"].flatMap(Self.parseISO)
                let listed = _calls.reversed().filter { c in
                    guard let start = (c["start_date"] as? String).flatMap(Self.parseISO) else { return false }
                    if let u = q["user_id"], c["user_id"] as? String != u { return false }
                    if let from, start < from { return false }
                    if let to, start > to { return false }
                    return true
                }
                record(200)
                let body: [String: Any] = ["calls": Array(listed), "_links": ["self": ["href": "/calls"]]]
                return (200, (try? JSONSerialization.data(withJSONObject: body)) ?? Data(), headers, false)
            default:
                record(404)
                return (404, Data(#"{"_errors":[{"code":"not_found","detail":"No such path"}]}"#.utf8), headers, false)
            }
        }
    }

    // MARK: Wire helpers

    private static func readRequest(_ fd: Int32) -> (method: String, path: String, query: String, body: Data)? {
        var received = Data()
        var buf = [UInt8](repeating: 0, count: 8192)
        var headEnd: Range<Data.Index>?
        while headEnd == nil {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { return nil }
            received.append(contentsOf: buf[0..<n])
            headEnd = received.range(of: Data("\r\n\r\n".utf8))
        }
        let head = String(decoding: received[..<headEnd!.lowerBound], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return nil }
        let length = lines.dropFirst().compactMap { line -> Int? in
            let kv = line.split(separator: ":", maxSplits: 1)
            return kv.count == 2 && kv[0].lowercased() == "content-length" ? Int(kv[1].trimmingCharacters(in: .whitespaces)) : nil
        }.first ?? 0
        var body = received[headEnd!.upperBound...]
        while body.count < length {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { break }
            body.append(contentsOf: buf[0..<n])
        }
        let target = String(parts[1])
        let path = String(target.prefix { $0 != "?" })
        let query = target.contains("?") ? String(target.drop { $0 != "?" }.dropFirst()) : ""
        return (String(parts[0]), path, query, Data(body))
    }

    private static func query(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if kv.count == 2 { out[kv[0]] = kv[1] }
        }
        return out
    }

    static func httpDate(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(secondsFromGMT: 0)
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: date)
    }

    static func isoDate(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: TimeZone(identifier: "UTC")!))
    }

    static func parseISO(_ text: String) -> Date? {
        try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }
}
