import Foundation

/// Injected failures, for testing the client's retries, outbox and offline handling.
///
/// Wire form (admin endpoints `GET`/`PUT /_sandbox/faults`): a JSON object with these camelCase keys;
/// `downUntil` is ISO 8601 (`2025-10-06T16:30:08Z`). Every key is optional on `PUT`, which replaces the
/// faults in force: a missing key takes its default (off), it does not keep an earlier value. Faults apply
/// to API requests only, never to `/_sandbox/` admin requests — except `clockSkewSeconds`, which moves the
/// `Date` header of every response.
///
/// When several faults could answer one request, the first that applies wins: `downUntil`,
/// `forbiddenPaths`, `failEveryNth`, `rateLimitNext`, `serverErrorRate`; `latencyMilliseconds` is waited before any of these
/// answers (not before a "down" refusal) and `dropAfterProcessingNext` applies to requests they let through.
public struct SandboxFaults: Codable, Sendable, Equatable {
    /// Delay added before answering every API request, in milliseconds.
    public var latencyMilliseconds: Int
    /// Share (0…1) of API requests answered 500 or 503 (alternating) instead of being processed.
    public var serverErrorRate: Double
    /// Answer the next N API requests 429 with `Retry-After: retryAfterSeconds`, without processing them.
    public var rateLimitNext: Int
    /// Seconds written in `Retry-After` for `rateLimitNext` answers.
    public var retryAfterSeconds: Int
    /// When not empty, `rateLimitNext` answers (and counts down on) only requests with one of these
    /// methods (`["POST"]`, compared without regard to case); other requests pass it by. Empty (default):
    /// every API request.
    public var rateLimitMethods: [String]
    /// Process the next N API requests fully (e.g. create the call), then close the connection
    /// without sending any response.
    public var dropAfterProcessingNext: Int
    /// While `Date() < downUntil`, every API request is refused by closing its connection at once
    /// (nothing is processed or recorded). Compared with the real clock, not the skewed one.
    public var downUntil: Date?
    /// Convenience for `PUT`: when set, the server replaces it with `downUntil = now + downForSeconds`
    /// (seconds) and stores nil here.
    public var downForSeconds: Double?
    /// `POST /calls` only: hold each request this many milliseconds before processing it (after auth and
    /// the rate limit, before validation). The call is created only when the hold ends, even if the
    /// client has gone away meanwhile; other requests, `GET`s included, are not held. Adds to
    /// `latencyMilliseconds`. 0 (default) is off.
    public var postLatencyMilliseconds: Int
    /// How far the server's clock runs ahead of the real one, in seconds (negative: behind). The server
    /// reads this clock for everything it stamps or compares with "now": a created call's `start_date`, a
    /// task's `finished_on` (complete, skip, `complete` disposition), the current hour of the
    /// `contact_local_time_*` task filters, `Retry-After` dates and the `Date` header of every response.
    /// Stored dates are compared as they are (`start_date_from` / `_to`). Rate-limit windows, `downUntil`,
    /// the seeded workspace and recorded requests stay on the real clock. Clamped to ±100 years; 0 is off.
    public var clockSkewSeconds: Double
    /// When true, every `Retry-After` the sandbox writes (`rateLimitNext` answers, the per-minute request
    /// limit, the per-hour recording limit) is an HTTP date (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`)
    /// on the server's (skewed) clock — now plus the wait, rounded up to a whole second — instead of
    /// delta-seconds. False (default): delta-seconds.
    public var retryAfterAsDate: Bool
    /// Answer every Nth API request 503 `service_unavailable` without processing it, counting from when
    /// the faults were last set (N = 2: the 2nd, 4th, … request after the `PUT` or `setFaults`). Every API
    /// request that is not refused by `downUntil` counts, whatever answers it. 0 (default) is off.
    public var failEveryNth: Int
    /// API requests to one of these paths, or under one (`/calls` covers `/calls/dispositions` and
    /// `/calls/{id}/recording`), are answered 403 `forbidden` with a detail that explains it, as for a key
    /// without access to that resource; nothing is processed. Empty (default) is off.
    public var forbiddenPaths: [String]

