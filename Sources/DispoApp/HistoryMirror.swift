import AmplemarketAPI
import AmplemarketModels
import DispoStore
import DispoViewModel
import Foundation
import Logging
import NIOPosix

/// How the runtime keeps the local mirror of the rep's calls (config `history`).
public struct HistoryOptions: Sendable {
    /// The sync's share of the request budget: at most `requestsPerWindow` in any `window` seconds
    /// (default 250 a minute, half of Amplemarket's 500).
    public var requestsPerWindow: Int
    /// Seconds.
    public var window: Double
    /// The region national spellings of the rep's numbers are read in (config `default_region`).
    public var defaultRegion: String?

    public init(requestsPerWindow: Int = 250, window: Double = 60, defaultRegion: String? = nil) {
        self.requestsPerWindow = requestsPerWindow; self.window = window; self.defaultRegion = defaultRegion
    }
}

/// The mirror's parts the runtime holds: one `HistorySync` per rep (made when the rep's first page of
/// calls arrives), and what each call is also found by.
final class HistoryMirror: @unchecked Sendable {
    let options: HistoryOptions
    let store: DispoStore
    let workspaceKey: String
    let pacer: SyncPacer
    private let lock = NSLock()
    private var syncs: [String: HistorySync] = [:]
    private var dispositionNames: [String: String] = [:]
    private var localNotes: [String: String] = [:]
    private var lastProgress: [String: HistoryProgress] = [:]
    private let logger = Logger(label: "dispo.history")
    /// The query of the last window asked for (an older one is not counted).
    private var latestQuery: CallHistoryQuery?

    init(options: HistoryOptions, store: DispoStore, workspaceKey: String) {
        self.options = options; self.store = store; self.workspaceKey = workspaceKey
        pacer = SyncPacer(limit: options.requestsPerWindow, window: options.window)
    }

    /// Disposition names by id (learnt from `Msg.dispositionsLoaded`), so calls are found by them.
    ///
    /// The names the mirror was last indexed under are kept in the store (setting
    /// `history-dispositions:<workspace>`). A name not among them (a disposition renamed in Amplemarket,
    /// or one first seen after calls with it were mirrored) is put into the search text of the mirrored
    /// calls that lack it, in the background; the task answers how many calls were indexed again (nil
    /// when no name is new).
    static let indexedNamesPrefix = "history-dispositions:"

    @discardableResult
    func learnDispositions(_ list: [Disposition]) -> Task<Int, Never>? {
        lock.withLock { for d in list { dispositionNames[d.id] = d.name } }
        let key = Self.indexedNamesPrefix + workspaceKey
        let indexed = (try? store.value(forKey: key)).flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
        let fresh = list.filter { d in d.name.map { !$0.isEmpty && indexed[d.id] != $0 } ?? false }
        guard !fresh.isEmpty else { return nil }
        return Task.detached(priority: .utility) { [self] in
            let written = (try? await offTheEventLoops { self.reindex(fresh) }) ?? 0
            var names = indexed
            for d in fresh { names[d.id] = d.name }
            if let json = try? JSONEncoder().encode(names) { try? store.setValue(String(decoding: json, as: UTF8.self), forKey: key) }
            return written
        }
    }

    /// Indexes again the mirrored calls of `dispositions` whose search text lacks the disposition's name;
    /// answers how many were written.
    private func reindex(_ dispositions: [Disposition]) -> Int {
        var written = 0
        for d in dispositions {
            guard let name = d.name,
                  let stale = try? store.mirroredCalls(withDisposition: d.id, notFoundBy: name, workspaceKey: workspaceKey),
                  !stale.isEmpty else { continue }
            let byUser: [String: [(userID: String, call: Call)]] = Dictionary(grouping: stale, by: { $0.userID })
            for (userID, calls) in byUser {
                let w = try? store.mirror(enrich(calls.map { $0.call }), workspaceKey: workspaceKey, userID: userID)
                written += (w?.updated ?? 0) + (w?.inserted ?? 0)
            }
        }
        if written > 0 { logger.info("indexed \(written) mirrored calls again under their dispositions' names") }
        return written
    }

    /// Indexes again, in the background, the calls this mirror kept before their search text held their
    /// numbers' digit forms (see `LocalHistory.indexNumbers`); the task answers how many (nil when the
    /// store failed: logged, and tried again on the next start).
    @discardableResult
    func indexOwedNumbers() -> Task<Int?, Never> {
        Task.detached(priority: .utility) { [self] in
            do {
                let (store, region) = (self.store, self.options.defaultRegion)
                let n = try await offTheEventLoops { try LocalHistory.indexNumbers(store: store, defaultRegion: region) }
                if n > 0 { logger.info("indexed \(n) mirrored calls again by their numbers' digits") }
                return n
            } catch {
                logger.error("could not index the mirrored calls by their numbers' digits: \(error)")
                return nil
            }
        }
    }

