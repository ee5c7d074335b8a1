import AmplemarketAPI
import Foundation

/// Forwards the API client's pacing-wait and retry reports (`ClientConfiguration.onPacingWait` /
/// `onRetry`, called from any thread) to handlers connected later: the session makes the client before
/// the UI exists, the runtime connects once it does. Reports made before that are dropped.
///
/// A lock rather than an actor: the client calls synchronously, just before it waits, and a handler
/// reached through an actor could speak after the wait it announces.
public final class ClientEventForwarder: @unchecked Sendable {
    private let lock = NSLock()
    private var pacing: (@Sendable (Double) -> Void)?
    private var retry: (@Sendable (RetryNotice) -> Void)?

    /// A forwarder with no handlers yet (reports are dropped until `connect`).
    public init() {}

    /// Sets (replaces) the handlers. `onPacingWait` gets the wait in seconds; `onRetry` the retry about
    /// to be made. Both may be called from any thread.
    public func connect(onPacingWait: @escaping @Sendable (Double) -> Void,
                        onRetry: @escaping @Sendable (RetryNotice) -> Void) {
        lock.withLock { pacing = onPacingWait; retry = onRetry }
    }

    /// Hands a pacing wait (seconds) to the handler, if connected.
    public func pacingWait(_ seconds: Double) { lock.withLock { pacing }?(seconds) }

    /// Hands a retry report to the handler, if connected.
    public func retried(_ notice: RetryNotice) { lock.withLock { retry }?(notice) }

    /// Points `configuration.onPacingWait` and `onRetry` at this forwarder.
    public func install(into configuration: inout ClientConfiguration) {
        configuration.onPacingWait = { [self] in pacingWait($0) }
        configuration.onRetry = { [self] in retried($0) }
    }
}

/// The status line's words when the server asked dispo to wait `seconds` before trying again (its
/// `Retry-After`, as the client read and capped it), for GETs the client retries and POSTs the outbox
/// does: "Amplemarket asked to wait N s".
func serverAskedToWait(_ seconds: Double) -> String {
    "Amplemarket asked to wait \(Int(max(0, seconds).rounded(.up))) s"
}
