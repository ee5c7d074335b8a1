import Hummingbird

/// The sandbox's router: admin endpoints under `/_sandbox/`, the Amplemarket endpoints behind the API
/// middleware, and the answers for unmatched requests (404 / 405).
///
/// Steps for an API request, in order (each may answer and stop):
/// 1. `FaultGateMiddleware` — decide faults; "down" closes the connection.
/// 2. `BodyLimitMiddleware` — 413 over 1 MiB.
/// 3. `RequestRecordingMiddleware` — record the request.
/// 4. `FaultInjectionMiddleware` — latency; injected 429 / 5xx; drop after processing.
/// 5. `AuthMiddleware` — 401.
/// 6. `RateLimitMiddleware` — 429 with `Retry-After`.
/// 7. The route's controller, or `UnmatchedRouteMiddleware` (405 / 404). `POST /calls` holds the request
///    for `SandboxFaults.postLatencyMilliseconds` first.
///
/// Admin requests get only the body limit: no faults, recording, auth or rate limit. Every response,
/// admin ones included, leaves with a `Date` header on the server's clock (`DateHeaderHandler`).
enum SandboxRoutes {
    /// The responder the application runs: the router behind `PathDecodingResponder`.
    static func responder(configuration: SandboxConfiguration, workspace: SandboxWorkspace,
                          state: SandboxServerState) -> some HTTPResponder<SandboxRequestContext> {
        let responses = WireResponses(mediaType: configuration.mediaType)
        let wire = WireEncoder(extraFields: configuration.extraFields)
        let adminMiddleware = BodyLimitMiddleware(responses: responses)
        let apiMiddleware = apiMiddleware(configuration: configuration, state: state, responses: responses)
        let router = Router(context: SandboxRequestContext.self)

        AdminController(state: state, responses: responses)
            .addRoutes(to: router.group(RouterPath(AdminController.pathPrefix)).add(middleware: adminMiddleware))

        let api = router.group().add(middleware: apiMiddleware)
        CallsController(workspace: workspace, notesMode: configuration.notesMode, time: state.time, wire: wire,
                        responses: responses)
            .addRoutes(to: api.group("calls"))
        DispositionsController(workspace: workspace, wire: wire, responses: responses)
            .addRoutes(to: api.group("calls/dispositions"))
        RecordingsController(workspace: workspace, state: state, time: state.time, apiKey: configuration.apiKey,
                             recordingsPerHour: configuration.recordingsPerHour, responses: responses)
            .addRoutes(to: api.group("calls"))
        UsersController(workspace: workspace, wire: wire, responses: responses)
            .addRoutes(to: api.group("users"))
        TasksController(workspace: workspace, time: state.time, wire: wire, responses: responses)
            .addRoutes(to: api.group("tasks"))
        AccountInfoController(workspace: workspace, extraFields: configuration.extraFields, responses: responses)
            .addRoutes(to: api.group("account-info"))

        // Last, so that it covers only requests no route matched.
        router.add(middleware: UnmatchedRouteMiddleware(
            routePaths: router.routes.map(\.path), adminPrefix: AdminController.pathPrefix,
            adminMiddleware: adminMiddleware, apiMiddleware: apiMiddleware, responses: responses))
        return PathDecodingResponder(router: router.buildResponder())
    }

    /// Steps 1–6 above, as one middleware (the API routes and the unmatched requests share it).
    @MiddlewareFixedTypeBuilder<Request, Response, SandboxRequestContext>
    static func apiMiddleware(configuration: SandboxConfiguration, state: SandboxServerState,
                              responses: WireResponses) -> some MiddlewareProtocol<Request, Response, SandboxRequestContext> {
        FaultGateMiddleware(state: state)
        BodyLimitMiddleware(responses: responses)
        RequestRecordingMiddleware(state: state)
        FaultInjectionMiddleware(time: state.time, responses: responses)
        AuthMiddleware(apiKey: configuration.apiKey, responses: responses)
        RateLimitMiddleware(state: state, time: state.time, apiKey: configuration.apiKey,
                            requestsPerMinute: configuration.requestsPerMinute, responses: responses)
    }
}
