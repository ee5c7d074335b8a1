import AmplemarketAPI
import AmplemarketModels
import DispoViewModel
import Foundation

/// What the runtime does for one `Load`: which request(s) to make, whether the answer is kept for an
/// offline start, and which `Msg` answers success and failure. `Loader.load` follows it for every kind.
struct LoadDescription: Sendable {
    /// How a first load is kept: its answer saved in the store (shown again, saying so, when the server
    /// cannot be reached), and the load itself made again once the server is back.
    struct Kept: Sendable {
        /// The kind of load (`account`, `calls`…): one failed load per kind waits for the server, the
        /// latest (a newer query replaces an older one).
        var kind: String
        /// Names the saved copy: the kind, and for a list the query it was asked with
        /// (`calls?page[size]=50&user_id=u1`), so another filter never shows this one's rows.
        var name: String
        /// The success `Msg` for a saved copy (the JSON `fetch` saved). Throws when it cannot be read.
        var recall: @Sendable (Data) throws -> Msg
    }

    /// What a fetch brought: the `Msg` for the rep, and the JSON to save (nil: nothing to save).
    struct Answer: Sendable {
        var msg: Msg
        var saved: Data?
    }

    /// Nil for loads that are neither saved nor made again (next pages, which the lists ask for again as
    /// the cursor moves; the contact scan).
    let kept: Kept?
    /// Makes the request(s); each reports to the connection monitor. Throws the client's failure.
    let fetch: @Sendable (MonitoredClient) async throws -> Answer
    /// The `Msg` for a failure with no saved copy to show.
    let failed: @Sendable (APIFailure) -> Msg
    /// True when a successful load also starts the outbox (refreshing the calls sends what is queued too).
    let kicksOutbox: Bool
    /// The list (or single resource) the load reads: `calls` for the calls' first and next pages,
    /// `tasks` likewise, `account`, `users`, `dispositions`, `contact:<id>`. `Loader` never has two
    /// loads of one list in flight.
    var list: String {
        switch load {
        case .account: "account"
        case .users: "users"
        case .dispositions: "dispositions"
        case .calls, .callsPage: "calls"
        case .tasks, .tasksPage: "tasks"
        case .contactCalls(let contactID, _): "contact:" + contactID
        case .contactHours: "contact hours"
        case .historyWindow, .stats, .historyFacets: "history"
        }
    }
    /// False for a list's next page (by its `_links.next.href`), true for every other load.
    var isFirstPage: Bool {
        switch load {
        case .callsPage, .tasksPage: false
        default: true
        }
    }
    /// The load described.
    private(set) var load: Load = .account

    /// The description of `load`, one per kind.
    init(_ load: Load) {
        switch load {
        case .account:
            self = .saved("account", fetch: { try await $0.accountInfo() }, loaded: Msg.accountLoaded,
                          failed: Msg.accountFailed)
        case .users:
            self = .saved("users", fetch: { try await $0.allUsers(UserListQuery(pageSize: 100)) },
                          loaded: Msg.usersLoaded, failed: Msg.usersFailed)
        case .dispositions:
            self = .saved("dispositions", fetch: { try await $0.dispositions() }, loaded: Msg.dispositionsLoaded,
                          failed: Msg.dispositionsFailed)
        case .calls(let query):
            self = .firstPage("calls", query: query.queryItems, fetch: { try await $0.listCalls(query) },
                              loaded: Msg.callsPageLoaded, failed: Msg.callsFailed, kicksOutbox: true)
        case .callsPage(let href):
            self = .nextPage(fetch: { try await $0.calls(at: href) }, loaded: Msg.callsPageLoaded, failed: Msg.callsFailed)
        case .tasks(let query):
            self = .firstPage("tasks", query: query.queryItems, fetch: { try await $0.listTasks(query) },
                              loaded: Msg.tasksPageLoaded, failed: Msg.tasksFailed)
        case .tasksPage(let href):
            self = .nextPage(fetch: { try await $0.tasks(at: href) }, loaded: Msg.tasksPageLoaded, failed: Msg.tasksFailed)
        case .contactCalls(let contactID, let userID):
            self = .contactScan(contactID, userID: userID)
        case .contactHours(let userID):
            self = Self(kept: nil,
                        fetch: { api in
                            let checkedAt = Date()
                            let hours = try await LoadDescription.contactHours(userID: userID, api: api)
                            return Answer(msg: .contactHoursLoaded(hours, checkedAt: checkedAt), saved: nil)
                        },
                        failed: { _ in .contactHoursLoaded([:], checkedAt: Date()) }, kicksOutbox: false)
        case .historyWindow, .stats, .historyFacets:
            // Answered from the local mirror (`HistoryReads`), never the server: nothing to fetch.
            self = Self(kept: nil, fetch: { _ in throw APIFailure(kind: .other, message: "read from the local mirror") },
                        failed: { .statusMessage($0.message, isError: true) }, kicksOutbox: false)
        }
        self.load = load
    }

    private init(kept: Kept?, fetch: @escaping @Sendable (MonitoredClient) async throws -> Answer,
                 failed: @escaping @Sendable (APIFailure) -> Msg, kicksOutbox: Bool) {
        self.kept = kept; self.fetch = fetch; self.failed = failed; self.kicksOutbox = kicksOutbox
    }

