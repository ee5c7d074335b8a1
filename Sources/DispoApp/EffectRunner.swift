import DispoViewModel
import Foundation
import Logging

/// Runs effects in Swift tasks and counts those in flight, for the idle signal: `isBusy` is true until
/// every body has returned, and a `.tick` is posted after each one so the UI wakes and looks again.
final class EffectRunner: @unchecked Sendable {
    private let post: @Sendable (Msg) -> Void
    private let lock = NSLock()
    private var inFlight = 0
    private let logger = Logger(label: "dispo.effects")

    /// - Parameter post: delivers the `.tick` that follows each effect (thread-safe).
    init(post: @escaping @Sendable (Msg) -> Void) { self.post = post }

    /// True while any body started by `run` has not returned.
    var isBusy: Bool { lock.withLock { inFlight > 0 } }

    /// Starts `body` in a new task and returns at once; counted in flight from this call on. `label`
    /// names it in the debug log (what kept the app busy).
    func run(_ label: String, _ body: @escaping @Sendable () async -> Void) {
        let count = lock.withLock { inFlight += 1; return inFlight }
        logger.debug("effect started", metadata: ["effect": "\(label)", "in flight": "\(count)"])
        Task {
            await body()
            let left = lock.withLock { inFlight -= 1; return inFlight }
            logger.debug("effect done", metadata: ["effect": "\(label)", "in flight": "\(left)"])
            post(.tick(Date()))  // wakes the UI so the idle signal is re-evaluated
        }
    }
}
