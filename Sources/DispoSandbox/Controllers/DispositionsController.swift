import Hummingbird

/// Per Amplemarket API: `GET /calls/dispositions` — `{"dispositions": [{id, name, slug, action}], "_links"}`,
/// cursor paging, no filters.
struct DispositionsController {
    let workspace: SandboxWorkspace
    let wire: WireEncoder
    let responses: WireResponses

    /// Registers `GET` on `group` (the `/calls/dispositions` group).
    func addRoutes(to group: RouterGroup<SandboxRequestContext>) {
        group.get { _, context in await responses.answer { () async throws(APIError) in try await list(context) } }
    }

    private func list(_ context: SandboxRequestContext) async throws(APIError) -> Response {
        let page = try PageRequest(context.query)
        let result = try Pager.page(await workspace.dispositions(), id: \.id, matches: { _ in true }, request: page,
                                    path: "/calls/dispositions", filters: [])
        return responses.json(wire.list(key: "dispositions", items: result.items.map(wire.disposition),
                                        links: result.links))
    }
}
