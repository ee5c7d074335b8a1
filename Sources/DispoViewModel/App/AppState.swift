import Foundation
import AmplemarketModels

/// Everything the rep sees is a function of `AppState` and the terminal size. It is composed of the
/// features' states; change it only through `reduce`.
public struct AppState: Sendable {
    public var environment: AppEnvironment
    /// The terminal size of the last `.resize`.
    public var size: Size
    /// True once the startup effects were emitted (see `start()`).
    public var started = false
    /// The account, users, dispositions, connection and status line.
    public var session = SessionState()
    /// The tab shown.
    public var tab: Tab = .tasks
    public var tasks = TasksState()
    public var calls = CallsState()
    public var outbox = OutboxTabState()
    public var stats = StatsState()
    /// The log form, a kept draft, logs handed to the outbox, the call timer.
    public var logForm = LogFormState()
    /// What is drawn over the screen.
    public var modal: Modal?

    public init(environment: AppEnvironment) {
        self.environment = environment
        self.size = Size(cols: 80, rows: 24)
    }

    /// The loads made at startup (and by `R` before anything loaded): account, users, dispositions.
    static let startLoads: [Effect] = [.io(.load(.account)), .io(.load(.users)), .io(.load(.dispositions))]

    /// The effects to emit once at startup. `reduce` calls it on the first `.resize`; a front end that never
    /// sends `.resize` first may call it itself. Idempotent.
    public mutating func start() -> [Effect] {
        if started { return [] }
        started = true
        return Self.startLoads
    }

    /// Where everything is drawn at the current size.
    public var frame: Frame { Frame(size: size) }

    /// What features may read while they handle a key (Unicode as the environment says).
    var context: FeatureContext { FeatureContext(environment: environment, session: session, frame: frame) }

    /// When the front end should send the next `.tick`, or nil when nothing the rep sees changes with time
    /// before the front end's own (per-minute) tick: a call timer just started (at once, so its start is
    /// exact) or running (its next whole second), a notice on the status line expiring. The earliest of
    /// these; a deadline in the past means "tick now".
    public var nextTickDeadline: Date? {
        // A message not stamped yet gets its time from the tick that follows every key batch and every
        // finished effect (no extra wake-up of its own).
        [logForm.timer?.nextChange(now: environment.now), session.statusDeadline].compactMap { $0 }.min()
    }

    /// The call under the Calls tab's cursor.
    public var selectedCall: Call? { calls.list.selected }
    /// The task under the Tasks tab's cursor.
    public var selectedTask: TaskRecord? { tasks.list.selected?.task }
}
