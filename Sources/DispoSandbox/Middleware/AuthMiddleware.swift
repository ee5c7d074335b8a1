import Hummingbird

/// Per Amplemarket API: requests carry `Authorization: Bearer <API key>`. A missing header, another
/// scheme or another key is answered 401 `unauthorized` (the scheme is case-insensitive; spaces around
/// the key are ignored).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext
    /// The one key the sandbox accepts.
    let apiKey: String
    let responses: WireResponses

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return responses.error(.unauthorized("Missing Authorization header; send Authorization: Bearer <API key>"))
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
              parts[1].trimmingCharacters(in: .whitespaces) == apiKey else {
            return responses.error(.unauthorized("The API key is invalid or has been revoked"))
        }
        return try await next(request, context)
    }
}
