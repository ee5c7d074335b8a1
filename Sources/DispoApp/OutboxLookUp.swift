import AmplemarketAPI
import AmplemarketModels
import DispoViewModel
import Foundation

/// Before a log whose POST may have reached the server is sent again, the outbox looks for the call the
/// server may already have created: a re-send only when the whole window that could hold it was
/// searched and it is not there.
extension OutboxSender {
    /// What a look-up found.
    enum LookUp: Sendable {
        /// The server has the call.
        case found(Call)
        /// Every call the server could have created for the log was searched: it is not there.
        case absent
        /// The calls that could hold it cannot all be searched (the reason, in plain words): neither
        /// re-send (it may be there) nor give up (it may not) — the rep must look.
        case cannotSearch(String)
    }

    /// Seconds added on both sides of the look-up window beyond what the server's clock allows: second
    /// rounding of `start_date`, a clock adjusted a little since it was measured.
    static let lookUpSlack: Double = 300
    /// Pages of 100 calls a look-up reads at most before it says the window cannot be searched.
    static let lookUpPages = 20

    /// The `start_date` window, in the server's clock, that holds the call if the server created it for a
    /// log queued at `created` (our clock): from `created` to now, moved into the server's clock by the
    /// measured skew and widened by its uncertainty (`ServerClock.serverInterval`), the call's duration
    /// before (a server may stamp the call's start) and `lookUpSlack` on both sides. Nil when the
    /// server's clock is not known and cannot be measured. Errors: the measuring request's.
    func lookUpWindow(created: Date, duration: Int, now: Date = Date()) async throws -> ClosedRange<Date>? {
        if client.serverClock.skew == nil { _ = try await client.measureServerClock() }
        guard let server = client.serverClock.serverInterval(from: min(created, now), to: now) else { return nil }
        let from = server.lowerBound.addingTimeInterval(-Self.lookUpSlack - Double(max(0, duration)))
        let to = server.upperBound.addingTimeInterval(Self.lookUpSlack)
        return Date(timeIntervalSince1970: floor(from.timeIntervalSince1970))...Date(timeIntervalSince1970: ceil(to.timeIntervalSince1970))
    }

    /// Looks for a call the server may already have created for `request` (`GET /calls` by user over
    /// `lookUpWindow`, following every page). Calls already matched to other outbox entries are skipped,
    /// so two identical logs stay two calls. Errors: the client's, when the server cannot be asked (each
    /// request retried as any GET).
    func findExisting(_ request: LogCallRequest, since created: Date) async throws -> LookUp {
        guard let window = try await lookUpWindow(created: created, duration: request.duration) else {
            return .cannotSearch("the server's answers carry no date, so the calls it may have created for this log cannot be told from others")
        }
        let claimed = Set(((try? store.outbox(workspaceKey: workspaceKey, includeFinished: true)) ?? []).compactMap(\.callID))
        let query = CallListQuery(pageSize: 100, userID: request.userID,
                                  startDateFrom: window.lowerBound, startDateTo: window.upperBound)
        logger.notice("looking up a log's call", metadata: [
            "from": "\(APIDate.format(window.lowerBound))", "to": "\(APIDate.format(window.upperBound))",
            "skew": "\(client.serverClock.skew.map(String.init(describing:)) ?? "?")"])
        var page = try await client.listCalls(query)
        for _ in 1..<Self.lookUpPages {
            if let hit = page.items.first(where: { !claimed.contains($0.id) && matches($0, request) }) { return .found(hit) }
            guard let next = page.next else { return .absent }
            page = try await client.calls(at: next)
        }
        if let hit = page.items.first(where: { !claimed.contains($0.id) && matches($0, request) }) { return .found(hit) }
        if page.next == nil { return .absent }
        return .cannotSearch("the server lists more than \(Self.lookUpPages * 100) calls in the time it may have been saved")
    }

    /// True when `call` is what `r` would have created: the same number (by E.164, however the server
    /// spells it; by its digits when either does not parse) and task, and the same duration, answered,
    /// human and disposition wherever the server gave them.
    func matches(_ call: Call, _ r: LogCallRequest) -> Bool {
        guard sameNumber(call.to ?? "", r.to, region: numberRegion(r.from)), call.taskID == r.taskID else { return false }
        if let d = call.duration, d != r.duration { return false }
        if let a = call.answered, a != r.answered { return false }
        if let h = call.human, h != r.human { return false }
        if call.dispositionID != nil || r.dispositionID != nil, call.dispositionID != r.dispositionID { return false }
        return true
    }
}

/// True when `a` and `b` are one number: the same E.164 and extension when both parse (national
/// spellings read in `region`), else the same digits.
func sameNumber(_ a: String, _ b: String, region: String?) -> Bool {
    if let ka = numberKey(a, defaultRegion: region), let kb = numberKey(b, defaultRegion: region) { return ka == kb }
    return a.filter(\.isNumber) == b.filter(\.isNumber)
}
