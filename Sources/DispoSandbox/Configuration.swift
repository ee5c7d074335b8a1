import Foundation
import Logging

/// How the sandbox treats the undocumented `notes` field of `POST /calls` (per Amplemarket API: the
/// documented body has no `notes`; the client must cope with a server that stores, drops or rejects it).
public enum NotesMode: String, Sendable, Codable, CaseIterable {
    /// Store the notes and echo them in the created call.
    case store
    /// Accept the field but echo `notes: null` (the notes were not stored).
    case drop
    /// Reject any non-null `notes` with 422 `unsupported_value`, `source.pointer: "/notes"`.
    case reject
}

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

/// Everything the sandbox server needs to start. All values are defaulted.
public struct SandboxConfiguration: Sendable {
    /// The Bearer token the sandbox accepts by default: `"sandbox-key"`.
    public static let defaultAPIKey: String = "sandbox-key"
    /// The seed used when none is given (any fixed value). Seeded ids depend on the seed only, so they are
    /// the same on every launch; dates depend on the seed and `now`.
    public static let defaultSeed: UInt64 = 0x00D1_5B0_5EED

    /// Interface to bind; default `"127.0.0.1"` (loopback only).
    public var host: String
    /// TCP port; 0 (default) picks a free port, read it back from `SandboxServer.port`.
    public var port: Int
    /// The only accepted `Authorization: Bearer <key>`; anything else gets 401 `unauthorized`.
    public var apiKey: String
    /// Seed of the deterministic PRNG that builds the workspace. Every seeded id (users, mailboxes,
    /// dispositions, tasks, contacts, calls, account) depends on it alone.
    public var seed: UInt64
    /// Clock anchor for seeding: calls are spread over the 90 days before it, task due dates around it.
    /// Moves dates only, never ids.
    public var now: Date
    /// `Content-Type` of JSON responses: `"application/json"` (default) or e.g. `"application/vnd.amp+json"`
    /// (the Amplemarket docs name both).
    public var mediaType: String
    /// When true, every JSON object written gets extra undocumented fields (clients must ignore unknown fields).
    public var extraFields: Bool
    /// Treatment of `notes` in `POST /calls`.
    public var notesMode: NotesMode
    /// Faults active from the start (changeable later through `PUT /_sandbox/faults` or `SandboxServer.setFaults`).
    public var faults: SandboxFaults
    /// Requests per minute per key before 429 (per Amplemarket API: 500).
    public var requestsPerMinute: Int
    /// Recording downloads per hour per key before 429 (per Amplemarket API: 50).
    public var recordingsPerHour: Int
    /// Where the HTTP server logs; nil (default) logs nothing (the TUI owns the terminal).
    public var logger: Logger?
    /// Path of a JSON file that keeps what requests changed across restarts; nil (default) keeps the
    /// workspace in memory only. When set, every change — each call created by `POST /calls`, each task
    /// completed or skipped (status, `finished_on`, sequence-lead-completed flag, also through a `complete`
    /// disposition) — is saved to it before the response is sent (mode `0600`, written atomically:
    /// temporary file, `fsync`, rename; parent directory created `0700` if missing), and it is replayed on
    /// top of the seeded workspace at start. A file that cannot be used is moved aside to
    /// `<stateFile>.bad-<UTC yyyyMMdd'T'HHmmss'Z'>`, the sandbox starts from the seed and
    /// `SandboxServer.notice` says so. Processes sharing the file merge their changes (see `SandboxWorkspace`).
    /// Not an initializer parameter (that would change the initializer's symbol): set it on the value.
    public var stateFile: String?

    /// Creates a configuration; every parameter has the documented default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        apiKey: String = SandboxConfiguration.defaultAPIKey,
        seed: UInt64 = SandboxConfiguration.defaultSeed,
        now: Date = Date(),
        mediaType: String = "application/json",
        extraFields: Bool = false,
        notesMode: NotesMode = .store,
        faults: SandboxFaults = SandboxFaults(),
        requestsPerMinute: Int = 500,
        recordingsPerHour: Int = 50,
        logger: Logger? = nil
    ) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.seed = seed
        self.now = now
        self.mediaType = mediaType
        self.extraFields = extraFields
        self.notesMode = notesMode
        self.faults = faults
        self.requestsPerMinute = requestsPerMinute
        self.recordingsPerHour = recordingsPerHour
        self.logger = logger
        self.stateFile = nil
    }
}

/// One API request as the sandbox received it (admin `/_sandbox/` requests are not recorded).
public struct RecordedRequest: Sendable, Codable, Equatable {
    /// HTTP method, upper case (`GET`, `POST`).
    public var method: String
    /// Path as sent, without the query (`/calls`, `/tasks/<id>/complete`).
    public var path: String
    /// Raw query string as sent, without `?` (nil when there was none).
    public var query: String?
    /// Request body as UTF-8 text (nil when empty or not valid UTF-8).
    public var body: String?
    /// When the sandbox received it.
    public var receivedAt: Date

    /// Memberwise initializer.
    public init(method: String, path: String, query: String?, body: String?, receivedAt: Date) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.receivedAt = receivedAt
    }
}
