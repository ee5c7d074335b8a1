import Foundation
import Hummingbird

/// Per Amplemarket API: `GET /tasks` (list by due date; filters in `TaskFilter`), `POST /tasks/{id}/complete`
/// (optional body `{"set_lead_to_completed": true}`) and `POST /tasks/{id}/skip`. Complete and skip answer
/// 200 with the task; 404 `not_found` (`/id`) for an unknown task; 422 `unsupported_value` (`/id`) for a
/// task that cannot change (automatic, or no longer scheduled; completing a completed task or skipping a
/// skipped one is 200). `finished_on` and the current hour of the contact-local-time filters come from
/// the server's clock (`SandboxFaults.clockSkewSeconds`).
struct TasksController {
    let workspace: SandboxWorkspace
    let time: ServerTime
    let wire: WireEncoder
    let responses: WireResponses

    /// Registers `GET`, `POST :id/complete` and `POST :id/skip` on `group` (the `/tasks` group).
    func addRoutes(to group: RouterGroup<SandboxRequestContext>) {
        group.get { _, context in await responses.answer { () async throws(APIError) in try await list(context) } }
        group.post(":id/complete") { _, context in
            await responses.answer { () async throws(APIError) in try await complete(context.pathParameter("id"), context) }
        }
        group.post(":id/skip") { _, context in
            await responses.answer { () async throws(APIError) in try await skip(context.pathParameter("id"), context) }
        }
    }

    private func list(_ context: SandboxRequestContext) async throws(APIError) -> Response {
        let now = time.now()
        let page = try PageRequest(context.query)
        let filter = try TaskFilter(context.query)
        let utcHour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now).hour ?? 0
        let all = await workspace.tasks().sorted { a, b in a.dueOn != b.dueOn ? a.dueOn < b.dueOn : a.id < b.id }
        let result = try Pager.page(all, id: \.id, matches: { filter.matches($0, utcHour: utcHour) },
                                    request: page, path: "/tasks", filters: filter.items)
        return responses.json(wire.list(key: "tasks", items: result.items.map(wire.task), links: result.links))
    }

    /// 400 for a body that is not a JSON object; 422 (`/set_lead_to_completed`) when that field is not a boolean.
    private func complete(_ id: String, _ context: SandboxRequestContext) async throws(APIError) -> Response {
        let now = time.now()
        var setLead = false
        if let body = try JSONBody.parse(context.body, allowEmpty: true) {
            guard case .object = body else { throw APIError.badJSON("The request body must be a JSON object") }
            switch body["set_lead_to_completed"] {
            case nil, .null?: break
            case .bool(let b)?: setLead = b
            default:
                throw APIError(status: 422, code: "unsupported_value", title: "Unsupported Value",
                               detail: "set_lead_to_completed must be true or false", pointer: "/set_lead_to_completed")
            }
        }
        return try transition(await workspace.completeTask(id: id, setLeadToCompleted: setLead, at: now))
    }

    /// Any body must be JSON (400 otherwise) and is ignored.
    private func skip(_ id: String, _ context: SandboxRequestContext) async throws(APIError) -> Response {
        let now = time.now()
        _ = try JSONBody.parse(context.body, allowEmpty: true)
        return try transition(await workspace.skipTask(id: id, at: now))
    }

    private func transition(_ outcome: SandboxWorkspace.TaskTransition) throws(APIError) -> Response {
        switch outcome {
        case .notFound: throw APIError.notFound("Task not found", pointer: "/id")
        case .ineligible(let reason):
            throw APIError(status: 422, code: "unsupported_value", title: "Unsupported Value", detail: reason, pointer: "/id")
        case .done(let task): return responses.json(wire.task(task))
        }
    }
}
