import Hummingbird

/// Reads the whole request body into `context.body` (and back into the request as one buffer). A body
/// over `context.maxUploadSize` bytes is answered 413 `content_too_large` and goes no further.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext
    let responses: WireResponses

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request, context = context
        do {
            let buffer = try await request.collectBody(upTo: context.maxUploadSize)
            context.body = Array(buffer.readableBytesView)
        } catch {
            return responses.error(APIError(status: 413, code: "content_too_large", title: "Content Too Large",
                                            detail: "The request body is larger than \(context.maxUploadSize) bytes"))
        }
        return try await next(request, context)
    }
}
