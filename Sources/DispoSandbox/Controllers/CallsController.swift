import Foundation
import Hummingbird

/// Per Amplemarket API: `GET /calls` (list, newest first) and `POST /calls` (log a call made outside
/// Amplemarket).
struct CallsController {
    let workspace: SandboxWorkspace
    let notesMode: NotesMode
    /// The server's clock (a created call's `start_date`).
    let time: ServerTime
    let wire: WireEncoder
    let responses: WireResponses

    /// Registers `GET` and `POST` on `group` (the `/calls` group).
    func addRoutes(to group: RouterGroup<SandboxRequestContext>) {
        group.get { _, context in await responses.answer { () async throws(APIError) in try await list(context) } }
        group.post { _, context in await held(context) }
    }

    /// `POST /calls` after the hold of `SandboxFaults.postLatencyMilliseconds`. Hold and processing run in
    /// a task of their own, which a client going away (or the request's task being cancelled) does not
    /// stop: once the hold is over the call is created, whether or not anyone is left to hear the answer.
    private func held(_ context: SandboxRequestContext) async -> Response {
        let hold = context.faultDecision.postLatencyMilliseconds
        let controller = self
        return await Task {
            // An unstructured task is never cancelled from outside, so the sleep runs to its end.
            if hold > 0 { try? await Task.sleep(for: .milliseconds(hold)) }
            return await controller.responses.answer { () async throws(APIError) in try await controller.log(context) }
        }.value
    }

    /// `GET /calls`: cursor paging plus filters `user_id`, `from`, `to` (numbers match as typed or by their
    /// digits), `start_date_from` / `start_date_to` (ISO 8601, inclusive, compared with the stored
    /// `start_date`s as they are — those of logged calls are server-clock times; 400 `unsupported_value`
    /// when unreadable). Answers `{"calls": [...], "_links": {...}}`.
    private func list(_ context: SandboxRequestContext) async throws(APIError) -> Response {
        let page = try PageRequest(context.query)
        let known = ["user_id", "from", "to", "start_date_from", "start_date_to"]
        let filters = context.query.filter { known.contains($0.name) }
        func value(_ name: String) -> String? { filters.last(where: { $0.name == name })?.value }
        func date(_ name: String) throws(APIError) -> Date? {
            guard let text = value(name) else { return nil }
            guard let d = WireDate.parse(text) else {
                throw APIError.badParameter(name, "\(name) must be an ISO 8601 date-time (got \"\(text)\")")
            }
            return d
        }
        let userID = value("user_id")
        let fromDigits = value("from").map(PhoneMatch.digits)
        let toDigits = value("to").map(PhoneMatch.digits)
        let rawFrom = value("from"), rawTo = value("to")
        let lower = try date("start_date_from")
        let upper = try date("start_date_to")
        let (all, positions) = await workspace.indexedCalls()
        let result = try Pager.page(all, id: \.id, position: { positions[$0] }, matches: { c in
            if let userID, c.userID != userID { return false }
            if let rawFrom, c.from != rawFrom, PhoneMatch.digits(c.from) != fromDigits { return false }
            if let rawTo, c.to != rawTo, PhoneMatch.digits(c.to) != toDigits { return false }
            if let lower, c.startDate < lower { return false }
            if let upper, c.startDate > upper { return false }
            return true
        }, request: page, path: "/calls", filters: filters)
        let dispositions = await workspace.dispositions()
        let users = await workspace.users()
        let items = result.items.map { c in
            wire.call(c, disposition: dispositions.first { $0.id == c.dispositionID },
                      userEmail: users.first { $0.id == c.userID }?.email)
        }
        return responses.json(wire.list(key: "calls", items: items, links: result.links))
    }

    /// `POST /calls`: 201 with the created call (`external: true`, `start_date` now on the server's clock,
    /// whole seconds). Body problems are
    /// 400 / 422 (see `LoggedCallBody`); an unknown `task_id`, `user_id` or `disposition_id` is 404
    /// `not_found` with that pointer; a task of another user is 422 `unsupported_value` on `/task_id`.
    private func log(_ context: SandboxRequestContext) async throws(APIError) -> Response {
        let now = time.now()
        let body = try LoggedCallBody(context.body, notesMode: notesMode)
        var notFound: [APIError.Entry] = []
        let task = await workspace.task(id: body.taskID)
        if task == nil {
            notFound.append(.init(code: "not_found", title: "Not Found", detail: "Task not found", pointer: "/task_id"))
        }
        if await workspace.user(id: body.userID) == nil {
            notFound.append(.init(code: "not_found", title: "Not Found", detail: "User not found", pointer: "/user_id"))
        }
        var disposition: SandboxDisposition?
        if let dispositionID = body.dispositionID {
            disposition = await workspace.disposition(id: dispositionID)
            if disposition == nil {
                notFound.append(.init(code: "not_found", title: "Not Found", detail: "Disposition not found",
                                      pointer: "/disposition_id"))
            }
        }
        if !notFound.isEmpty { throw APIError(status: 404, entries: notFound) }
        if let task, task.userID != body.userID {
            throw APIError(status: 422, code: "unsupported_value", title: "Unsupported Value",
                           detail: "The task belongs to another user", pointer: "/task_id")
        }
        let stored = await workspace.insertLoggedCall(
            from: body.from, to: body.to, duration: body.duration, answered: body.answered, human: body.human,
            transcription: body.transcription, notes: notesMode == .store ? body.notes : nil,
            recordingURL: body.recordingURL, dispositionID: body.dispositionID, taskID: body.taskID,
            userID: body.userID, at: now)
        let email = await workspace.user(id: body.userID)?.email
        return responses.json(wire.call(stored, disposition: disposition, userEmail: email), status: 201)
    }
}

/// Loose phone-number matching for the `from` / `to` filters of `GET /calls`: digits only, with a
/// leading international `00` read as `+`.
private enum PhoneMatch {
    static func digits(_ text: String) -> String {
        var d = text.filter(\.isASCII).filter(\.isNumber)
        if d.hasPrefix("00") { d.removeFirst(2) }
        return d
    }
}
