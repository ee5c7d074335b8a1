import AmplemarketAPI
import AmplemarketModels
import DispoStore
import DispoViewModel
import Foundation
import Logging

/// Performs the view models' Effects: HTTP through the API client, SQLite through the store; results
/// come back as Msgs through `post`. Never blocks the UI thread: every effect runs in a Swift task.
///
/// Also (issue 3, design.md §2 header, §4):
/// - keeps the connection state the header shows (`Msg.connectionChanged`: online / retrying / offline)
///   from every request's outcome and the client's retry reports; while offline a probe
///   (`GET /account-info`, one attempt, backing off 1 → 10 s) notices the server coming back, then the
///   outbox is kicked at once and the loads that failed are made again;
/// - tells the rep when the client waits to stay under Amplemarket's rate limit (`Msg.statusMessage`);
/// - posts the journal's notes the server did not store (`Msg.journalNotes`) at start and after each send.
///
/// Tracks work in flight so the front end can tell tests when the app is idle (the probe does not count).
public final class AppRuntime: @unchecked Sendable {
    let client: AmplemarketClient
    let store: DispoStore
    let workspaceKey: String
    let logger = Logger(label: "dispo.runtime")
    let post: @Sendable (Msg) -> Void
    let outbox: OutboxSender
    let connection: ConnectionMonitor
    private let probeClient: AmplemarketClient?
    private let lock = NSLock()
    private var inFlight = 0
    private var draftWrites: Task<Void, Never>?
    /// Loads that failed because the server could not be reached; made again when it is back.
    private var failedLoads: [IOEffect] = []

    /// - Parameters:
    ///   - workspaceKey: names this workspace in the store (base URL), so drafts and queued logs of
    ///     different servers never mix.
    ///   - events: the forwarder the client's configuration reports pacing waits and retries to (see
    ///     `Session.clientEvents`); the runtime connects to it. Nil: those reports are not shown.
    ///   - probeDelays: seconds between offline probes (the last one repeats); default 1, 2, 4, 8, 10.
    ///   - uncertainSettle: seconds to wait after a POST that may have reached the server before looking
    ///     for its call (and re-sending only if absent); default 15.
    ///   - post: delivers a Msg to the UI thread (thread-safe).
    public init(client: AmplemarketClient, store: DispoStore, workspaceKey: String,
                events: ClientEventForwarder? = nil, probeDelays: [Double] = [1, 2, 4, 8, 10],
                uncertainSettle: Double = 15, post: @escaping @Sendable (Msg) -> Void) {
        self.client = client
        self.store = store
        self.workspaceKey = workspaceKey
        self.post = post
        // The probe asks once per try: its own backoff is the monitor's, not the client's.
        var probeConfig = client.configuration
        probeConfig.retry = .none
        probeConfig.onRetry = nil
        probeConfig.onPacingWait = nil
        probeConfig.requestTimeout = min(probeConfig.requestTimeout, 10)
        let probeClient = try? AmplemarketClient(configuration: probeConfig, logger: Logger(label: "dispo.probe"))
        self.probeClient = probeClient
        connection = ConnectionMonitor(post: post, delays: probeDelays) {
            guard let probeClient else { return true }
            do { _ = try await probeClient.accountInfo(); return true } catch let f as APIFailure {
                return !ConnectionMonitor.isOutage(f)
            } catch { return false }
        }
        outbox = OutboxSender(client: client, store: store, workspaceKey: workspaceKey, connection: connection,
                              uncertainSettle: uncertainSettle, post: post)
        outbox.onSent = { [weak self] in self?.publishJournalNotes() }
        connection.onRecovered = { [weak self] fromOffline in self?.recovered(fromOffline: fromOffline) }
        events?.connect(
            onPacingWait: { seconds in
                // Waits under half a second pass unnoticed; longer ones are said, rounded up.
                guard seconds >= 0.5 else { return }
                post(.statusMessage("Waiting \(Int(seconds.rounded(.up))) s to stay under Amplemarket's rate limit",
                                    isError: false))
            },
            onRetry: { [weak connection] notice in connection?.retrying(notice) })
    }

    /// True while any effect or outbox send is running (the idle signal waits for false).
    public var isBusy: Bool {
        lock.lock(); defer { lock.unlock() }
        return inFlight > 0 || outbox.isBusy
    }

