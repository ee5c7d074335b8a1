import AmplemarketModels
import Foundation

/// How the client retries GETs (and POSTs that were surely not sent).
///
/// Per amplemarket-api.md §7.4: GETs retry on network errors, 429 (after `Retry-After`, capped) and 5xx,
/// with exponential backoff and jitter; a POST is retried by the client only when the failure is
/// `.notSent` (the request surely never left).
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts per request, including the first (≥ 1). 1 disables retries.
    public var maxAttempts: Int
    /// Backoff before the second attempt, in seconds; doubled for each further attempt.
    public var baseDelay: Double
    /// Upper bound of one backoff, in seconds (before jitter).
    public var maxDelay: Double
    /// Upper bound of a server's `Retry-After`, in seconds: a longer wait is cut to this.
    public var retryAfterCap: Double

    /// Defaults: 4 attempts, 0.5 s doubling up to 8 s, `Retry-After` capped at 60 s.
    public init(maxAttempts: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 8, retryAfterCap: Double = 60) {
        self.maxAttempts = max(1, maxAttempts); self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay); self.retryAfterCap = max(0, retryAfterCap)
    }

    /// No retries at all (one attempt).
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The backoff before attempt `attempt + 1` after `attempt` failed attempts (1-based), in seconds:
    /// `min(maxDelay, baseDelay · 2^(attempt-1))`, scaled by `jitter` (expected in 0.5…1; "equal jitter").
    public func backoff(afterAttempt attempt: Int, jitter: Double) -> Double {
        let exp = baseDelay * pow(2, Double(max(0, attempt - 1)))
        return min(maxDelay, exp) * min(1, max(0, jitter))
    }
}

/// Request budgets the client keeps itself under (amplemarket-api.md §1, §7.5): 500 requests per minute
/// per account across all endpoints, and 50 recording downloads per hour, as the server counts them
/// (arrivals; see `Pacer`).
public struct PacingLimits: Sendable, Hashable {
    /// Requests allowed in any window of `requestWindow` seconds.
    public var requestsPerWindow: Int
    /// Seconds (default 60).
    public var requestWindow: Double
    /// Recording downloads allowed in any window of `recordingWindow` seconds.
    public var recordingsPerWindow: Int
    /// Seconds (default 3600).
    public var recordingWindow: Double
    /// Seconds a request that failed without an answer (timeout, dropped connection) still counts after
    /// it failed, in case its bytes reach the server late (default 2). An answered request counts until
    /// its answer arrived: the server had it by then.
    public var unansweredMargin: Double

    /// Defaults: 500 per 60 s, 50 recordings per 3600 s (the documented limits), 2 s for an unanswered
    /// request.
    public init(requestsPerWindow: Int = 500, requestWindow: Double = 60, recordingsPerWindow: Int = 50,
                recordingWindow: Double = 3600, unansweredMargin: Double = 2) {
        self.requestsPerWindow = max(1, requestsPerWindow); self.requestWindow = max(0, requestWindow)
        self.recordingsPerWindow = max(1, recordingsPerWindow); self.recordingWindow = max(0, recordingWindow)
        self.unansweredMargin = max(0, unansweredMargin)
    }
}

/// A retry the client is about to make, reported through `ClientConfiguration.onRetry` so the app can
/// show "retrying" in its header.
public struct RetryNotice: Sendable, Hashable {
    /// `GET`, `POST`.
    public var method: String
    /// Request path, without query (no personal data).
    public var path: String
    /// The attempt that just failed, 1-based.
    public var failedAttempt: Int
    /// Seconds the client waits before the next attempt.
    public var delay: Double
    /// Why the attempt failed.
    public var failure: APIFailure
}

/// Settings of an `AmplemarketClient`.
///
/// Per amplemarket-api.md §1 and design.md §5: base URL `https://api.amplemarket.com` by default; plain
/// http is refused unless the host is loopback (127.0.0.0/8, ::1, localhost); the API key is sent as
/// `Authorization: Bearer` and never logged or put in an error message.
public struct ClientConfiguration: Sendable {
    /// The real service.
    public static let defaultBaseURL = "https://api.amplemarket.com"

