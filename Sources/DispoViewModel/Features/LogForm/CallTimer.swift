import Foundation

/// The log form's call timer: the rep starts it when dialling, and stopping it fills Duration. Time comes
/// only from `Msg.tick` (the reducer reads no clock).
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

    /// Whole seconds elapsed at `now` (0 before the first tick).
    public func elapsed(at now: Date) -> Int {
        guard case .running(let since) = phase else { return 0 }
        return max(0, Int(now.timeIntervalSince(since).rounded(.down)))
    }

    /// When the count shown (m:ss) next changes: at once while starting (so the start is exact), else the
    /// next whole second.
    func nextChange(now: Date) -> Date {
        switch phase {
        case .starting: return now
        case .running(let since):
            let elapsed = now.timeIntervalSince(since)
            return since.addingTimeInterval(max(0, elapsed).rounded(.down) + 1)
        }
    }
}

extension LogFormState {
    /// The timer's count as `m:ss` at `now`; nil when no timer runs.
    func timerText(at now: Date) -> String? { timer.map { formatDuration($0.elapsed(at: now)) } }

    /// The clock ticked: a starting timer starts at `now`.
    mutating func tickTimer(_ now: Date) {
        if var t = timer, case .starting = t.phase {
            t.phase = .running(since: now)
            timer = t
        }
    }

    /// Stops the timer; the elapsed whole seconds, nil when no timer ran.
    mutating func stopTimer(at now: Date) -> Int? {
        guard let t = timer else { return nil }
        timer = nil
        return t.elapsed(at: now)
    }

    /// The timer key: starts the timer, or stops it and fills Duration with the elapsed `m:ss` (saving the
    /// draft).
    mutating func toggleTimer(_ context: FeatureContext) -> Reply {
        guard var form else { return .none }
        if let seconds = stopTimer(at: context.now) {
            form.fields[.duration] = TextField(formatDuration(seconds))
            form.errors[.duration] = nil
            self.form = form
            return .status("Timer stopped at \(formatDuration(seconds)); Duration filled.") + saving(form)
        }
        timer = CallTimer()
        return .status("Timer started; \(context.labels.primary(.timer)) again stops it and fills Duration.")
    }
}
