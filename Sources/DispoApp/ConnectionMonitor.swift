import AmplemarketAPI
import AmplemarketModels
import DispoViewModel
import Foundation

/// The connection state the header shows, kept from the outcome of every request.
///
/// - online: the last request was answered (a 4xx counts: the server is there).
/// - keyRejected: a 401 (or a 403 without explanation) — the key is rejected everywhere; refused(why): a
///   403 that explains itself. Either stays for the rest of the run (later answers do not make it
///   `online`); an outage still shows as offline, and once the server is back the refusal shows again.
/// - retrying(attempt): the client is retrying a request (5xx, 429), or the outbox waits to re-send.
/// - offline(why): the server could not be reached (connect refused, connection dropped, no answer,
///   or 5xx after every retry). A probe then runs (`probe`, waiting `delays[i]` seconds before try i,
///   the last delay repeating) until the server answers; `onRecovered(true)` follows.
///
/// Each change is posted as `Msg.connectionChanged`. An actor: requests report from many tasks at once,
/// and each report, the probe's included, is taken in whole before the next.
actor ConnectionMonitor {
    /// The state now.
    private(set) var state: ConnectionState = .online
    /// The key rejection or refusal seen, if any: what an answered request returns to instead of online.
    private var refusal: ConnectionState?
    private var probeTask: Task<Void, Never>?
    private var stopped = false
    private let post: @Sendable (Msg) -> Void
    private let delays: [Double]
    private let probe: @Sendable () async -> Bool
    private let onRecovered: @Sendable (Bool) -> Void

    /// - Parameters:
    ///   - post: delivers `Msg.connectionChanged` to the UI.
    ///   - delays: seconds to wait before each probe (the last one repeats; empty means 1 s).
    ///   - probe: asks the server once; true when it answered (whatever the answer).
    ///   - onRecovered: called when the server answers after being offline (`true`) or after retries
    ///     (`false`), after `.connectionChanged(.online)` was posted.
    init(post: @escaping @Sendable (Msg) -> Void, delays: [Double], probe: @escaping @Sendable () async -> Bool,
         onRecovered: @escaping @Sendable (Bool) -> Void) {
        self.post = post
        self.delays = delays.isEmpty ? [1] : delays
        self.probe = probe
        self.onRecovered = onRecovered
    }

    /// True while the server cannot be reached.
    var isOffline: Bool { if case .offline = state { return true } else { return false } }

    /// True for failures that mean "no usable server": not reached, no answer, 5xx.
    static func isOutage(_ f: APIFailure) -> Bool { f.kind == .notSent || f.kind == .uncertain || f.kind == .server }

    /// A request was answered: online, the probe stops, and `onRecovered` hears whether the server had
    /// been unreachable or only retried.
    func reached() {
        let answered = refusal ?? .online
        guard state != answered else { return }
        let previous = state
        state = answered
        probeTask?.cancel(); probeTask = nil
        post(.connectionChanged(answered))
        switch previous {
        case .offline: onRecovered(true)
        case .retrying: onRecovered(false)
        case .online, .keyRejected, .refused: break  // nothing was waiting for the server
        }
    }

    /// Takes a failed request into account: an outage means offline, 429 retrying, a local problem
    /// nothing, a rejected key or a refusal that (see `refused`), any other answer (404, 422…) online.
    func observe(_ f: APIFailure) {
        switch f.kind {
        case .notSent, .uncertain, .server: unreachable(f)
        case .rateLimited: retrying(attempt: 1)
        case .configuration: break  // local: says nothing about the server
        case .unauthorized: refused(.keyRejected)
        case .forbidden: refused(.refused(f.message))
        default: reached()          // the server answered
        }
    }

    /// The server rejected the key or refused a request: that state from now on (a rejected key is not
    /// replaced by a later refusal). The server answered, so a probe stops.
    func refused(_ what: ConnectionState) {
        if refusal != .keyRejected { refusal = what }
        reached()
    }

    /// The client is about to retry: "retrying" — unless already offline for lack of a server, which a
    /// retry of the same kind does not change.
    func retrying(_ notice: RetryNotice) {
        if isOffline && Self.isOutage(notice.failure) { return }
        retrying(attempt: notice.failedAttempt)
    }

    /// A request is being retried (`attempt` counts from 1); ignored while offline.
    func retrying(attempt: Int) {
        if case .offline = state { return }
        if state == .retrying(attempt: attempt) { return }
        state = .retrying(attempt: attempt)
        post(.connectionChanged(.retrying(attempt: attempt)))
    }

    /// The server cannot be reached: offline (saying why), and the probe starts. Ignored after `stop`.
    func unreachable(_ f: APIFailure) {
        if stopped { return }
        if case .offline = state { return }
        let why: String
        switch f.kind {
        case .notSent: why = "cannot reach the server"
        case .server: why = "server errors" + (f.status.map { " (HTTP \($0))" } ?? "")
        default: why = "no answer from the server"
        }
        state = .offline(why)
        if probeTask == nil { probeTask = Task { [weak self] in await self?.probeLoop() } }
        post(.connectionChanged(.offline(why)))
    }

    /// Stops probing for good (app exit).
    func stop() {
        stopped = true
        probeTask?.cancel(); probeTask = nil
    }

    private func probeLoop() async {
        var i = 0
        while !Task.isCancelled {
            let delay = delays[min(i, delays.count - 1)]
            i += 1
            do { try await sleepOnEventLoop(seconds: delay) } catch { return }
            guard isOffline else { return }
            if await probe() {
                // Cancelled while asking: a request was answered meanwhile (or the app is exiting), and
                // any newer probe is not this one's to clear.
                if Task.isCancelled { return }
                probeTask = nil
                reached()
                return
            }
        }
    }
}