    /// Starts work that must happen once at startup: interrupted sends are recovered, the draft is
    /// offered back, the outbox and the journal's unstored notes shown, the outbox flushed.
    public func start() {
        run { [self] in
            do {
                let recovered = try store.recoverInterrupted()
                if recovered > 0 { logger.notice("recovered \(recovered) interrupted send(s)") }
            } catch { post(.statusMessage("Outbox could not be read: \(error)", isError: true)) }
            if let data = try? store.draft(key: draftKey),
               let draft = try? JSONDecoder().decode(LogDraft.self, from: data) {
                post(.draftRestored(draft))
            }
            outbox.publish()
            publishJournalNotes()
            outbox.kick()
        }
    }

    /// Stops the offline probe and closes its HTTP client (the main client belongs to the session).
    public func shutdown() async {
        connection.stop()
        await probeClient?.shutdown()
    }

    var draftKey: String { "draft:" + workspaceKey }

    /// Posts `Msg.journalNotes` with the notes of every journal entry (most recent 1000) whose notes the
    /// server did not store (amplemarket-api.md §3: never drop typed text silently).
    func publishJournalNotes() {
        guard let entries = try? store.journal(workspaceKey: workspaceKey, limit: 1000) else { return }
        var notes: [String: String] = [:]
        for e in entries where !e.notesStoredByServer {
            if let n = e.notes, !n.isEmpty { notes[e.callID] = n }
        }
        post(.journalNotes(notes))
    }

    /// The server answers again: send what is queued (at once when it had been unreachable) and make
    /// again the loads that failed meanwhile.
    private func recovered(fromOffline: Bool) {
        outbox.kick(ignoringBackoff: fromOffline)
        let loads: [IOEffect] = lock.withLock { defer { failedLoads.removeAll() }; return failedLoads }
        if !loads.isEmpty { logger.notice("server reachable again; reloading \(loads.count) failed load(s)") }
        for effect in loads { perform(effect) }
    }

    /// Remembers a load to make again once the server is back, when it failed for lack of a server.
    private func loadFailed(_ effect: IOEffect, _ error: Error) -> APIFailure {
        let f = failure(error)
        connection.observe(f)
        if ConnectionMonitor.isOutage(f), let kind = Self.reloadKind(effect) {
            // One per kind, the latest (a newer query replaces an older one); next pages are not
            // replayed (the lists ask for them again as the cursor moves).
            lock.withLock {
                failedLoads.removeAll { Self.reloadKind($0) == kind }
                failedLoads.append(effect)
            }
        }
        return f
    }

    /// Which first loads are made again after an outage (nil: not replayed).
    static func reloadKind(_ effect: IOEffect) -> String? {
        switch effect {
        case .load(.account): "account"
        case .load(.users): "users"
        case .load(.dispositions): "dispositions"
        case .load(.calls): "calls"
        case .load(.tasks): "tasks"
        default: nil
        }
    }

    // MARK: Saved first loads (an offline start still shows the last account, users, dispositions and
    // first pages of tasks and calls; design.md §7 "first screen", issue 3 "cached pages")

    /// The store key of a first load's saved copy, or nil for loads that are not saved.
    func cacheKey(_ effect: IOEffect) -> String? {
        func text(_ items: [(String, String)]) -> String { items.map { "\($0.0)=\($0.1)" }.joined(separator: "&") }
        let kind: String
        switch effect {
        case .load(.account): kind = "account"
        case .load(.users): kind = "users"
        case .load(.dispositions): kind = "dispositions"
        case .load(.calls(let q)): kind = "calls?" + text(q.queryItems)
        case .load(.tasks(let q)): kind = "tasks?" + text(q.queryItems)
        default: return nil
        }
        return "cache:\(workspaceKey):\(kind)"
    }

    /// Saves what a first load returned (best effort: a store failure only costs the offline copy).
    func remember<T: Encodable>(_ value: T, for effect: IOEffect) -> T {
        if let key = cacheKey(effect), let data = try? APIJSON.encoder().encode(value) {
            do { try store.cachePage(key: key, json: data, fetchedAt: Date()) }
            catch { logger.warning("could not save \(key): \(error)") }
        }
        return value
    }

