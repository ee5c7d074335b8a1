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
    /// How many calls the primary rep has in all (a large workspace to search and count: older calls are
    /// added before the seeded 90 days, about 110 a working day; see `SandboxWorkspace.needles`); nil
    /// (default): the seeded 900. Not an initializer parameter: set it on the value.
    public var primaryCalls: Int?

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
        self.primaryCalls = nil
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
