import Foundation

/// The filters of `GET /tasks` (per Amplemarket API): `user_id` (required), `type` and `status`
/// (comma-separated lists, case-insensitive), `automatic` (true/false or 1/0), `keyword` (contact name,
/// email or company; case- and accent-insensitive), `sequence_key`, `contact_local_time_from` /
/// `contact_local_time_to` (the contact's local hour 0–23, both bounds inclusive, wrapping past midnight),
/// `message_opens` (a minimum count, or true / false for some / none).
struct TaskFilter {
    /// The filter parameters as given, in order (carried into the paging links).
    let items: [QueryItem]
    let userID: String
    private let types: Set<String>?
    private let statuses: Set<String>?
    private let automatic: Bool?
    private let keyword: String?
    private let sequenceKey: String?
    private let hourFrom: Int?
    private let hourTo: Int?
    private let minOpens: Int?
    private let noOpens: Bool

    /// Reads the filters out of `query`. Throws 400 `missing_field` without `user_id`, and 400
    /// `unsupported_value` (with `source.parameter`) for an unreadable `automatic`, hour or `message_opens`.
    init(_ query: [QueryItem]) throws(APIError) {
        let known = ["user_id", "type", "status", "automatic", "keyword", "sequence_key", "contact_local_time_from",
                     "contact_local_time_to", "message_opens"]
        let filters = query.filter { known.contains($0.name) }
        func value(_ name: String) -> String? { filters.last(where: { $0.name == name })?.value }
        guard let userID = value("user_id"), !userID.isEmpty else { throw APIError.missingParameter("user_id") }
        func list(_ name: String) -> Set<String>? {
            value(name).map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }) }
        }
        var automatic: Bool?
        if let a = value("automatic") {
            switch a.lowercased() {
            case "true", "1": automatic = true
            case "false", "0": automatic = false
            default: throw APIError.badParameter("automatic", "automatic must be true or false (got \"\(a)\")")
            }
        }
        func hour(_ name: String) throws(APIError) -> Int? {
            guard let text = value(name) else { return nil }
            guard let h = Int(text), (0...23).contains(h) else {
                throw APIError.badParameter(name, "\(name) must be an hour from 0 to 23 (got \"\(text)\")")
            }
            return h
        }
        let hourFrom = try hour("contact_local_time_from"), hourTo = try hour("contact_local_time_to")
        var minOpens: Int?, noOpens = false
        if let m = value("message_opens") {
            switch m.lowercased() {
            case "true": minOpens = 1
            case "false": noOpens = true
            default:
                guard let n = Int(m), n >= 0 else {
                    throw APIError.badParameter("message_opens", "message_opens must be a count or true/false (got \"\(m)\")")
                }
                minOpens = n
            }
        }
        self.items = filters
        self.userID = userID
        self.types = list("type")
        self.statuses = list("status")
        self.automatic = automatic
        self.keyword = value("keyword")?.trimmingCharacters(in: .whitespaces)
        self.sequenceKey = value("sequence_key")
        self.hourFrom = hourFrom
        self.hourTo = hourTo
        self.minOpens = minOpens
        self.noOpens = noOpens
    }

    /// Whether `t` passes every filter, with the UTC hour now being `utcHour` (for the contact's local hour).
    func matches(_ t: SandboxTask, utcHour: Int) -> Bool {
        if t.userID != userID { return false }
        if let types, !types.contains(t.type) { return false }
        if let statuses, !statuses.contains(t.status) { return false }
        if let automatic, t.automatic != automatic { return false }
        if let sequenceKey, t.sequenceKey != sequenceKey { return false }
        if let minOpens, t.messageOpens < minOpens { return false }
        if noOpens, t.messageOpens != 0 { return false }
        if let keyword, !keyword.isEmpty {
            let haystack = [t.contact?.name, t.contact?.email, t.contact?.company].compactMap { $0 }
            if !haystack.contains(where: { $0.range(of: keyword, options: [.caseInsensitive, .diacriticInsensitive]) != nil }) {
                return false
            }
        }
        if hourFrom != nil || hourTo != nil {
            guard let contact = t.contact else { return false }
            let local = ((utcHour + contact.utcOffsetHours) % 24 + 24) % 24
            let lo = hourFrom ?? 0, hi = hourTo ?? 23
            let inside = lo <= hi ? (lo...hi).contains(local) : (local >= lo || local <= hi)
            if !inside { return false }
        }
        return true
    }
}