    /// The saved copy of a first load and when it was fetched, when `failure` is an outage.
    func recall<T: Decodable>(_ type: T.Type, after failure: APIFailure, for effect: IOEffect) -> (T, Date)? {
        guard ConnectionMonitor.isOutage(failure), let key = cacheKey(effect),
              let (data, at) = try? store.cachedPage(key: key),
              let value = try? APIJSON.decoder().decode(T.self, from: data) else { return nil }
        return (value, at)
    }

    /// Tells the rep that what is shown was saved earlier.
    private func tellCached(_ fetchedAt: Date) {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = Calendar.current.isDateInToday(fetchedAt) ? "HH:mm" : "MMM d HH:mm"
        post(.statusMessage("Offline: showing what was loaded at \(f.string(from: fetchedAt)); it may be out of date. "
            + "Logs you send are queued and go out when the server is back.", isError: false))
    }

    /// Runs one client call, telling the connection monitor how it went.
    private func api<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            connection.reached()
            return value
        } catch {
            connection.observe(failure(error))
            throw error
        }
    }

    /// Performs one effect. Called on the UI thread; returns at once.
    public func perform(_ effect: IOEffect) {
        switch effect {
        case .load(.account):
            run { [self] in
                do { post(.accountLoaded(remember(try await api { try await client.accountInfo() }, for: effect))) }
                catch {
                    let f = loadFailed(effect, error)
                    if let (cached, at) = recall(AccountInfo.self, after: f, for: effect) { post(.accountLoaded(cached)); tellCached(at) }
                    else { post(.accountFailed(f)) }
                }
            }
        case .load(.users):
            run { [self] in
                do { post(.usersLoaded(remember(try await api { try await client.allUsers(UserListQuery(pageSize: 100)) }, for: effect))) }
                catch {
                    let f = loadFailed(effect, error)
                    if let (cached, at) = recall([User].self, after: f, for: effect) { post(.usersLoaded(cached)); tellCached(at) }
                    else { post(.usersFailed(f)) }
                }
            }
        case .load(.dispositions):
            run { [self] in
                do { post(.dispositionsLoaded(remember(try await api { try await client.dispositions() }, for: effect))) }
                catch {
                    let f = loadFailed(effect, error)
                    if let (cached, at) = recall([Disposition].self, after: f, for: effect) { post(.dispositionsLoaded(cached)); tellCached(at) }
                    else { post(.dispositionsFailed(f)) }
                }
            }
        case .load(.calls(let query)):
            run { [self] in
                do {
                    let page = try await api { try await client.listCalls(query) }
                    _ = remember(page.items, for: effect)
                    post(.callsPageLoaded(page, replacing: true))
                    outbox.kick()
                } catch {
                    let f = loadFailed(effect, error)
                    // A saved first page has no next link: further pages need the server anyway.
                    if let (cached, at) = recall([Call].self, after: f, for: effect) {
                        post(.callsPageLoaded(Page(items: cached, next: nil), replacing: true)); tellCached(at)
                    } else { post(.callsFailed(f)) }
                }
            }
        case .load(.callsPage(let href)):
            run { [self] in
                do { post(.callsPageLoaded(try await api { try await client.calls(at: href) }, replacing: false)) }
                catch { post(.callsFailed(loadFailed(effect, error))) }
            }
        case .load(.tasks(let query)):
            run { [self] in
                do {
                    let page = try await api { try await client.listTasks(query) }
                    _ = remember(page.items, for: effect)
                    post(.tasksPageLoaded(page, replacing: true))
                } catch {
                    let f = loadFailed(effect, error)
                    if let (cached, at) = recall([TaskRecord].self, after: f, for: effect) {
                        post(.tasksPageLoaded(Page(items: cached, next: nil), replacing: true)); tellCached(at)
                    } else { post(.tasksFailed(f)) }
                }
            }
        case .load(.tasksPage(let href)):
            run { [self] in
                do { post(.tasksPageLoaded(try await api { try await client.tasks(at: href) }, replacing: false)) }
                catch { post(.tasksFailed(loadFailed(effect, error))) }
            }
        case .load(.contactCalls(let contactID, let userID)):
            // No server filter by contact: scan the rep's most recent calls, a bounded number of pages.
            run { [self] in
                var found: [Call] = []
                var page = try? await api { try await client.listCalls(CallListQuery(pageSize: 100, userID: userID)) }
                var pages = 0
                while let p = page, pages < 5 {
                    found += p.items.filter { $0.contact?.id == contactID }
                    pages += 1
                    if !found.isEmpty { break }
                    guard let next = p.next else { break }
                    page = try? await api { try await client.calls(at: next) }
                }
                post(.contactCallsLoaded(contactID: contactID, calls: found))
            }
        case .submitLog(let localID, let request, let summary):
            // After the draft writes already queued, so none of them can bring the draft back once the
            // outbox write has cleared it (a restored draft of a sent log invites a duplicate).
            let previous = draftWrites
            run { [self] in
                await previous?.value
                do {
                    if (try? store.outboxEntry(localID: localID)) != nil {
                        // An edited needs-attention entry: re-send it under the same local id.
                        try outbox.resubmit(localID: localID, request: request, summary: summary)
                        try? store.clearDraft(key: draftKey)
                    } else {
                        // The draft is cleared in the same transaction, so a crash can't leave both.
                        try outbox.enqueue(localID: localID, request: request, summary: summary, clearingDraft: draftKey)
                    }
                } catch {
                    // Not durable: say so loudly and keep the draft, so nothing typed is lost.
                    post(.logFailed(localID: localID, failure: APIFailure(kind: .configuration,
                        message: "Could not save the log locally (\(error)); it was not sent. Your draft is kept.")))
                    return
                }
                outbox.kick()
            }
        case .downloadRecording(let callID, let path):
            run { [self] in
                do {
                    let bytes = try await api { try await client.downloadRecording(callID: callID, to: path) }
                    post(.recordingSaved(callID: callID, path: path, bytes: bytes))
                } catch { post(.recordingFailed(callID: callID, failure: failure(error))) }
            }
        case .saveDraft(let draft):
            // Latest draft wins; writes are serialised so an older one never overwrites a newer one.
            let previous = draftWrites
            draftWrites = Task { [self] in
                await previous?.value
                if let data = try? JSONEncoder().encode(draft) {
                    do { try store.saveDraft(key: draftKey, json: data, updatedAt: Date()) }
                    catch { post(.statusMessage("Draft could not be saved: \(error)", isError: true)) }
                }
            }
        case .clearDraft:
            let previous = draftWrites
            draftWrites = Task { [self] in
                await previous?.value
                try? store.clearDraft(key: draftKey)
            }
        case .discardOutboxEntry(let localID):
            run { [self] in
                do { try store.discard(localID: localID) }
                catch { post(.statusMessage("Could not discard: \(error)", isError: true)) }
                outbox.publish()
            }
        case .rememberUser(let email):
            run { [self] in try? store.setValue(email, forKey: "user:" + workspaceKey) }
        }
    }

    /// Waits for pending draft writes (called before exit so the last keystrokes are on disk).
    public func flushDrafts() async { await draftWrites?.value }

    private func run(_ body: @escaping @Sendable () async -> Void) {
        lock.lock(); inFlight += 1; lock.unlock()
        Task {
            await body()
            lock.withLock { inFlight -= 1 }
            post(.tick(Date()))  // wakes the UI so the idle signal is re-evaluated
        }
    }
}

