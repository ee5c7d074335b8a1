import AmplemarketAPI
import AmplemarketModels
import DispoStore
import DispoViewModel
import Foundation
import Logging

/// Keeps the local mirror of one rep's calls up to date from `GET /calls?user_id=…` (newest first).
///
/// One sync, in order:
/// 1. **Newest**: pages from the top (the first one may be the page the Calls tab just loaded) until a
///    page holds a call that was already mirrored and started more than `rereadSeconds` ago. Calls of the
///    last 7 days are always read again, since transcriptions and recordings arrive after a call.
/// 2. **Gaps**: a pass of step 1 that was cut short (server down) leaves calls unread between the oldest
///    it reached and the newest known before it; each such gap is read (`start_date_to`) down to a known
///    call.
/// 3. **Backfill**: until the oldest page has been read, pages older than the oldest call held
///    (`start_date_to`), to the end of the history.
///
/// Every page is upserted by call id in one transaction (a call never appears twice), and where the sync
/// stands is saved after each page, so a restart resumes where it stopped. Requests are paced by
/// `SyncPacer` so that the sync spends at most about half of the account's request budget: the rep's own
/// actions always have room. A failed request ends the sync (what was read is kept); the next one resumes.
actor HistorySync {
    /// A page to read: a first page of a query, or a next page by its `_links.next.href`.
    enum PageRequest: Sendable { case first(CallListQuery), next(String) }

    /// Calls of the last this-many seconds are read again on every sync (transcriptions arrive later).
    static let rereadSeconds: Double = 7 * 86_400
    /// Page size asked for (per Amplemarket API: `page[size]`).
    static let pageSize = 100

    /// Where the sync stands, saved in the store after each page.
    struct Bookmark: Codable, Sendable, Equatable {
        /// The oldest page has been read: the mirror holds the whole history.
        var complete = false
        /// Start dates below which calls may be missing down to the next known call (newest first).
        var gaps: [Date] = []
        /// When the newest calls were last read completely.
        var syncedAt: Date?
    }

    private let store: DispoStore
    private let workspaceKey: String
    private let userID: String
    private let fetch: @Sendable (PageRequest) async throws -> Page<Call>
    private let enrich: @Sendable ([Call]) -> [MirroredCall]
    private let pacer: SyncPacer
    private let report: @Sendable (HistoryProgress, Bool) -> Void
    private let logger = Logger(label: "dispo.history")
    private var running = false
    /// Seconds between two "calls changed" reports while a sync runs.
    static let changeInterval: Double = 1
    private var heldChange = false
    private var lastChangeTold = Date.distantPast
    /// A sync asked for while one ran: it runs once more after, from this first page when one was given.
    private var again: (asked: Bool, firstPage: Page<Call>?) = (false, nil)

    /// - Parameters:
    ///   - workspaceKey: the server's key in the store (base URL, or "sandbox"); with `userID` it names the
    ///     mirror, so workspaces and reps never mix.
    ///   - fetch: reads one page (through the app's client, so it counts against the shared budget).
    ///   - enrich: the text each call is also found by (E.164 numbers, local notes, disposition name).
    ///   - pacer: the sync's own share of the request budget.
    ///   - report: progress as the sync goes, with `true` when calls were added or changed since the last.
    init(store: DispoStore, workspaceKey: String, userID: String,
         fetch: @escaping @Sendable (PageRequest) async throws -> Page<Call>,
         enrich: @escaping @Sendable ([Call]) -> [MirroredCall], pacer: SyncPacer,
         report: @escaping @Sendable (HistoryProgress, Bool) -> Void) {
        self.store = store; self.workspaceKey = workspaceKey; self.userID = userID; self.fetch = fetch
        self.enrich = enrich; self.pacer = pacer; self.report = report
    }

    /// The store setting keys of bookmarks start with this, then `<workspace key>|<user id>`.
    static let bookmarkPrefix = "history:"
    private var bookmarkKey: String { Self.bookmarkPrefix + "\(workspaceKey)|\(userID)" }

    /// Where the sync stands (a fresh bookmark when none is saved or it cannot be read).
    func bookmark() -> Bookmark { Self.bookmark(store: store, workspaceKey: workspaceKey, userID: userID) }

    static func bookmark(store: DispoStore, workspaceKey: String, userID: String) -> Bookmark {
        guard let text = try? store.value(forKey: bookmarkPrefix + "\(workspaceKey)|\(userID)"),
              let data = text.data(using: .utf8),
              let b = try? JSONDecoder().decode(Bookmark.self, from: data) else { return Bookmark() }
        return b
    }

    private func save(_ b: Bookmark) {
        guard let data = try? JSONEncoder().encode(b), let text = String(data: data, encoding: .utf8) else { return }
        do { try store.setValue(text, forKey: bookmarkKey) } catch { logger.warning("history bookmark not saved: \(error)") }
    }

    /// How much of the history the mirror holds now.
    func progress(isSyncing: Bool = false) -> HistoryProgress {
        let summary = try? store.mirrorSummary(workspaceKey: workspaceKey, userID: userID)
        let b = bookmark()
        return HistoryProgress(userID: userID, mirrored: summary?.count ?? 0, isComplete: b.complete, oldestStart: summary?.oldestStart,
                               syncedAt: b.syncedAt, isSyncing: isSyncing)
    }

    /// Runs one sync (see the type), starting from `firstPage` when the caller already has the top page.
    /// A call while a sync runs makes one more run after it (with the newest first page given).
    /// Returns how the sync ended: nil when it completed its steps, else the error that stopped it.
    @discardableResult
    func sync(firstPage: Page<Call>? = nil) async -> Error? {
        if running { again = (true, firstPage ?? again.firstPage); return nil }
        running = true
        defer { running = false }
        var page = firstPage
        var lastError: Error?
        while true {
            lastError = await syncOnce(firstPage: page)
            guard again.asked else { break }
            page = again.firstPage
            again = (false, nil)
        }
        return lastError
    }

    private func syncOnce(firstPage: Page<Call>?) async -> Error? {
        report(progress(isSyncing: true), false)
        var b = bookmark()
        let heldBefore = ((try? store.mirrorSummary(workspaceKey: workspaceKey, userID: userID))?.count ?? 0) > 0
        do {
            let startedAt = Date()
            // 1. Newest, down to a known call older than the re-read period.
            let cutoff = startedAt.addingTimeInterval(-Self.rereadSeconds)
            var reached: Date?
            do {
                let end = try await readDown(from: firstPage, query: query(before: nil)) { known in
                    known.contains { ($0.startDate ?? .distantPast) < cutoff }
                } reachedOldest: { reached = $0 }
                if end == .bottom { b.complete = true }
                b.syncedAt = startedAt
                save(b)
            } catch {
                // Cut short: what lies between the oldest call reached and the calls known before is a gap
                // (on a first sync there are none: the backfill goes on from the oldest call held).
                if heldBefore, let reached { b.gaps.insert(reached, at: 0) }
                save(b)
                throw error
            }
            // 2. Gaps, newest first.
            while let gap = b.gaps.first {
                let end = try await readDown(from: nil, query: query(before: gap)) { !$0.isEmpty } reachedOldest: { _ in }
                if end == .bottom { b.complete = true }
                b.gaps.removeFirst()
                save(b)
            }
            // 3. Backfill to the oldest page.
            while !b.complete {
                let oldest = (try? store.mirrorSummary(workspaceKey: workspaceKey, userID: userID))?.oldestStart
                let end = try await readDown(from: nil, query: query(before: oldest.map { $0.addingTimeInterval(1) })) { _ in false }
                    reachedOldest: { _ in }
                if end == .bottom { b.complete = true; save(b) }
            }
            tell(progress(), changed: false, final: true)
            return nil
        } catch {
            logger.notice("history sync stopped: \(error)")
            tell(progress(), changed: false, final: true)
            return error
        }
    }

    /// Reports progress; "calls changed" at most once a second while the sync runs (each makes the Calls
    /// window and the stats be read again), and once more at the end when a change was held back.
    private func tell(_ p: HistoryProgress, changed: Bool, final: Bool = false) {
        heldChange = heldChange || changed
        let now = Date()
        if heldChange && (final || now.timeIntervalSince(lastChangeTold) >= Self.changeInterval) {
            heldChange = false
            lastChangeTold = now
            report(p, true)
        } else {
            report(p, false)
        }
    }

    private func query(before: Date?) -> CallListQuery {
        CallListQuery(pageSize: Self.pageSize, userID: userID, startDateTo: before)
    }

    /// How a read down the pages ended.
    private enum End { case stoppedAtKnown, bottom }

    /// Reads pages from `first` (or the first page of `query`) down, mirroring each, until `stop` says so
    /// for a page's calls that were already mirrored before it was written, or the last page.
    private func readDown(from first: Page<Call>?, query: CallListQuery,
                          stop: ([Call]) -> Bool, reachedOldest: (Date) -> Void) async throws -> End {
        var page: Page<Call>
        if let first { page = first } else { page = try await paced(.first(query)) }
        while true {
            let ids = page.items.map(\.id)
            let known = try store.knownCallIDs(ids, workspaceKey: workspaceKey, userID: userID)
            let write = try store.mirror(enrich(page.items), workspaceKey: workspaceKey, userID: userID)
            if let oldest = page.items.compactMap(\.startDate).min() { reachedOldest(oldest) }
            tell(progress(isSyncing: true), changed: write.inserted + write.updated > 0)
            if stop(page.items.filter { known.contains($0.id) }) { return .stoppedAtKnown }
            guard let next = page.next, !page.items.isEmpty else { return .bottom }
            page = try await paced(.next(next))
        }
    }

    private func paced(_ request: PageRequest) async throws -> Page<Call> {
        let slot = await pacer.wait()
        do {
            let page = try await fetch(request)
            await pacer.answered(slot)
            return page
        } catch {
            await pacer.answered(slot)
            throw error
        }
    }
}