    /// Notes kept only in the local journal (the server did not store them), by call id.
    func learnLocalNotes(_ notes: [String: String]) {
        lock.withLock { for (id, text) in notes { localNotes[id] = text.isEmpty ? nil : text } }
    }

    /// Delivers `msg`, first learning from it what the mirror needs: disposition names and local notes
    /// to find calls by, each sync's progress, and each sent call (mirrored before the rep hears of it,
    /// then `.historyProgress(changed: true)` so the Calls window is read again).
    func relay(_ msg: Msg, to deliver: (Msg) -> Void) {
        switch msg {
        case .dispositionsLoaded(let list): learnDispositions(list)
        case .journalNotes(let notes): learnLocalNotes(notes)
        case .historyProgress(let progress, _):
            if let user = progress.userID { lock.withLock { lastProgress[user] = progress } }
        case .logSent(_, let call, _):
            guard let userID = call.userID, !userID.isEmpty,
                  let written = try? store.mirror(enrich([call]), workspaceKey: workspaceKey, userID: userID),
                  written.inserted + written.updated > 0 else { break }
            deliver(msg)
            var progress = lock.withLock { lastProgress[userID] } ?? HistoryProgress(userID: userID)
            if let summary = try? store.mirrorSummary(workspaceKey: workspaceKey, userID: userID) {
                progress.mirrored = summary.count
                progress.oldestStart = summary.oldestStart
            }
            deliver(.historyProgress(progress, changed: true))
            return
        default: break
        }
        deliver(msg)
    }

    /// The rep's sync, made on first use.
    func sync(userID: String, make: () -> HistorySync) -> HistorySync {
        lock.withLock {
            if let s = syncs[userID] { return s }
            let s = make()
            syncs[userID] = s
            return s
        }
    }

    /// Each call with the text it is also found by: its numbers in E.164 and their digit forms (read in
    /// the region of its From number, else the configured one), notes kept only locally, the
    /// disposition's name.
    func enrich(_ calls: [Call]) -> [MirroredCall] {
        let (names, notes) = lock.withLock { (dispositionNames, localNotes) }
        return calls.map { c in
            let region = Self.region(of: c, defaultRegion: options.defaultRegion)
            var extra: [String] = []
            for n in [c.to, c.from].compactMap({ $0 }) { if let e164 = numberKey(n, defaultRegion: region) { extra.append(e164) } }
            if let n = notes[c.id] { extra.append(n) }
            if let id = c.dispositionID, let name = names[id] { extra.append(name) }
            return MirroredCall(call: c, extraSearchText: extra.joined(separator: "\n"),
                                numberForms: Self.numberForms(to: c.to, from: c.from, defaultRegion: options.defaultRegion))
        }
    }

    /// The region a call's national spellings are read in: that of its From number, else `defaultRegion`.
    static func region(of c: Call, defaultRegion: String?) -> String? { c.from.flatMap(numberRegion) ?? defaultRegion }

    /// The digit forms of a call's To and From numbers (`numberDigitForms`), read in the region of the
    /// From number, else `defaultRegion`.
    static func numberForms(to: String?, from: String?, defaultRegion: String?) -> [String] {
        let region = from.flatMap(numberRegion) ?? defaultRegion
        return [to, from].compactMap { $0 }.flatMap { numberDigitForms($0, defaultRegion: region) }
    }

    /// Answers a read of the mirror with its `Msg`s (none for a load that is not one). A window is
    /// answered first uncounted, then counted (`.historyCounted`) unless a window of another query was
    /// asked for meanwhile (the rep typed on): counting every match of a common word is most of the work.
    func read(_ load: Load, progress: (String) async -> HistoryProgress, post: (Msg) -> Void) async {
        switch load {
        case .historyWindow(let query, let offset, let limit, let anchorID):
            lock.withLock { latestQuery = query }
            do {
                let w = try store.mirrorWindow(query, workspaceKey: workspaceKey, offset: offset, limit: limit,
                                               anchorID: anchorID, counting: false)
                post(.historyWindowLoaded(HistoryWindow(query: query, offset: w.offset, calls: w.calls, total: nil,
                                                        anchorRow: w.anchorRow)))
                guard lock.withLock({ latestQuery == query }) else { return }
                post(.historyCounted(query, total: try store.mirrorCount(query, workspaceKey: workspaceKey)))
            } catch {
                post(.statusMessage("Could not read the call history: \(error)", isError: true))
            }
        case .stats(let userID, let since):
            do {
                let tallies = try store.mirroredTallies(workspaceKey: workspaceKey, userID: userID, since: since)
                post(.statsLoaded(tallies: tallies, since: since, progress: await progress(userID)))
            } catch {
                post(.statusMessage("Could not read the call history: \(error)", isError: true))
            }
        case .historyFacets(let query, let dateStarts):
            do {
                post(.historyFacetsLoaded(query, try store.mirrorFacets(query, workspaceKey: workspaceKey, dateStarts: dateStarts)))
            } catch {
                post(.statusMessage("Could not count the call history: \(error)", isError: true))
            }
        default:
            return
        }
    }
}