/// Maps any error to an APIFailure for the view models.
func failure(_ error: Error) -> APIFailure {
    if let f = error as? APIFailure { return f }
    return APIFailure(kind: .other, message: String(describing: error))
}

/// Forwards the API client's pacing-wait and retry reports (`ClientConfiguration.onPacingWait` /
/// `onRetry`, called from any thread) to handlers connected later: the session makes the client before
/// the UI exists, the runtime connects once it does. Reports made before that are dropped.
public final class ClientEventForwarder: @unchecked Sendable {
    private let lock = NSLock()
    private var pacing: (@Sendable (Double) -> Void)?
    private var retry: (@Sendable (RetryNotice) -> Void)?

    public init() {}

    /// Sets (replaces) the handlers. `onPacingWait` gets seconds; `onRetry` the retry about to be made.
    public func connect(onPacingWait: @escaping @Sendable (Double) -> Void,
                        onRetry: @escaping @Sendable (RetryNotice) -> Void) {
        lock.withLock { pacing = onPacingWait; retry = onRetry }
    }

    /// Hands a pacing wait (seconds) to the handler, if connected.
    public func pacingWait(_ seconds: Double) { lock.withLock { pacing }?(seconds) }

    /// Hands a retry report to the handler, if connected.
    public func retried(_ notice: RetryNotice) { lock.withLock { retry }?(notice) }