    /// All faults off by default (`retryAfterSeconds` defaults to 1).
    public init(
        latencyMilliseconds: Int = 0,
        serverErrorRate: Double = 0,
        rateLimitNext: Int = 0,
        retryAfterSeconds: Int = 1,
        rateLimitMethods: [String] = [],
        dropAfterProcessingNext: Int = 0,
        downUntil: Date? = nil,
        downForSeconds: Double? = nil,
        postLatencyMilliseconds: Int = 0,
        clockSkewSeconds: Double = 0,
        retryAfterAsDate: Bool = false,
        failEveryNth: Int = 0,
        forbiddenPaths: [String] = []
    ) {
        self.latencyMilliseconds = latencyMilliseconds
        self.serverErrorRate = serverErrorRate
        self.rateLimitNext = rateLimitNext
        self.retryAfterSeconds = retryAfterSeconds
        self.rateLimitMethods = rateLimitMethods
        self.dropAfterProcessingNext = dropAfterProcessingNext
        self.downUntil = downUntil
        self.downForSeconds = downForSeconds
        self.postLatencyMilliseconds = postLatencyMilliseconds
        self.clockSkewSeconds = clockSkewSeconds
        self.retryAfterAsDate = retryAfterAsDate
        self.failEveryNth = failEveryNth
        self.forbiddenPaths = forbiddenPaths
    }

    fileprivate enum CodingKeys: String, CodingKey {
        case latencyMilliseconds, serverErrorRate, rateLimitNext, retryAfterSeconds, dropAfterProcessingNext,
             downUntil, downForSeconds, postLatencyMilliseconds, clockSkewSeconds, retryAfterAsDate, failEveryNth,
             forbiddenPaths, rateLimitMethods
    }

