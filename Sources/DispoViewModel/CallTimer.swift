import Foundation

/// The call timer of the log form (design.md §2: "A call timer the rep starts when dialling fills the
/// duration when stopped"). Time comes only from `Msg.tick` (the reducer reads no clock).
public struct CallTimer: Sendable, Hashable {
    /// Where the timer is.
    public enum Phase: Sendable, Hashable {
        /// The key was pressed; the next `.tick` (asked for at once through `AppState.nextTickDeadline`)
        /// gives the exact start, since `environment.now` may be up to a minute old between ticks.
        case starting
        /// Counting since the given instant.
        case running(since: Date)
    }
    public var phase: Phase
    public init(phase: Phase = .starting) { self.phase = phase }

    /// True while the timer counts (or is about to).
    public var isRunning: Bool { true }

    /// Whole seconds elapsed at `now` (0 before the first tick).
    public func elapsed(at now: Date) -> Int {
        guard case .running(let since) = phase else { return 0 }
        return max(0, Int(now.timeIntervalSince(since).rounded(.down)))
    }
}

extension AppState {
    /// When the front end should send the next `.tick`, or nil when nothing the rep sees changes with
    /// time before the front end's own (per-minute) tick.
    ///
    /// - a timer just started: `environment.now` (already due: tick at once, so the start is exact);
    /// - a timer running: the next whole second of its count (m:ss on screen), so at most 1 s apart;
    /// - a non-error status message, once stamped by a tick: when it expires (`statusLifetime` after).
    /// The earliest of these. A deadline in the past means "tick now".
    public var nextTickDeadline: Date? {
        var deadline: Date?
        func consider(_ d: Date) { deadline = deadline.map { min($0, d) } ?? d }
        if let t = callTimer {
            switch t.phase {
            case .starting: consider(environment.now)
            case .running(let since):
                let elapsed = environment.now.timeIntervalSince(since)
                consider(since.addingTimeInterval((max(0, elapsed).rounded(.down)) + 1))
            }
        }
        // A message not stamped yet gets its time from the tick that follows every key batch and every
        // finished effect (no extra wake-up of its own); then it expires `statusLifetime` later.
        if let s = status, !s.isError, let shown = s.shownAt { consider(shown.addingTimeInterval(AppState.statusLifetime)) }
        return deadline
    }

    /// The timer's count as `m:ss` at the current time.
    var timerText: String? { callTimer.map { formatDuration($0.elapsed(at: environment.now)) } }

    /// Applies a tick to the timer: a starting timer starts at `now`.
    mutating func tickTimer(_ now: Date) {
        if var t = callTimer, case .starting = t.phase {
            t.phase = .running(since: now)
            callTimer = t
        }
    }

    /// Stops the timer and returns the elapsed whole seconds (nil when no timer ran).
    mutating func stopTimer() -> Int? {
        guard let t = callTimer else { return nil }
        callTimer = nil
        return t.elapsed(at: environment.now)
    }
}

/// The timer key in the form (Ctrl-T by default): starts the timer, or stops it and fills Duration with
/// the elapsed `m:ss` (saving the draft).
func toggleTimer(_ state: inout AppState) -> [Effect] {
    guard var form = state.form else { return [] }
    let key = state.environment.keymap.primary(.timer, unicode: state.environment.unicode)
    if let seconds = state.stopTimer() {
        form.fields[.duration] = TextField(formatDuration(seconds))
        form.errors[.duration] = nil
        state.form = form
        state.setStatus("Timer stopped at \(formatDuration(seconds)); Duration filled.", isError: false)
        return [.io(.saveDraft(form.draft))]
    }
    state.callTimer = CallTimer()
    state.setStatus("Timer started; \(key) again stops it and fills Duration.", isError: false)
    return []
}
