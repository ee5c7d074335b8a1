import Foundation
import Hummingbird

/// Per Amplemarket API: a per-minute request limit per key (500 by default, see
/// `SandboxConfiguration.requestsPerMinute`). Over it, 429 `rate_limit_exceeded` with `Retry-After` in
/// whole seconds until the oldest counted request leaves the minute (an HTTP date on the server's clock
/// with `SandboxFaults.retryAfterAsDate`). Runs after auth, so only authorised requests count (unmatched
/// paths included); answered 429s are not counted. The windows run on the real clock.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext
    let state: SandboxServerState
    let time: ServerTime
    /// The key requests are counted under (the sandbox accepts one).
    let apiKey: String
    let requestsPerMinute: Int
    let responses: WireResponses

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if let wait = await state.admitRequest(key: apiKey, now: Date()) {
            return responses.error(.rateLimited(retryAfter: time.retryAfter(seconds: wait),
                                                "Rate limit of \(requestsPerMinute) requests per minute exceeded"))
        }
        return try await next(request, context)
    }
}