    /// Where the API lives; may carry a path prefix (`http://127.0.0.1:8080/amp`). Validated by
    /// `AmplemarketClient.init`.
    public var baseURL: String
    /// The account's API key. Never logged, never in error messages.
    public var apiKey: String
    /// `User-Agent` header, e.g. `dispo/0.1.0`.
    public var userAgent: String
    /// Seconds one request (connect, send, full answer) may take before it fails. Recording downloads
    /// use `downloadTimeout` instead.
    public var requestTimeout: Double
    /// Seconds a recording download may take in all.
    public var downloadTimeout: Double
    /// Retries of GETs and of POSTs that were surely not sent.
    public var retry: RetryPolicy
    /// Self-imposed request budgets.
    public var pacing: PacingLimits
    /// Called (from any thread) with the seconds the client will wait before sending because of its own
    /// pacing; not called when no wait is needed.
    public var onPacingWait: (@Sendable (Double) -> Void)?
    /// Called (from any thread) before each retry.
    public var onRetry: (@Sendable (RetryNotice) -> Void)?
    /// Environment read for `HTTPS_PROXY` / `https_proxy`, `HTTP_PROXY` / `http_proxy` and `NO_PROXY` /
    /// `no_proxy`; nil reads the process environment.
    public var environment: [String: String]?
    /// Waits the given seconds; injectable so tests need not really wait. Throws on task cancellation.
    public var sleep: @Sendable (Double) async throws -> Void
    /// A monotonic clock in seconds, used for pacing; injectable for tests.
    public var clock: @Sendable () -> Double
    /// Returns a jitter factor in 0.5…1 for each backoff; injectable for tests.
    public var jitter: @Sendable () -> Double
    /// Page sizes learnt earlier, by endpoint path (`/calls` → `.size(50)`): list requests ask for no more.
    /// Per Amplemarket API the maximum page size is undocumented; a 400 naming `page[size]` makes the
    /// client step down 100 → 50 → 20 → none for that endpoint. Empty by default (learnt afresh per client).
    public var pageSizeLimits: [String: PageSizeLimit] = [:]
    /// Called (from any thread) when an endpoint refused a page size and the client stepped down, with the
    /// endpoint path and its new limit, so that it can be kept for the next run (the app keeps it in the
    /// state directory and passes it back as `pageSizeLimits`).
    public var onPageSizeLearnt: (@Sendable (String, PageSizeLimit) -> Void)?

    /// Creates a configuration. `requestTimeout` and `downloadTimeout` are seconds.
    public init(baseURL: String = ClientConfiguration.defaultBaseURL, apiKey: String,
                userAgent: String = "dispo/0.1.0", requestTimeout: Double = 30, downloadTimeout: Double = 600,
                retry: RetryPolicy = RetryPolicy(), pacing: PacingLimits = PacingLimits(),
                onPacingWait: (@Sendable (Double) -> Void)? = nil, onRetry: (@Sendable (RetryNotice) -> Void)? = nil,
                environment: [String: String]? = nil,
                sleep: @escaping @Sendable (Double) async throws -> Void = ClientConfiguration.realSleep,
                clock: @escaping @Sendable () -> Double = ClientConfiguration.monotonicSeconds,
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0.5...1) }) {
        self.baseURL = baseURL; self.apiKey = apiKey; self.userAgent = userAgent
        self.requestTimeout = requestTimeout; self.downloadTimeout = downloadTimeout
        self.retry = retry; self.pacing = pacing; self.onPacingWait = onPacingWait; self.onRetry = onRetry
        self.environment = environment; self.sleep = sleep; self.clock = clock; self.jitter = jitter
    }

    /// Sleeps for real, on an event loop's timer (`sleepOnEventLoop`), at most a day; throws
    /// `CancellationError` when the task is cancelled.
    public static let realSleep: @Sendable (Double) async throws -> Void = { seconds in
        guard seconds > 0 else { return }
        try await sleepOnEventLoop(seconds: min(seconds, 86_400))
    }

    /// Seconds on a monotonic clock (`ContinuousClock`), arbitrary origin.
    public static let monotonicSeconds: @Sendable () -> Double = {
        let d = ContinuousClock.now - ClientConfiguration.clockOrigin
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
    private static let clockOrigin = ContinuousClock.now
}

/// A validated base URL: scheme, host, port and path prefix (without trailing slash).
///
/// Per design.md §5: plain http is refused except on loopback.
struct BaseURL: Sendable, Hashable {
    var scheme: String
    /// Host as written in a URL (IPv6 in brackets).
    var hostForURL: String
    /// Host without brackets (for proxy and loopback checks).
    var host: String
    var port: Int?
    /// "" or "/prefix" (no trailing slash).
    var pathPrefix: String

    /// `scheme://host[:port]`.
    var origin: String { "\(scheme)://\(hostForURL)" + (port.map { ":\($0)" } ?? "") }

    /// Parses and checks a base URL; throws `APIFailure(kind: .configuration)` on anything unusable.
    init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        func bad(_ why: String) -> APIFailure {
            APIFailure(kind: .configuration, message: "The base URL is not usable: \(why)")
        }
        guard let comps = URLComponents(string: trimmed), let rawScheme = comps.scheme?.lowercased() else {
            throw bad("it is not a URL like https://api.amplemarket.com")
        }
        guard rawScheme == "https" || rawScheme == "http" else { throw bad("only https (or http on loopback) is supported") }
        guard comps.user == nil, comps.password == nil else { throw bad("it must not carry a user or password") }
        guard comps.query == nil, comps.fragment == nil else { throw bad("it must not carry a query or fragment") }
        var host = comps.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw bad("it has no host") }
        if rawScheme == "http", !BaseURL.isLoopback(host) {
            throw bad("plain http is allowed only on loopback (127.0.0.1, ::1, localhost); use https")
        }
        scheme = rawScheme
        self.host = host.lowercased()
        hostForURL = host.contains(":") ? "[\(host)]" : host
        if let p = comps.port, !(1...65535).contains(p) { throw bad("port \(p) is not a TCP port (1–65535)") }
        port = comps.port
        var path = comps.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        if !path.isEmpty, !path.hasPrefix("/") { path = "/" + path }
        pathPrefix = path
    }

    /// True for `localhost`, 127.0.0.0/8 and `::1`.
    static func isLoopback(_ host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" || h.hasSuffix(".localhost") { return true }
        if h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0] == "127", parts.allSatisfy({ UInt8($0) != nil }) { return true }
        return false
    }
}
