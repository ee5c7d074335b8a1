import Foundation
import NIOCore
import NIOPosix

/// The environment variable that keeps Swift concurrency on libdispatch's worker pool
/// (`DISPO_EXECUTOR=dispatch`), for measuring with and without the event loops.
let executorVariable = "DISPO_EXECUTOR"

/// Runs Swift concurrency's jobs on SwiftNIO's singleton event loops (the ones the HTTP client and the
/// built-in sandbox already use) instead of libdispatch's worker pool, with SwiftNIO's own hook
/// (`NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`).
///
/// On Linux libdispatch arms a 1 Hz timer on its manager thread as soon as its worker pool first runs
/// a job (the pool's monitor) and never disarms it, so an idle dispo woke ten times in ten seconds. An
/// event loop sleeps in `epoll_wait` until it has work or a timer is due. Jobs still run concurrently
/// across the loops (one per core, as the pool had). `Task.sleep` still wakes on libdispatch's pool,
/// which is why dispo's own waits use `sleepOnEventLoop`.
///
/// Call first, from the main thread, before any task is made; once only. Answers whether the loops
/// took over: false when `DISPO_EXECUTOR=dispatch` is set or when another hook was installed first
/// (concurrency then stays on libdispatch, which works the same, only less quietly).
@discardableResult
func runConcurrencyOnEventLoops(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
    guard environment[executorVariable] != "dispatch" else { return false }
    return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
