import Hummingbird

/// Records each API request that got past the fault gate and the body limit, for
/// `GET /_sandbox/requests`: method, path and query as sent, the body as text (nil when empty or not
/// UTF-8), and when it arrived. Runs before auth, so rejected keys are recorded too.
struct RequestRecordingMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext
    let state: SandboxServerState

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        await state.record(RecordedRequest(method: request.method.rawValue, path: context.receivedPath,
                                           query: context.receivedQuery,
                                           body: context.body.isEmpty ? nil : String(validating: context.body, as: UTF8.self),
                                           receivedAt: context.receivedAt))
        return try await next(request, context)
    }
}
