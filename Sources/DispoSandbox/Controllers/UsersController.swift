import Hummingbird

/// Per Amplemarket API: `GET /users` — `{"users": [{id, name, email, status, role, mailboxes}], "_links"}`,
/// cursor paging, filters `status`, `role`, `email` (exact, case-insensitive).
struct UsersController {
    let workspace: SandboxWorkspace
    let wire: WireEncoder
    let responses: WireResponses

    /// Registers `GET` on `group` (the `/users` group).
    func addRoutes(to group: RouterGroup<SandboxRequestContext>) {
        group.get { _, context in await responses.answer { () async throws(APIError) in try await list(context) } }
    }

    private func list(_ context: SandboxRequestContext) async throws(APIError) -> Response {
        let page = try PageRequest(context.query)
        let filters = context.query.filter { ["status", "role", "email"].contains($0.name) }
        func value(_ name: String) -> String? { filters.last(where: { $0.name == name })?.value.lowercased() }
        let status = value("status"), role = value("role"), email = value("email")
        let result = try Pager.page(await workspace.users(), id: \.id, matches: { u in
            (status == nil || u.status == status) && (role == nil || u.role == role)
                && (email == nil || u.email.lowercased() == email)
        }, request: page, path: "/users", filters: filters)
        return responses.json(wire.list(key: "users", items: result.items.map(wire.user), links: result.links))
    }
}