    /// Decodes leniently: each key may be missing (default kept); `downUntil` may be an ISO 8601 string
    /// whatever the decoder's date strategy. The newer keys (`postLatencyMilliseconds`,
    /// `clockSkewSeconds`, `retryAfterAsDate`, `failEveryNth`) may also be null (default), a number
    /// written as a string (`"250"`), a whole number written with a fraction (`250.0`), and for the flag
    /// `0` / `1` or `"true"` / `"false"`; `forbiddenPaths` and `rateLimitMethods` may be null (none) or one
    /// string; a value of another kind is a decoding error.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        latencyMilliseconds = try c.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
        serverErrorRate = try c.decodeIfPresent(Double.self, forKey: .serverErrorRate) ?? 0
        rateLimitNext = try c.decodeIfPresent(Int.self, forKey: .rateLimitNext) ?? 0
        retryAfterSeconds = try c.decodeIfPresent(Int.self, forKey: .retryAfterSeconds) ?? 1
        dropAfterProcessingNext = try c.decodeIfPresent(Int.self, forKey: .dropAfterProcessingNext) ?? 0
        if let text = try? c.decodeIfPresent(String.self, forKey: .downUntil) {
            downUntil = WireDate.parse(text)  // ISO 8601, whatever the decoder's date strategy
        } else {
            downUntil = try c.decodeIfPresent(Date.self, forKey: .downUntil)
        }
        downForSeconds = try c.decodeIfPresent(Double.self, forKey: .downForSeconds)
        postLatencyMilliseconds = try Lenient.int(c, .postLatencyMilliseconds) ?? 0
        clockSkewSeconds = try Lenient.double(c, .clockSkewSeconds) ?? 0
        retryAfterAsDate = try Lenient.bool(c, .retryAfterAsDate) ?? false
        failEveryNth = try Lenient.int(c, .failEveryNth) ?? 0
        forbiddenPaths = try Lenient.strings(c, .forbiddenPaths) ?? []
        rateLimitMethods = try Lenient.strings(c, .rateLimitMethods) ?? []
    }

    /// Whether `rateLimitNext` applies to a request with `method`.
    func rateLimits(method: String) -> Bool {
        rateLimitMethods.isEmpty || rateLimitMethods.contains { $0.caseInsensitiveCompare(method) == .orderedSame }
    }

    /// The entry of `forbiddenPaths` that `path` is, or lies under; nil when none covers it.
    func forbiddenPath(covering path: String) -> String? {
        forbiddenPaths.first { p in
            let base = p.hasSuffix("/") ? String(p.dropLast()) : p
            return !base.isEmpty && (path == base || path.hasPrefix(base + "/"))
        }
    }

    /// Whether the server is "down" at `date`.
    public func isDown(at date: Date) -> Bool { downUntil.map { date < $0 } ?? false }

    /// Largest `clockSkewSeconds` either way: 100 years of 365.25 days, in seconds.
    public static let maximumClockSkewSeconds: Double = 100 * 365.25 * 86_400

    /// These faults with every value brought into range: the error rate into 0…1, counts, delays and N to
    /// at least 0, `clockSkewSeconds` to ±`maximumClockSkewSeconds` (NaN becomes 0), and `downForSeconds`
    /// turned into `downUntil = now + downForSeconds` (`now` on the real clock). The server keeps only
    /// normalized faults.
    func normalized(now: Date) -> SandboxFaults {
        var f = self
        if let seconds = f.downForSeconds {
            f.downUntil = now.addingTimeInterval(seconds)
            f.downForSeconds = nil
        }
        f.serverErrorRate = min(1, max(0, f.serverErrorRate))
        f.latencyMilliseconds = max(0, f.latencyMilliseconds)
        f.rateLimitNext = max(0, f.rateLimitNext)
        f.dropAfterProcessingNext = max(0, f.dropAfterProcessingNext)
        f.retryAfterSeconds = max(0, f.retryAfterSeconds)
        f.postLatencyMilliseconds = max(0, f.postLatencyMilliseconds)
        f.failEveryNth = max(0, f.failEveryNth)
        let limit = Self.maximumClockSkewSeconds
        f.clockSkewSeconds = f.clockSkewSeconds.isNaN ? 0 : min(limit, max(-limit, f.clockSkewSeconds))
        return f
    }
}

/// Lenient readers for fault keys: null or missing is nil; numbers may come as strings.
private enum Lenient {
    typealias Container = KeyedDecodingContainer<SandboxFaults.CodingKeys>

    static func double(_ c: Container, _ key: SandboxFaults.CodingKeys) throws -> Double? {
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        if let d = try? c.decode(Double.self, forKey: key) { return d }
        if let text = try? c.decode(String.self, forKey: key),
           let d = Double(text.trimmingCharacters(in: .whitespaces)) { return d }
        throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "expected a number")
    }

    static func int(_ c: Container, _ key: SandboxFaults.CodingKeys) throws -> Int? {
        guard let d = try double(c, key) else { return nil }
        guard d.rounded() == d, let i = Int(exactly: d) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "expected a whole number")
        }
        return i
    }

    static func strings(_ c: Container, _ key: SandboxFaults.CodingKeys) throws -> [String]? {
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        if let list = try? c.decode([String].self, forKey: key) { return list }
        if let one = try? c.decode(String.self, forKey: key) { return [one] }
        throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "expected a list of strings")
    }

    static func bool(_ c: Container, _ key: SandboxFaults.CodingKeys) throws -> Bool? {
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        if let b = try? c.decode(Bool.self, forKey: key) { return b }
        if let i = try? c.decode(Int.self, forKey: key), i == 0 || i == 1 { return i == 1 }
        if let text = try? c.decode(String.self, forKey: key) {
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: break
            }
        }
        throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "expected true or false")
    }
}
