import Foundation
import ServiceLifecycle
import Hummingbird
import Logging
import NIOCore

/// An Amplemarket-compatible HTTP server on loopback over a seeded `SandboxWorkspace`
/// (per Amplemarket API: calls, dispositions, recordings, users, tasks, account info, errors, paging), plus
/// admin endpoints under `/_sandbox/`. Routes and the order of the steps for each request: `SandboxRoutes`.
///
/// Start one per test with `SandboxServer.start(SandboxConfiguration())` (port 0 picks a free port),
/// point the client at `baseURL` with key `SandboxConfiguration.defaultAPIKey`, and `shutdown()` at the end.
public final class SandboxServer: Sendable {
    /// The TCP port the server listens on.
    public let port: Int
    /// `http://<host>:<port>`, no trailing slash.
    public let baseURL: String
    /// The data served; tests inspect it.
    public let workspace: SandboxWorkspace
    /// The configuration it was started with.
    public let configuration: SandboxConfiguration
    /// One line for the rep when `configuration.stateFile` could not be used (it was moved aside and the
    /// sandbox started from the seeded workspace; or it could not be moved and changes stay in memory);
    /// nil when the state file was fine, absent or not configured. Same as `workspace.notice`.
    public var notice: String? { workspace.notice }
    private let state: SandboxServerState
    private let runTask: Task<Void, Never>
    private let group: ServiceGroup

    private init(port: Int, configuration: SandboxConfiguration, workspace: SandboxWorkspace,
                 state: SandboxServerState, runTask: Task<Void, Never>, group: ServiceGroup) {
        self.port = port
        self.baseURL = "http://\(configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host):\(port)"
        self.workspace = workspace
        self.configuration = configuration
        self.state = state
        self.runTask = runTask
        self.group = group
    }

    /// Seeds the workspace (replaying `configuration.stateFile`, if set), binds `host:port` and returns once
    /// the server is listening. Throws if the address cannot be bound (e.g. port in use); a bad state file
    /// never throws (see `notice`).
    public static func start(_ configuration: SandboxConfiguration) async throws -> SandboxServer {
        let workspace = SandboxWorkspace(seed: configuration.seed, now: configuration.now,
                                         stateFile: configuration.stateFile, primaryCalls: configuration.primaryCalls)
        let state = SandboxServerState(configuration: configuration)
        let (events, continuation) = AsyncStream<Result<Int, any Error>>.makeStream()
        let app = makeApplication(configuration, workspace: workspace, state: state) { port in
            continuation.yield(.success(port))
        }
        // Run in a service group of our own, without signal handlers (the TUI owns the signals), so
        // `shutdown` can stop it gracefully: in-flight answers finish and connections close in order.
        let group = ServiceGroup(configuration: .init(services: [QuietApplication(app: app)], gracefulShutdownSignals: [],
                                                      logger: configuration.logger ?? Logger(label: "dispo.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })))
        let runTask = Task {
            do {
                try await group.run()
                continuation.yield(.failure(SandboxStartError.stoppedBeforeListening))
            } catch {
                continuation.yield(.failure(error))
            }
            continuation.finish()
        }
        for await event in events {
            switch event {
            case .success(let port):
                return SandboxServer(port: port, configuration: configuration, workspace: workspace, state: state,
                                     runTask: runTask, group: group)
            case .failure(let error):
                throw error
            }
        }
        throw SandboxStartError.stoppedBeforeListening
    }

    /// Runs a sandbox until SIGINT/SIGTERM or task cancellation (for `dispo sandbox --port N`). Prints one
    /// line to standard output with the base URL and the API key once listening, and the state-file
    /// notice (if any, see `notice`) to standard error before that.
    public static func runForever(_ configuration: SandboxConfiguration) async throws {
        let workspace = SandboxWorkspace(seed: configuration.seed, now: configuration.now,
                                         stateFile: configuration.stateFile, primaryCalls: configuration.primaryCalls)
        if let notice = workspace.notice {
            FileHandle.standardError.write(Data(("dispo sandbox: " + notice + "\n").utf8))
        }
        let state = SandboxServerState(configuration: configuration)
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let app = makeApplication(configuration, workspace: workspace, state: state) { port in
            let line = "dispo sandbox listening on http://\(host):\(port) (API key: \(configuration.apiKey); "
                + "user: \(SandboxWorkspace.primaryUserEmail)); Ctrl-C stops it\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        let group = ServiceGroup(configuration: .init(services: [QuietApplication(app: app)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger))
        try await group.run()
    }

    /// Every API request received so far (admin requests excluded), oldest first.
    public func recordedRequests() async -> [RecordedRequest] { await state.recordedRequests() }
    /// Forgets the recorded requests.
    public func clearRecordedRequests() async { await state.clearRecordedRequests() }
    /// The faults in force.
    public func faults() async -> SandboxFaults { await state.faults }
    /// Replaces the faults, normalized (`downForSeconds` is turned into `downUntil`; see
    /// `SandboxFaults`), and restarts the `failEveryNth` count.
    public func setFaults(_ faults: SandboxFaults) async { await state.setFaults(faults, now: Date()) }

    /// Stops listening, closes connections and waits until the server has stopped.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
        // A request held open by a latency fault must not hold shutdown for long: cancel after 5 s.
        let runTask = self.runTask
        let deadline = Task {
            try? await Task.sleep(nanoseconds: 5_000_000_000)
            if !Task.isCancelled { runTask.cancel() }
        }
        await runTask.value
        deadline.cancel()
    }

    private static func makeApplication(_ configuration: SandboxConfiguration, workspace: SandboxWorkspace,
                                        state: SandboxServerState,
                                        onRunning: @escaping @Sendable (Int) -> Void)
        -> Application<some HTTPResponder<SandboxRequestContext>> {
        let logger = configuration.logger ?? Logger(label: "dispo.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
        let time = state.time
        return Application(
            responder: SandboxRoutes.responder(configuration: configuration, workspace: workspace, state: state),
            // One handler per connection: it writes the `Date` header on the server's clock.
            server: .http1(configuration: .init(additionalChannelHandlers: [DateHeaderHandler(time: time)])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }
}

/// Why `SandboxServer.start` failed without a more specific error.
public enum SandboxStartError: Error, Sendable {
    /// The server stopped before it was listening.
    case stoppedBeforeListening
}
