import Foundation

/// Mutable server-side state other than the workspace: recorded requests, faults, rate-limit windows.
actor SandboxServerState {
    private(set) var faults: SandboxFaults
    private var recorded: [RecordedRequest] = []
    private var requestTimes: [String: [Date]] = [:]
    private var recordingTimes: [String: [Date]] = [:]
    private var faultRandom: SandboxRandom
    private var nextServerErrorIs503 = false
    private let requestsPerMinute: Int
    private let recordingsPerHour: Int

    /// The server's clock and `Retry-After` form, kept in step with `faults`.
    nonisolated let time = ServerTime()
    /// API requests counted for `failEveryNth` since the faults were last set.
    private var countedSinceSet = 0

    init(configuration: SandboxConfiguration) {
        faults = SandboxFaults()
        faultRandom = SandboxRandom(seed: configuration.seed ^ 0x5EED_FA17)
        requestsPerMinute = configuration.requestsPerMinute
        recordingsPerHour = configuration.recordingsPerHour
        faults = configuration.faults.normalized(now: Date())
        time.update(from: faults)
    }

    // MARK: Recorded requests

    func record(_ request: RecordedRequest) { recorded.append(request) }
    func recordedRequests() -> [RecordedRequest] { recorded }
    func clearRecordedRequests() { recorded.removeAll() }

    // MARK: Faults

    /// Replaces the faults with `newFaults` normalized (`downForSeconds` becomes `downUntil = now +
    /// downForSeconds`) and restarts the `failEveryNth` count.
    func setFaults(_ newFaults: SandboxFaults, now: Date) {
        faults = newFaults.normalized(now: now)
        countedSinceSet = 0
        time.update(from: faults)
    }

    /// What the faults make of one API request, decided when it arrives.
    struct Decision: Sendable {
        /// Refuse: close the connection without answering (server "down").
        var down = false
        var latencyMilliseconds = 0
        /// Answer this instead of processing.
        var injected: APIError?
        /// Answer 429 instead of processing, with a `Retry-After` of this many seconds, written when the
        /// answer goes out (after the latency) in the form `ServerTime` says.
        var rateLimitedSeconds: Int?
        /// Process, then close the connection without answering.
        var dropAfterProcessing = false
        /// `POST /calls` only: hold this long before processing, in milliseconds.
        var postLatencyMilliseconds = 0
    }

    /// Decides the faults for an API request (`method`, `path`) arriving at `now` (real clock), consuming
    /// one unit of each counted fault that applies to it; precedence as documented on `SandboxFaults`.
    func decide(now: Date, method: String = "GET", path: String = "/") -> Decision {
        var d = Decision()
        if faults.isDown(at: now) { d.down = true; return d }
        d.latencyMilliseconds = faults.latencyMilliseconds
        d.postLatencyMilliseconds = faults.postLatencyMilliseconds
        countedSinceSet += 1
        if let refused = faults.forbiddenPath(covering: path) {
            d.injected = APIError(status: 403, code: "forbidden", title: "Forbidden",
                                  detail: "This API key does not have access to \(refused) (sandbox fault)")
            return d
        }
        if faults.failEveryNth > 0, countedSinceSet % faults.failEveryNth == 0 {
            d.injected = APIError(status: 503, code: "service_unavailable", title: "Service Unavailable",
                                  detail: "The service is temporarily unavailable (sandbox fault: every \(faults.failEveryNth) requests)")
            return d
        }
        if faults.rateLimitNext > 0, faults.rateLimits(method: method) {
            faults.rateLimitNext -= 1
            d.rateLimitedSeconds = faults.retryAfterSeconds
            return d
        }
        if faults.serverErrorRate > 0, Double.random(in: 0..<1, using: &faultRandom) < faults.serverErrorRate {
            nextServerErrorIs503.toggle()
            d.injected = nextServerErrorIs503
                ? APIError(status: 503, code: "service_unavailable", title: "Service Unavailable",
                           detail: "The service is temporarily unavailable (sandbox fault)")
                : APIError(status: 500, code: "internal_server_error", title: "Internal Server Error",
                           detail: "Something went wrong (sandbox fault)")
            return d
        }
        if faults.dropAfterProcessingNext > 0 {
            faults.dropAfterProcessingNext -= 1
            d.dropAfterProcessing = true
        }
        return d
    }

    // MARK: Rate limits (per Amplemarket API: 500 requests/minute, 50 recordings/hour)

    /// Counts a request for `key`; returns the `Retry-After` seconds if it is over the per-minute limit
    /// (over-limit requests are not counted).
    func admitRequest(key: String, now: Date) -> Int? {
        admit(&requestTimes, key: key, now: now, window: 60, limit: requestsPerMinute)
    }

    /// Same for recording downloads, per hour.
    func admitRecording(key: String, now: Date) -> Int? {
        admit(&recordingTimes, key: key, now: now, window: 3_600, limit: recordingsPerHour)
    }

    private func admit(_ table: inout [String: [Date]], key: String, now: Date, window: TimeInterval,
                       limit: Int) -> Int? {
        var times = table[key, default: []]
        times.removeAll { now.timeIntervalSince($0) >= window }
        if times.count >= limit {
            table[key] = times
            let wait = window - now.timeIntervalSince(times[0])
            return max(1, Int(wait.rounded(.up)))
        }
        times.append(now)
        table[key] = times
        return nil
    }
}
