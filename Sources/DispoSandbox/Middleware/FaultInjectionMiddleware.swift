import Hummingbird

/// Carries out the fault decision made by `FaultGateMiddleware`: waits the injected latency, then either
/// answers the injected error (429 with `Retry-After`, 500 or 503) without going further — auth included —
/// or lets the request be processed and, for a drop-after-processing fault, closes the connection
/// instead of answering. The `POST /calls` hold (`SandboxFaults.postLatencyMilliseconds`) is not waited
/// here but by `CallsController`, after auth and the rate limit.
struct FaultInjectionMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext
    let time: ServerTime
    let responses: WireResponses

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let decision = context.faultDecision
        if decision.latencyMilliseconds > 0 {
            try? await Task.sleep(for: .milliseconds(decision.latencyMilliseconds))
        }
        if let injected = decision.injected { return responses.error(injected) }
        if let seconds = decision.rateLimitedSeconds {
            return responses.error(.rateLimited(retryAfter: time.retryAfter(seconds: seconds),
                                                "Rate limit exceeded (sandbox fault). Retry after \(seconds) s."))
        }
        let response = try await next(request, context)
        if decision.dropAfterProcessing {
            try? await context.channel.close()
        }
        return response
    }
}
