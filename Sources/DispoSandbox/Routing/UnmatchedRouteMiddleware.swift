import Hummingbird

/// Answers the requests no route matched. Hummingbird applies router middleware only to the endpoints
/// registered after it and to its "not found" responder, so added last this covers unmatched requests
/// alone. An unmatched request first goes through the same middleware as the routes of its area, then:
/// - under the admin prefix: 404 `not_found` ("No admin route for …"), whatever the method;
/// - elsewhere: 405 `method_not_allowed` when a route of the router has this path (under another method),
///   else 404 `not_found` ("No route for …").
/// Details quote the method and the path as sent.
struct UnmatchedRouteMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext
    /// The paths of every route registered on the router (`Router.routes`).
    let routePaths: [RouterPath]
    /// First path segment of the admin endpoints.
    let adminPrefix: String
    let adminMiddleware: any MiddlewareProtocol<Request, Response, Context>
    let apiMiddleware: any MiddlewareProtocol<Request, Response, Context>
    let responses: WireResponses

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/")
        if segments.first.map(String.init) == adminPrefix {
            return try await adminMiddleware.handle(request, context: context) { request, context in
                responses.error(.notFound("No admin route for \(request.method.rawValue) \(context.receivedPath)"))
            }
        }
        return try await apiMiddleware.handle(request, context: context) { request, context in
            if routePaths.contains(where: { Self.path($0, matches: segments) }) {
                return responses.error(APIError(status: 405, code: "method_not_allowed", title: "Method Not Allowed",
                                                detail: "\(request.method.rawValue) is not allowed on \(context.receivedPath)"))
            }
            return responses.error(.notFound("No route for \(request.method.rawValue) \(context.receivedPath)"))
        }
    }

    /// Whether `path` matches the request path `segments` element by element (constants equal, captures
    /// and single wildcards match any segment). The sandbox registers no `**` routes.
    static func path(_ path: RouterPath, matches segments: [Substring]) -> Bool {
        path.count == segments.count && zip(path, segments).allSatisfy { element, segment in element ~= segment }
    }
}
