import AmplemarketAPI
import AmplemarketModels
import Foundation

/// Before a log whose POST may have reached the server is sent again, the outbox looks for the call the
/// server may already have created: a re-send only when it is not there.
extension OutboxSender {
    /// Looks for a call the server may already have created for `request` (GET /calls by user and a
    /// time window around the log's creation). Calls already matched to other outbox entries are skipped,
    /// so two identical logs stay two calls. Errors: the client's, when the server cannot be asked.
    func findExisting(_ request: LogCallRequest, since created: Date) async throws -> Call? {
        let claimed = Set(((try? store.outbox(workspaceKey: workspaceKey, includeFinished: true)) ?? []).compactMap(\.callID))
        let query = CallListQuery(pageSize: 100, userID: request.userID,
                                  startDateFrom: created.addingTimeInterval(-lookupSlack - Double(request.duration)),
                                  startDateTo: Date().addingTimeInterval(lookupSlack))
        var page = try await client.listCalls(query)
        for _ in 0..<20 {
            if let hit = page.items.first(where: { !claimed.contains($0.id) && matches($0, request) }) { return hit }
            guard let next = page.next else { return nil }
            page = try await client.calls(at: next)
        }
        return nil
    }

    /// True when `call` is what `r` would have created: the same number (digits only) and task, and the
    /// same duration, answered, human and disposition wherever the server gave them.
    func matches(_ call: Call, _ r: LogCallRequest) -> Bool {
        func digits(_ s: String?) -> String { String((s ?? "").filter(\.isNumber)) }
        guard digits(call.to) == digits(r.to), call.taskID == r.taskID else { return false }
        if let d = call.duration, d != r.duration { return false }
        if let a = call.answered, a != r.answered { return false }
        if let h = call.human, h != r.human { return false }
        if call.dispositionID != nil || r.dispositionID != nil, call.dispositionID != r.dispositionID { return false }
        return true
    }
}
