import AmplemarketModels

/// The Outbox tab: every log written to the outbox, newest first, as the store reports them.
public struct OutboxTabState: Sendable, ListFeature {
    public var list = PagedList<OutboxEntry>()

    public init() {}

    /// The entries, newest first.
    public var entries: [OutboxEntry] { list.items }

    /// The text the `/` filter searches: the summary (contact · disposition), the number, the last error.
    static func searchText(_ e: OutboxEntry) -> String {
        [e.summary, e.request.to, e.lastError ?? ""].joined(separator: "\n")
    }

    /// The store's entries (all of them, whenever one changes).
    mutating func replace(with entries: [OutboxEntry], _ context: FeatureContext) {
        list.replaceAll(entries.sorted { $0.createdAt > $1.createdAt }, rows: context.frame.listRows.height,
                        searchText: Self.searchText)
    }

    mutating func prefetch(_ context: FeatureContext) -> [Effect] { [] }

    /// The outbox is not loaded from the API: the store reports every change by itself.
    mutating func reload(userID: String, _ context: FeatureContext) -> [Effect] { [] }

    func itemRows(_ context: FeatureContext) -> Rect? { context.frame.listRows }

    /// Logs still to reach the server (pending, sending or needing attention).
    public var queuedCount: Int { entries.reduce(0) { $0 + ($1.isQueued ? 1 : 0) } }
    /// Logs waiting to be sent or being sent: kept and sent next time.
    public var unsentCount: Int {
        entries.reduce(0) { n, e in
            switch e.state { case .pending, .sending: n + 1; default: n }
        }
    }
    /// Logs the rep must look at (refused or uncertain).
    public var needsAttentionCount: Int {
        entries.reduce(0) { n, e in if case .needsAttention = e.state { n + 1 } else { n } }
    }
}
