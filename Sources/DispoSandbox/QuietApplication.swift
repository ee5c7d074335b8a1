import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// Runs a Hummingbird application as Hummingbird's own `run()` does, but without its date cache: a task
/// that wakes every second to format the `Date` header again. The sandbox writes that header itself, on
/// its own clock (`DateHeaderHandler`), so with the cache gone nothing of the built-in sandbox wakes while
/// the rep's dispo is idle.
///
/// Each request gets the responder's answer; an error it throws becomes a 500 with no body, except a
/// parse error of the request, which goes back to Hummingbird's connection handler (a 400, and the
/// connection closed), as in `Application`. The application's `services` and processes to run before
/// the server starts are not run (the sandbox has none).
struct QuietApplication<App: ApplicationProtocol>: Service
where App.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let app: App

    func run() async throws {
        let app = self.app
        let responder = try await app.responder
        let logger = app.logger
        let configuration = app.configuration
        let server = try app.server.buildServer(
            configuration: ServerConfiguration(address: configuration.address, serverName: configuration.serverName,
                                               backlog: configuration.backlog, reuseAddress: configuration.reuseAddress),
            eventLoopGroup: app.eventLoopGroup,
            logger: logger
        ) { (request, responseWriter: consuming ResponseWriter, channel) in
            let context = App.Responder.Context(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch {
                // NIOHTTP1's HTTPParserError, known by its type's name (the sandbox does not link NIOHTTP1).
                if String(reflecting: type(of: error)).hasSuffix(".HTTPParserError") { throw error }
                logger.debug("Unrecognised Error", metadata: ["error.type": "\(error)"])
                response = Response(status: .internalServerError, body: .init())
            }
            if let serverName = configuration.serverName { response.headers[.server] = serverName }
            try await responseWriter.write(response: response.head, body: response.body)
        } onServerRunning: { channel in
            await app.onServerRunning(channel)
        }
        try await server.run()
    }
}