    /// Points `configuration.onPacingWait` and `onRetry` at this forwarder.
    public func install(into configuration: inout ClientConfiguration) {
        configuration.onPacingWait = { [self] in pacingWait($0) }
        configuration.onRetry = { [self] in retried($0) }
    }
}

/// The connection state the header shows (design.md §2), kept from the outcome of every request.
///
/// - online: the last request was answered (a 4xx counts: the server is there).
/// - retrying(attempt): the client is retrying a request (5xx, 429), or the outbox waits to re-send.
/// - offline(why): the server could not be reached (connect refused, connection dropped, no answer,
///   or 5xx after every retry). A probe then runs (`probe`, waiting `delays[i]` seconds before try i,
///   the last delay repeating) until the server answers; `onRecovered(true)` follows.
final class ConnectionMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var current: ConnectionState = .online
    private var probeTask: Task<Void, Never>?
    private var stopped = false
    private let post: @Sendable (Msg) -> Void
    private let delays: [Double]
    private let probe: @Sendable () async -> Bool
    /// Called (from any thread) when the server answers after being offline (`true`) or after retries
    /// (`false`).
    var onRecovered: (@Sendable (Bool) -> Void)?

    /// - Parameter probe: asks the server once; true when it answered (whatever the answer).
    init(post: @escaping @Sendable (Msg) -> Void, delays: [Double], probe: @escaping @Sendable () async -> Bool) {
        self.post = post
        self.delays = delays.isEmpty ? [1] : delays
        self.probe = probe
    }

    /// The state now.
    var state: ConnectionState { lock.withLock { current } }
    var isOffline: Bool { if case .offline = state { return true } else { return false } }

    /// True for failures that mean "no usable server": not reached, no answer, 5xx.
    static func isOutage(_ f: APIFailure) -> Bool { f.kind == .notSent || f.kind == .uncertain || f.kind == .server }

    /// A request was answered.
    func reached() {
        let previous: ConnectionState? = lock.withLock {
            guard current != .online else { return nil }
            let p = current
            current = .online
            probeTask?.cancel(); probeTask = nil
            return p
        }
        guard let previous else { return }
        post(.connectionChanged(.online))
        if case .offline = previous { onRecovered?(true) } else { onRecovered?(false) }
    }

    /// Takes a failed request into account.
    func observe(_ f: APIFailure) {
        switch f.kind {
        case .notSent, .uncertain, .server: unreachable(f)
        case .rateLimited: retrying(attempt: 1)
        case .configuration: break  // local: says nothing about the server
        default: reached()          // the server answered (401, 404, 422…)
        }
    }

    /// The client is about to retry: "retrying" — unless already offline for lack of a server, which a
    /// retry of the same kind does not change.
    func retrying(_ notice: RetryNotice) {
        if isOffline && Self.isOutage(notice.failure) { return }
        retrying(attempt: notice.failedAttempt)
    }

    func retrying(attempt: Int) {
        let changed: Bool = lock.withLock {
            if case .offline = current { return false }
            if current == .retrying(attempt: attempt) { return false }
            current = .retrying(attempt: attempt)
            return true
        }
        if changed { post(.connectionChanged(.retrying(attempt: attempt))) }
    }

    /// The server cannot be reached: offline, and the probe starts.
    func unreachable(_ f: APIFailure) {
        let why: String
        switch f.kind {
        case .notSent: why = "cannot reach the server"
        case .server: why = "server errors" + (f.status.map { " (HTTP \($0))" } ?? "")
        default: why = "no answer from the server"
        }
        let changed: Bool = lock.withLock {
            if stopped { return false }
            if case .offline = current { return false }
            current = .offline(why)
            if probeTask == nil { probeTask = Task { [weak self] in await self?.probeLoop() } }
            return true
        }
        if changed { post(.connectionChanged(.offline(why))) }
    }

    /// Stops probing for good (app exit).
    func stop() {
        lock.withLock { stopped = true; probeTask?.cancel(); probeTask = nil }
    }

    private func probeLoop() async {
        var i = 0
        while !Task.isCancelled {
            let delay = delays[min(i, delays.count - 1)]
            i += 1
            do { try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) } catch { return }
            guard isOffline else { return }
            if await probe() {
                lock.withLock { probeTask = nil }
                reached()
                return
            }
        }
    }
}