/// The sync's share of the request budget: at most `limit` requests in any `window` seconds at the
/// server (per Amplemarket API: 500 a minute for the whole account; the sync takes about half, so the
/// rep's own requests always have room). Waits without blocking a thread.
///
/// The server counts a request when it arrives, which is some time after it was sent and before its
/// answer came back. So a request holds its slot from its send until `window` (and a margin of a
/// tenth of it, at most a second) after its answer: the request sent in its place then arrives at least
/// `window` after it, however slow either was on the way.
actor SyncPacer {
    let limit: Int
    let window: Double
    private struct Slot {
        let id: Int
        var answeredAt: Date?
    }
    private var slots: [Slot] = []
    private var nextID = 0
    /// Callers waiting while every slot is in flight (none answered yet): woken by `answered`.
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// - Parameters: limit: requests; window: seconds.
    init(limit: Int = 250, window: Double = 60) {
        self.limit = max(1, limit); self.window = max(0.001, window)
    }

    /// Returns when one more request fits the share, with its slot, to hand to `answered` once its
    /// answer (or failure) came back.
    func wait() async -> Int {
        let span = window + min(1, window / 10)
        while true {
            let now = Date()
            slots.removeAll { $0.answeredAt.map { now.timeIntervalSince($0) >= span } ?? false }
            if slots.count < limit {
                nextID += 1
                slots.append(Slot(id: nextID))
                return nextID
            }
            if let first = slots.compactMap(\.answeredAt).min() {
                do {
                    try await sleepOnEventLoop(seconds: max(0.001, first.addingTimeInterval(span).timeIntervalSince(now)))
                } catch {
                    // Cancelled (the sync is stopping): no wait again, which would return at once, in a loop.
                    // The slot is still counted; the request it is for is cancelled too.
                    nextID += 1
                    slots.append(Slot(id: nextID))
                    return nextID
                }
            } else {
                await withCheckedContinuation { waiters.append($0) }
            }
        }
    }

    /// The request in `slot` was answered (or failed) now: its slot is free `window` from now.
    func answered(_ slot: Int) {
        if let i = slots.firstIndex(where: { $0.id == slot }) { slots[i].answeredAt = Date() }
        let woken = waiters
        waiters.removeAll()
        for w in woken { w.resume() }
    }
}
