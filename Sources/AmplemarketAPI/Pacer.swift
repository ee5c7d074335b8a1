import Foundation

/// Keeps the client under the account's request budgets as the SERVER counts them (amplemarket-api.md
/// §1, §7.5): at most `limit` requests ARRIVING in any `window` seconds.
///
/// The server counts arrivals, and a request arrives some time after it is sent: in the connection
/// pool, connecting, on the wire. Pacing by send times alone lets a slow request and a fast one sent a
/// window later arrive less than a window apart. So each request is counted over the whole span its
/// arrival may lie in: from its slot until its answer came back (a server answers only what it has
/// received), or `unansweredMargin` seconds after it failed without an answer. A new request may go at
/// `t` only when fewer than `limit` requests may have arrived after `t − window`; a request still in
/// flight may arrive at any time and always counts.
///
/// Why that is enough: take any `window` at the server holding `limit + 1` arrivals, and the one of
/// them whose slot `t` was decided last. It arrived after `t` and inside the window, so the window
/// starts after `t − window`, and every other one arrived after that. When `t` was decided each of
/// those was in flight or had finished after its arrival: `limit` of them were counted, and `t` would
/// not have been granted.
///
/// Time is seconds on the configuration's monotonic clock. Slots are taken before waiting, so
/// concurrent callers queue in arrival order; when `limit` requests are in flight at once, the next
/// waits for one of them to finish.
actor Pacer {
    /// One counted request: its slot and, once it finished, the latest time it may have arrived.
    private struct Span { var slot: Double; var latestArrival: Double = .infinity }

    /// The budget of one kind of request.
    private struct Budget {
        var limit: Int
        var window: Double
        var spans: [Int: Span] = [:]

        /// The earliest slot at or after `now`, or nil when `limit` requests are in flight (wait for one
        /// to finish). Forgets spans that can no longer matter.
        mutating func slot(now: Double) -> Double? {
            spans = spans.filter { $0.value.latestArrival > now - window }
            guard spans.count >= limit else { return now }
            let latest = spans.values.map(\.latestArrival).sorted(by: >)
            let bound = latest[limit - 1]
            return bound.isFinite ? max(now, bound + window) : nil
        }
    }

    /// A granted slot, to be handed back to `finish` (or `release`, when it was never used).
    struct Ticket: Sendable, Hashable {
        fileprivate let id: Int
        fileprivate let recording: Bool
    }

    private var requests: Budget
    private var recordings: Budget
    private let unansweredMargin: Double
    private var nextID = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limits: PacingLimits) {
        requests = Budget(limit: limits.requestsPerWindow, window: limits.requestWindow)
        recordings = Budget(limit: limits.recordingsPerWindow, window: limits.recordingWindow)
        unansweredMargin = limits.unansweredMargin
    }

    /// Takes a request slot (a recording-download slot when `recording`) at or after `now`: the ticket
    /// and the slot's time, or nil when the budget is full of requests still in flight (call
    /// `waitForAFinish`, then ask again).
    func reserve(recording: Bool, now: Double) -> (ticket: Ticket, at: Double)? {
        guard let at = recording ? recordings.slot(now: now) : requests.slot(now: now) else { return nil }
        nextID += 1
        let ticket = Ticket(id: nextID, recording: recording)
        if recording { recordings.spans[ticket.id] = Span(slot: at) } else { requests.spans[ticket.id] = Span(slot: at) }
        return (ticket, at)
    }

    /// The request of `ticket` is over at `now`: `answered` when an answer (any status) came back, so
    /// it arrived before `now`; else it may still arrive up to `unansweredMargin` later.
    func finish(_ ticket: Ticket, now: Double, answered: Bool) {
        let latest = answered ? now : now + unansweredMargin
        if ticket.recording { recordings.spans[ticket.id]?.latestArrival = latest }
        else { requests.spans[ticket.id]?.latestArrival = latest }
        wakeWaiters()
    }

    /// The request of `ticket` was never sent (cancelled while waiting for its slot): it does not count.
    func release(_ ticket: Ticket) {
        if ticket.recording { recordings.spans[ticket.id] = nil } else { requests.spans[ticket.id] = nil }
        wakeWaiters()
    }

    /// Returns once any request finishes or is released (or at once when the task is cancelled).
    func waitForAFinish() async {
        await withCheckedContinuation { c in
            if Task.isCancelled { c.resume() } else { waiters.append(c) }
        }
    }

    /// Wakes every `waitForAFinish` caller (the runtime's cancellation path uses it too).
    func wakeWaiters() {
        let all = waiters
        waiters.removeAll()
        for w in all { w.resume() }
    }
}