    /// A kept load of one request: `save` turns its answer into what is stored, `restore` a stored copy
    /// back into an answer.
    private static func kept<Value: Sendable, Saved: Codable & Sendable>(
        kind: String, name: String, fetch: @escaping @Sendable (AmplemarketClient) async throws -> Value,
        save: @escaping @Sendable (Value) -> Saved, restore: @escaping @Sendable (Saved) -> Value,
        loaded: @escaping @Sendable (Value) -> Msg, failed: @escaping @Sendable (APIFailure) -> Msg,
        kicksOutbox: Bool = false
    ) -> Self {
        Self(kept: Kept(kind: kind, name: name,
                        recall: { data in loaded(restore(try APIJSON.decoder().decode(Saved.self, from: data))) }),
             fetch: { api in
                 let value = try await api.request(fetch)
                 // Best effort: a value that cannot be encoded only costs the offline copy.
                 return Answer(msg: loaded(value), saved: try? APIJSON.encoder().encode(save(value)))
             },
             failed: failed, kicksOutbox: kicksOutbox)
    }

    /// A first load saved as it came (account, users, dispositions).
    private static func saved<Value: Codable & Sendable>(
        _ kind: String, fetch: @escaping @Sendable (AmplemarketClient) async throws -> Value,
        loaded: @escaping @Sendable (Value) -> Msg, failed: @escaping @Sendable (APIFailure) -> Msg
    ) -> Self {
        kept(kind: kind, name: kind, fetch: fetch, save: { $0 }, restore: { $0 }, loaded: loaded, failed: failed)
    }

    /// A list's first page (`replacing: true`): its items are saved; a saved copy comes back as a page
    /// without a next link (further pages need the server anyway).
    private static func firstPage<Item: Codable & Sendable & Hashable>(
        _ kind: String, query: [(String, String)], fetch: @escaping @Sendable (AmplemarketClient) async throws -> Page<Item>,
        loaded: @escaping @Sendable (Page<Item>, Bool) -> Msg, failed: @escaping @Sendable (APIFailure) -> Msg,
        kicksOutbox: Bool = false
    ) -> Self {
        let name = kind + "?" + query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        return kept(kind: kind, name: name, fetch: fetch, save: { $0.items },
                    restore: { Page(items: $0, next: nil) }, loaded: { loaded($0, true) }, failed: failed,
                    kicksOutbox: kicksOutbox)
    }

    /// A list's next page (`replacing: false`), by its `_links.next.href`: neither saved nor made again.
    private static func nextPage<Item: Sendable & Hashable>(
        fetch: @escaping @Sendable (AmplemarketClient) async throws -> Page<Item>,
        loaded: @escaping @Sendable (Page<Item>, Bool) -> Msg, failed: @escaping @Sendable (APIFailure) -> Msg
    ) -> Self {
        Self(kept: nil,
             fetch: { api in Answer(msg: loaded(try await api.request(fetch), false), saved: nil) },
             failed: failed, kicksOutbox: false)
    }

    /// The contact scan: neither saved nor made again; a scan that could not finish found nothing (it
    /// stops at the first page with a hit).
    private static func contactScan(_ contactID: String, userID: String) -> Self {
        Self(kept: nil,
             fetch: { api in
                 let calls = try await scanCalls(of: contactID, userID: userID, api: api)
                 return Answer(msg: .contactCallsLoaded(contactID: contactID, calls: calls), saved: nil)
             },
             failed: { _ in .contactCallsLoaded(contactID: contactID, calls: []) }, kicksOutbox: false)
    }

    /// Each open phone task's contact's local hour now, per the server (amplemarket-api.md §5: it knows
    /// each contact's zone; the task does not carry it): `GET /tasks` with `contact_local_time_from` and
    /// `_to` both set to each hour 0–23 (read as inclusive; a server that reads them as exclusive answers
    /// nothing, and then no hour is known). A contact found under two hours is dropped (no guess). At most
    /// 3 pages of 100 per hour. Throws the client's failure.
    static func contactHours(userID: String, api: MonitoredClient) async throws -> [String: Int] {
        var hours: [String: Int] = [:]
        var ambiguous = Set<String>()
        for hour in 0..<24 {
            let query = TaskListQuery(userID: userID, pageSize: 100, type: "phone_call", status: "scheduled",
                                      contactLocalTimeFrom: hour, contactLocalTimeTo: hour)
            var page = try await api.request { try await $0.listTasks(query) }
            var read = 1
            while true {
                for t in page.items {
                    guard let cid = t.contact?.id else { continue }
                    if let known = hours[cid], known != hour { ambiguous.insert(cid) } else { hours[cid] = hour }
                }
                guard read < 3, let next = page.next else { break }
                page = try await api.request { try await $0.tasks(at: next) }
                read += 1
            }
        }
        for cid in ambiguous { hours[cid] = nil }
        return hours
    }

    /// Pages of 100 the contact scan reads at most.
    static let contactScanPages = 5

    /// A contact's calls among the rep's most recent ones: the API has no contact filter, so
    /// `GET /calls?user_id=…&page[size]=100` is read page by page, at most `contactScanPages` pages, up to
    /// the first page that has any. Empty when none was found. Throws the client's failure.
    static func scanCalls(of contactID: String, userID: String, api: MonitoredClient) async throws -> [Call] {
        var page = try await api.request { try await $0.listCalls(CallListQuery(pageSize: 100, userID: userID)) }
        var read = 1
        while true {
            let found = page.items.filter { $0.contact?.id == contactID }
            if !found.isEmpty { return found }
            guard read < contactScanPages, let next = page.next else { return [] }
            page = try await api.request { try await $0.calls(at: next) }
            read += 1
        }
    }
}
