import HTTPTypes
import Hummingbird

/// Hands each request to the router with its path segments percent-decoded, so `/c%61lls` routes as
/// `/calls`. Each decoded segment is re-encoded whole (an encoded `/` stays inside its segment; read a
/// captured parameter with `SandboxRequestContext.pathParameter`) and empty segments are dropped. The path
/// and query as sent, and the decoded query items, go into the context.
struct PathDecodingResponder<Router: HTTPResponder>: HTTPResponder where Router.Context == SandboxRequestContext {
    let router: Router

    func respond(to request: Request, context: SandboxRequestContext) async throws -> Response {
        var context = context
        context.receivedPath = request.uri.path
        context.receivedQuery = request.uri.query
        context.query = Query.parse(request.uri.query)
        var head = request.head
        head.path = Self.routingPath(request.uri.path) + (request.uri.query.map { "?" + $0 } ?? "")
        return try await router.respond(to: Request(head: head, body: request.body), context: context)
    }

    /// `/a%2Fb//c%61lls/` → `/a%2Fb/calls`: segments decoded, re-encoded one by one, empty ones dropped.
    static func routingPath(_ path: String) -> String {
        "/" + path.split(separator: "/").map { Query.encodeValue(Query.percentDecode($0)) }.joined(separator: "/")
    }
}
