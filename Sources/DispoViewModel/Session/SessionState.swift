import Foundation
import AmplemarketModels

/// What the whole app shares about the account and the connection: the workspace, who the rep is, the
/// dispositions, the connection state, the status line and a failure that blocks every pane. Changed by
/// the root reducer only; features read it through `FeatureContext`.
public struct SessionState: Sendable {
    public var account: AccountInfo?
    /// The workspace's users, once loaded.
    public var users: [User]?
    /// The rep, once known.
    public var user: User?
    public var dispositions = Dispositions()
    public var connection: ConnectionState = .online
    /// When a first page of a list last arrived.
    public var lastRefresh: Date?
    /// A failure that makes the whole pane useless (key rejected, server unreachable, not the API).
    public var paneError: String?
    /// True when `paneError` came from a failed load: the next load that succeeds clears it. False for
    /// facts a later load cannot change by itself (no users).
    var paneErrorFromFailure = false
    /// The message on the status line.
    public var status: StatusMessage?
    /// What an error `status` is about, when it goes by itself once that succeeds.
    var statusTopic: StatusTopic?
    /// The numbers last used, learnt from the calls seen.
    public var numbers = ContactNumbers()
    /// The last calls per task and per contact, learnt from the calls seen.
    public var history = CallHistory()
    /// The contacts' local hours as the server's task filters gave them, and when (nil until checked).
    public var contactHours: (hours: [String: Int], checkedAt: Date)?
    /// When the contact hours were last asked for (once per run, again on a refresh after 30 minutes).
    public var contactHoursAskedAt: Date?
    /// True once the rep was asked which country their numbers are in (asked once per run at most).
    public var regionAsked = false
    /// The local store: can it save, who sends the outbox, a damaged file kept aside.
    public var store = StoreStatus()
    /// How much of the rep's history the local mirror holds (nil: no mirror, or not reported yet).
    public var historyProgress: HistoryProgress?

    public init() {}
}

/// The workspace's dispositions, in server order, and by id.
public struct Dispositions: Sendable {
    public private(set) var list: [Disposition] = []
    public private(set) var byID: [String: Disposition] = [:]
    /// True once the list arrived.
    public private(set) var isLoaded = false

    /// Takes the list as `GET /calls/dispositions` gave it (the first of two with one id wins).
    mutating func set(_ list: [Disposition]) {
        self.list = list
        byID = Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        isLoaded = true
    }

    /// The display name of a disposition id: the loaded disposition's name, else `fallback`.
    public func name(id: String?, fallback: String? = nil) -> String? {
        if let id, let d = byID[id], let n = d.name, !n.isEmpty { return n }
        return fallback
    }
}

/// The numbers known per contact, newest call first: what the log form pre-fills and `y` copies on a task.
public struct ContactNumbers: Sendable {
    /// The last number called, per contact id, as the server stored it.
    public var lastTo: [String: String] = [:]
    /// The newest number per contact written with its country code (`+…`, `00…`), which reads the same
    /// in any region: used when the last one is a national spelling from another country.
    public var internationalTo: [String: String] = [:]

    /// The number to call `contactID` on, for a rep reading national numbers in `region`: the last one
    /// when it is a valid number there, else the newest written with its country code, else the last one.
    public func to(_ contactID: String, region: String?) -> String? {
        guard let last = lastTo[contactID] else { return nil }
        if case .valid = checkNumber(last, defaultRegion: region) { return last }
        return internationalTo[contactID] ?? last
    }

    /// Remembers `to` as the contact's newest international spelling when it is one (and none newer is known).
    private mutating func learnInternational(_ cid: String, _ to: String, newer: Bool) {
        guard newer || internationalTo[cid] == nil else { return }
        if case .valid = checkNumber(to, defaultRegion: nil) { internationalTo[cid] = to }
    }
    /// The rep's most recent `from`.
    public var lastFrom: String?

    /// A first page of calls holds the newest: its numbers win over older knowledge (kept for contacts the
    /// page does not mention).
    mutating func learnNewest(_ calls: [Call]) {
        var seen = Set<String>()
        var seenInternational = Set<String>()
        var newestFrom: String?
        for c in calls {
            if newestFrom == nil, let f = c.from, !f.isEmpty { newestFrom = f }
            guard let cid = c.contact?.id, let to = c.to, !to.isEmpty else { continue }
            if seen.insert(cid).inserted { lastTo[cid] = to }
            if !seenInternational.contains(cid), case .valid = checkNumber(to, defaultRegion: nil) {
                seenInternational.insert(cid)
                internationalTo[cid] = to
            }
        }
        if let f = newestFrom { lastFrom = f }
    }

    /// Older calls (a next page) only fill what is not known yet.
    mutating func learnOlder(_ calls: [Call]) {
        for c in calls {
            if lastFrom == nil, let f = c.from, !f.isEmpty { lastFrom = f }
            guard let cid = c.contact?.id, let to = c.to, !to.isEmpty else { continue }
            if lastTo[cid] == nil { lastTo[cid] = to }
            learnInternational(cid, to, newer: false)
        }
    }

    /// A call just logged: its numbers are now the latest.
    mutating func learnLogged(_ call: Call, contactID: String?) {
        if let cid = call.contact?.id ?? contactID, let to = call.to, !to.isEmpty {
            lastTo[cid] = to
            learnInternational(cid, to, newer: true)
        }
        if let f = call.from, !f.isEmpty { lastFrom = f }
    }

    /// A contact's earlier calls, found by scanning the rep's calls: the newest number wins.
    mutating func learnContact(_ contactID: String, calls: [Call]) {
        let newest = calls.sorted { ($0.startDate ?? .distantPast) > ($1.startDate ?? .distantPast) }
        if let to = newest.lazy.compactMap({ $0.to }).first(where: { !$0.isEmpty }) { lastTo[contactID] = to }
        if let intl = newest.lazy.compactMap({ $0.to }).first(where: {
            if case .valid = checkNumber($0, defaultRegion: nil) { return true } else { return false }
        }) { internationalTo[contactID] = intl }
        if lastFrom == nil, let from = newest.lazy.compactMap({ $0.from }).first(where: { !$0.isEmpty }) {
            lastFrom = from
        }
    }
}