extension AppRuntime {
    /// The rep's first page of calls arrived (at start or on a refresh): the mirror's sync starts from it.
    func callsFirstPageArrived(_ query: CallListQuery, _ page: Page<Call>) {
        guard let mirror = history, let userID = query.userID, query.startDateFrom == nil, query.startDateTo == nil,
              query.from == nil, query.to == nil else { return }
        let sync = historySync(mirror, userID: userID)
        runner.run("history sync") { await sync.sync(firstPage: page) }
    }

    /// The rep's sync (made on first use).
    func historySync(_ mirror: HistoryMirror, userID: String) -> HistorySync {
        mirror.sync(userID: userID) {
            let api = self.api
            return HistorySync(store: store, workspaceKey: workspaceKey, userID: userID, fetch: { request in
                try await api.request { client in
                    switch request {
                    case .first(let q): try await client.listCalls(q)
                    case .next(let href): try await client.calls(at: href)
                    }
                }
            }, enrich: { mirror.enrich($0) }, pacer: mirror.pacer, report: { [post] progress, changed in
                post(.historyProgress(progress, changed: changed))
            })
        }
    }

    /// Answers a read of the local mirror (`Load.historyWindow`, `Load.stats`) with its `Msg`.
    func readHistory(_ load: Load) async {
        guard let mirror = history else { return }
        await mirror.read(load, progress: { userID in await historySync(mirror, userID: userID).progress() }, post: post)
    }
}

/// The mirror for scripting commands (`dispo sync`, `dispo calls search`, `dispo stats`, `dispo forget`).
public enum LocalHistory {
    /// Runs one sync of `userID`'s calls into `store` through `client` (see `HistorySync`), paced by
    /// `options`; `progress` hears each page. Returns the progress at the end and the error that stopped
    /// the sync (nil when it finished).
    public static func sync(client: AmplemarketClient, store: DispoStore, workspaceKey: String, userID: String,
                            options: HistoryOptions = HistoryOptions(),
                            dispositions: [Disposition] = [],
                            progress: @escaping @Sendable (HistoryProgress) -> Void) async -> (HistoryProgress, Error?) {
        let mirror = HistoryMirror(options: options, store: store, workspaceKey: workspaceKey)
        mirror.learnDispositions(dispositions)
        let sync = HistorySync(store: store, workspaceKey: workspaceKey, userID: userID, fetch: { request in
            switch request {
            case .first(let q): try await client.listCalls(q)
            case .next(let href): try await client.calls(at: href)
            }
        }, enrich: { mirror.enrich($0) }, pacer: mirror.pacer, report: { p, _ in progress(p) })
        let error = await sync.sync()
        return (await sync.progress(), error)
    }

    /// Indexes again, once, the calls a mirror kept before their search text held their numbers' digit
    /// forms (`DispoStore.indexMirrorNumbers`; national spellings read as `enrich` reads them). Returns
    /// how many calls were indexed again: 0 when none owed it. Throws `StoreError`.
    /// `starting` is called first when there is work to do (it takes about 40 s for 100 000 calls).
    @discardableResult
    public static func indexNumbers(store: DispoStore, defaultRegion: String?, starting: () -> Void = {}) throws -> Int {
        guard try store.mirrorOwesNumberWords() else { return 0 }
        starting()
        return try store.indexMirrorNumbers { HistoryMirror.numberForms(to: $0, from: $1, defaultRegion: defaultRegion) }
    }

    /// How much of `userID`'s history `store` holds.
    public static func progress(store: DispoStore, workspaceKey: String, userID: String) -> HistoryProgress {
        let summary = try? store.mirrorSummary(workspaceKey: workspaceKey, userID: userID)
        let b = HistorySync.bookmark(store: store, workspaceKey: workspaceKey, userID: userID)
        return HistoryProgress(userID: userID, mirrored: summary?.count ?? 0, isComplete: b.complete,
                               oldestStart: summary?.oldestStart, syncedAt: b.syncedAt)
    }

    /// Deletes the mirror (calls, index, where each sync stood) of `workspaceKey`, or of every workspace
    /// with nil. Returns how many calls were deleted. Throws `StoreError`.
    public static func forget(store: DispoStore, workspaceKey: String?) throws -> Int {
        let n = try store.forgetMirror(workspaceKey: workspaceKey)
        try store.removeValues(withPrefix: HistorySync.bookmarkPrefix + (workspaceKey.map { $0 + "|" } ?? ""))
        if let workspaceKey {
            try store.removeValue(forKey: HistoryMirror.indexedNamesPrefix + workspaceKey)
        } else {
            try store.removeValues(withPrefix: HistoryMirror.indexedNamesPrefix)
        }
        return n
    }
}

/// Runs `body`, store work that can take seconds (indexing a large mirror again), on SwiftNIO's
/// blocking-work threads: Swift concurrency runs on the event loops that also carry the HTTP
/// connections, and a loop held for seconds would hold the outbox's sends on it. Throws what `body`
/// throws, or the pool's error when it has been shut down.
func offTheEventLoops<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}
