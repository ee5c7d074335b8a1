import Foundation

/// Keeps the client under the account's request budgets (amplemarket-api.md §1, §7.5): at most `limit`
/// sends in any `window` seconds. A sliding-window log of the last `limit` send times: a new send is
/// scheduled no earlier than `window` seconds after the `limit`-th most recent one, which guarantees the
/// budget exactly (a token bucket refilled at the same rate would allow a burst on top of it).
///
/// Time is in seconds on the configuration's monotonic clock. Reservations are taken before waiting,
/// so concurrent callers queue fairly in arrival order.
actor Pacer {
    private struct Window {
        var limit: Int
        var window: Double
        /// Scheduled send times, ascending, at most `limit` kept.
        var times: [Double] = []

        /// Reserves the earliest slot at or after `now`; returns that time.
        mutating func reserve(now: Double) -> Double {
            var t = now
            if times.count >= limit {
                t = max(now, times[times.count - limit] + window)
            }
            times.append(t)
            if times.count > limit { times.removeFirst(times.count - limit) }
            return t
        }
    }

    private var requests: Window
    private var recordings: Window

    init(limits: PacingLimits) {
        requests = Window(limit: limits.requestsPerWindow, window: limits.requestWindow)
        recordings = Window(limit: limits.recordingsPerWindow, window: limits.recordingWindow)
    }

    /// Reserves one request slot; returns the seconds to wait before sending (0 when none).
    func reserveRequest(now: Double) -> Double {
        max(0, requests.reserve(now: now) - now)
    }

    /// Reserves one recording-download slot (the request slot is reserved separately, after this wait);
    /// returns the seconds to wait.
    func reserveRecording(now: Double) -> Double {
        max(0, recordings.reserve(now: now) - now)
    }
}
