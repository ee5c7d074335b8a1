import Hummingbird

/// Per Amplemarket API: `GET /account-info` — the account's name, plan, user counts and credits; the
/// cheapest authenticated call (clients use it to check a key).
struct AccountInfoController {
    let workspace: SandboxWorkspace
    /// Add an undocumented field (client tolerance tests).
    let extraFields: Bool
    let responses: WireResponses

    /// Registers `GET` on `group` (the `/account-info` group).
    func addRoutes(to group: RouterGroup<SandboxRequestContext>) {
        group.get { _, _ in await accountInfo() }
    }

    private func accountInfo() async -> Response {
        let users = await workspace.users()
        var members: [(String, JSON)] = [
            ("id", .string(workspace.accountID)),
            ("name", .string(workspace.accountName)),
            ("domain", .string("northwind-sandbox.example")),
            ("plan", .string("sandbox")),
            ("users_count", .int(users.count)),
            ("active_users_count", .int(users.filter { $0.status == "active" }.count)),
            ("credits", .object([("email", .int(10_000)), ("phone", .int(2_500))])),
            ("sandbox", .bool(true)),
        ]
        if extraFields { members.append(("x_sandbox_note", .string("undocumented field"))) }
        return responses.json(.object(members))
    }
}
