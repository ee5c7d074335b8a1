import Foundation

/// How far the server's clock is from ours: `lower ≤ (server clock − our clock) ≤ upper`, in seconds
/// (positive when the server is ahead). Bounds, not a guess: the true offset lies between them.
public struct ClockSkew: Sendable, Hashable, CustomStringConvertible {
    /// The smallest offset the measurements allow, seconds.
    public var lower: Double
    /// The largest offset the measurements allow, seconds (≥ `lower`).
    public var upper: Double

    /// Bounds in seconds; swapped when given the wrong way round.
    public init(lower: Double, upper: Double) {
        self.lower = min(lower, upper); self.upper = max(lower, upper)
    }

    /// The middle of the bounds, seconds: the best single value.
    public var estimate: Double { (lower + upper) / 2 }
    /// Half the width of the bounds, seconds: how far `estimate` may be off.
    public var uncertainty: Double { (upper - lower) / 2 }

    public var description: String {
        String(format: "%+.1f s ± %.1f s", estimate, uncertainty)
    }
}

/// The server's clock, measured from its answers; one per `AmplemarketClient`, so the TUI's loads, the
/// scripting commands and the outbox's look-ups share every measurement (`AmplemarketClient.serverClock`).
///
/// Each answer bounds the offset with the request's send and receive times on our wall clock:
/// - its `Date` header: written by the server between our send and our receipt, at one-second
///   resolution (RFC 9110 §6.6.1: an origin server with a clock sends it on every answer);
/// - the `start_date` of a call the server just created (`POST /calls`): per Amplemarket API the server
///   sets it, to the second, at creation — or, read as the call's start, up to its duration earlier.
///
/// Measurements are intersected, so more answers give tighter bounds. One that cannot be true together
/// with the bounds so far (a clock was stepped) widens them to cover both: the bounds never exclude the
/// offset the server really has, which the outbox's look-up window depends on.
public final class ServerClock: @unchecked Sendable {
    private let lock = NSLock()
    private var bounds: ClockSkew?
    private var count = 0

    /// A clock with nothing measured yet.
    public init() {}

    /// The offset measured so far; nil before any answer could be used.
    public var skew: ClockSkew? { lock.withLock { bounds } }

    /// How many measurements were taken (answers with a usable `Date`, calls created).
    public var measurements: Int { lock.withLock { count } }

    /// The server's clock at our instant `date`, best value (`date + skew.estimate`); nil when nothing
    /// was measured.
    public func serverTime(at date: Date = Date()) -> Date? {
        skew.map { date.addingTimeInterval($0.estimate) }
    }

    /// What the server's clock showed while ours went from `from` to `to`: every instant the server's
    /// clock may have shown, given the bounds (`from + lower … to + upper`); nil when nothing was measured.
    public func serverInterval(from: Date, to: Date) -> ClosedRange<Date>? {
        guard let s = skew else { return nil }
        let start = from.addingTimeInterval(s.lower), end = max(from, to).addingTimeInterval(s.upper)
        return start...max(start, end)
    }

    /// Takes an answer's `Date` header (an HTTP date; anything else is ignored). `sentAt` and
    /// `receivedAt` are our wall clock when the request left and when the answer's head arrived. The
    /// header's date is the server's clock truncated to the second, and caches (one second) may age it.
    public func observe(dateHeader: String?, sentAt: Date, receivedAt: Date) {
        guard let text = dateHeader, let date = HTTPDate.parse(text) else { return }
        observe(serverTimeFrom: date, to: date.addingTimeInterval(2), between: sentAt, and: receivedAt)
    }

    /// Takes the `start_date` of a call the server created while the `POST /calls` was in flight
    /// (`sentAt` to `receivedAt`, our wall clock). `backdatedUpTo` (seconds, the call's duration) allows a
    /// server that stamps the call's start rather than its creation.
    public func observe(createdStartDate date: Date, backdatedUpTo: Double, sentAt: Date, receivedAt: Date) {
        observe(serverTimeFrom: date.addingTimeInterval(-1), to: date.addingTimeInterval(max(0, backdatedUpTo) + 1),
                between: sentAt, and: receivedAt)
    }

    /// Takes one measurement: at some instant between our `sent` and `received`, the server's clock
    /// showed a time between `low` and `high`.
    func observe(serverTimeFrom low: Date, to high: Date, between sent: Date, and received: Date) {
        let received = max(sent, received)
        let sample = ClockSkew(lower: low.timeIntervalSince(received), upper: high.timeIntervalSince(sent))
        lock.withLock {
            count += 1
            guard let b = bounds else { bounds = sample; return }
            let lower = max(b.lower, sample.lower), upper = min(b.upper, sample.upper)
            if lower <= upper {
                bounds = ClockSkew(lower: lower, upper: upper)
            } else {
                bounds = ClockSkew(lower: min(b.lower, sample.lower), upper: max(b.upper, sample.upper))
            }
        }
    }

    /// Forgets every measurement.
    public func reset() { lock.withLock { bounds = nil; count = 0 } }
}
