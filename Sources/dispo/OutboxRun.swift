import AmplemarketAPI
import AmplemarketModels
import DispoApp
import DispoStore
import DispoViewModel
import Foundation

/// How a run of the outbox from a script ended.
struct OutboxRunEnd {
    /// The server could not be reached (what is queued stays queued).
    var offline: Bool
    /// Another dispo holds the state directory's sender lock (its pid, when known): it sends.
    var otherSender: Int32??
    /// The server rejected the API key (401, or a 403 refusal): retrying cannot help, so the run stops.
    var keyRejected: String? = nil
}

/// Runs the outbox of the workspace in `store` (this process sends when it holds the sender lock; else
/// the process that holds it does, and its outcomes are seen through the store) until `finished(store)`
/// holds, the server is found unreachable, or `wait` seconds pass. `submit` runs once the runtime has
/// started (a `dispo log` hands its log to the outbox there).
func runOutbox(_ session: Session, store: DispoStore, wait: Double, submit: (AppRuntime) -> Void = { _ in },
               finished: @escaping @Sendable (DispoStore) -> Bool) async -> OutboxRunEnd {
    let (messages, feed) = AsyncStream<Msg>.makeStream()
    let runtime = AppRuntime(client: session.client, store: store, workspaceKey: session.workspaceKey,
                             post: { feed.yield($0) })
    let timeout = Task {
        try? await sleepOnEventLoop(seconds: wait)
        feed.finish()
    }
    runtime.start()
    submit(runtime)
    var end = OutboxRunEnd(offline: false, otherSender: nil)
    if !finished(store) {
        for await msg in messages {
            switch msg {
            case .connectionChanged(.offline): end.offline = true
            case .connectionChanged(.keyRejected): end.keyRejected = "the server rejected the API key"
            case .connectionChanged(.refused(let why)): end.keyRejected = "the server refused this key's request (\(sanitize(why)))"
            case .outboxSender(.anotherProcess(let pid)): end.otherSender = .some(pid)
            case .outboxSender(.thisProcess): end.otherSender = nil
            default: break
            }
            if end.offline || end.keyRejected != nil || finished(store) { break }
        }
    }
    timeout.cancel()
    await runtime.shutdown()
    return end
}

/// Why a log is still queued, for the rep: the key was rejected (and how to fix it), the server is out of
/// reach, another dispo sends it, or the server has not answered yet.
func queuedReason(_ end: OutboxRunEnd, lastError: String?) -> String {
    if let rejected = end.keyRejected {
        return "\(rejected); set a valid key in AMPLEMARKET_API_KEY (or api_key_command) and run `dispo outbox send`"
    }
    if case .some(let pid) = end.otherSender {
        return "another dispo\(pid.map { " (pid \($0))" } ?? "") is sending it"
    }
    if end.offline { return "the server cannot be reached; it will be sent when the server is back" }
    return "not sent yet (\(sanitize(lastError ?? "the server did not answer in time")))"
}
