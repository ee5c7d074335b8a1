import Hummingbird

/// First step for API requests: decides the faults as the request arrives (consuming one unit of each
/// counted fault). While the server is "down" it closes the connection without answering, before the
/// body is read and before recording or auth. Otherwise the decision goes on in the context, for
/// `FaultInjectionMiddleware`.
struct FaultGateMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext
    let state: SandboxServerState

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.faultDecision = await state.decide(now: context.receivedAt, method: request.method.rawValue,
                                                     path: request.uri.path)
        if context.faultDecision.down {
            try? await context.channel.close()
            return Response(status: .serviceUnavailable)
        }
        return try await next(request, context)
    }
}
