import Foundation

/// Injected failures, for testing the client's retries, outbox and offline handling.
///
/// Wire form (admin endpoints `GET`/`PUT /_sandbox/faults`): a JSON object with these camelCase keys;
/// `downUntil` is ISO 8601 (`2025-10-06T16:30:08Z`). Every key is optional on `PUT`; a missing key keeps
/// its default (0, nil). Faults apply to API requests only, never to `/_sandbox/` admin requests.
public struct SandboxFaults: Codable, Sendable, Equatable {
    /// Delay added before answering every API request, in milliseconds.
    public var latencyMilliseconds: Int
    /// Share (0…1) of API requests answered 500 or 503 (alternating) instead of being processed.
    public var serverErrorRate: Double
    /// Answer the next N API requests 429 with `Retry-After: retryAfterSeconds`, without processing them.
    public var rateLimitNext: Int
    /// Seconds written in `Retry-After` for `rateLimitNext` answers.
    public var retryAfterSeconds: Int
    /// Process the next N API requests fully (e.g. create the call), then close the connection
    /// without sending any response.
    public var dropAfterProcessingNext: Int
    /// While `Date() < downUntil`, every API request is refused by closing its connection at once
    /// (nothing is processed or recorded).
    public var downUntil: Date?
    /// Convenience for `PUT`: when set, the server replaces it with `downUntil = now + downForSeconds`
    /// (seconds) and stores nil here.
    public var downForSeconds: Double?

    /// All faults off by default (`retryAfterSeconds` defaults to 1).
    public init(
        latencyMilliseconds: Int = 0,
        serverErrorRate: Double = 0,
        rateLimitNext: Int = 0,
        retryAfterSeconds: Int = 1,
        dropAfterProcessingNext: Int = 0,
        downUntil: Date? = nil,
        downForSeconds: Double? = nil
    ) {
        self.latencyMilliseconds = latencyMilliseconds
        self.serverErrorRate = serverErrorRate
        self.rateLimitNext = rateLimitNext
        self.retryAfterSeconds = retryAfterSeconds
        self.dropAfterProcessingNext = dropAfterProcessingNext
        self.downUntil = downUntil
        self.downForSeconds = downForSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case latencyMilliseconds, serverErrorRate, rateLimitNext, retryAfterSeconds, dropAfterProcessingNext,
             downUntil, downForSeconds
    }

    /// Decodes leniently: each key may be missing (default kept); `downUntil` may be an ISO 8601 string
    /// whatever the decoder's date strategy.
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
    }

    /// Whether the server is "down" at `date`.
    public func isDown(at date: Date) -> Bool { downUntil.map { date < $0 } ?? false }
}
