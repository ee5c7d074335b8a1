import NIOCore
import NIOPosix
import Synchronization

/// Suspends the calling task for `seconds` (at most a year) on a timer of SwiftNIO's singleton event
/// loops, the loops the HTTP client runs on.
///
/// Why not `Task.sleep`: in this Swift runtime a sleep goes to libdispatch's timer and wakes on its
/// worker pool, whatever runs the task's jobs, and once that pool has run a job libdispatch wakes the
/// process every second for good. An event loop's timer wakes only its own thread, once.
///
/// Returns at once for 0 or less. Throws `CancellationError` when the task is cancelled, before or
/// during the sleep (the timer is then cancelled too).
public func sleepOnEventLoop(seconds: Double) async throws {
    try Task.checkCancellation()
    guard seconds > 0 else { return }
    let nanoseconds = Int64(min(seconds, 365 * 86_400) * 1_000_000_000)
    let timer = SleepTimer()
    try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let scheduled = MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: .nanoseconds(nanoseconds)) {}
            scheduled.futureResult.whenComplete { result in
                switch result {
                case .success: continuation.resume()
                case .failure: continuation.resume(throwing: CancellationError())
                }
            }
            timer.start(scheduled)
        }
    } onCancel: {
        timer.cancel()
    }
}

/// The timer of one sleep, which a cancellation may reach before the timer is made.
private final class SleepTimer: Sendable {
    private enum State { case notStarted, running(Scheduled<Void>), cancelled }
    private let state = Mutex(State.notStarted)

    func start(_ scheduled: Scheduled<Void>) {
        let cancelledFirst = state.withLock { state -> Bool in
            if case .cancelled = state { return true }
            state = .running(scheduled)
            return false
        }
        if cancelledFirst { scheduled.cancel() }
    }

    func cancel() {
        let running = state.withLock { state -> Scheduled<Void>? in
            defer { state = .cancelled }
            if case .running(let scheduled) = state { return scheduled }
            return nil
        }
        running?.cancel()
    }
}
