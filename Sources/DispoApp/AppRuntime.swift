import AmplemarketAPI
import AmplemarketModels
import DispoStore
import DispoViewModel
import Foundation
import Logging

/// Performs the view models' `IOEffect`s: HTTP through the API client, SQLite through the store; results
/// come back as Msgs through `post`. Never blocks the UI thread: every effect runs in a Swift task.
///
/// The parts, each in its own file: `EffectRunner` (tasks in flight, for the idle signal), `Loader`
/// (every `Load`: fetch, save, show the saved copy while offline, make again once the server is back),
/// `StoreWriter` (drafts and new outbox entries, in order), `OutboxSender` (queued logs, exactly once), `ConnectionMonitor`
/// (online / retrying / offline for the header, and the offline probe).
///
/// One sender per state directory: `start()` takes the directory's `SenderLock`; if another dispo holds
/// it, this one only writes its logs to the shared store (`Msg.outboxSender(.anotherProcess)`), waits for
/// the lock on a background thread and takes over when that process exits. A `StoreWatcher` tells of
/// commits by other processes: the sender then sends what they queued, the others show what it did.
///
/// Also:
/// - when the server answers again, the outbox is kicked (at once when it had been unreachable) and the
///   loads that failed meanwhile are made again;
/// - tells the rep when the client waits to stay under Amplemarket's rate limit (`Msg.statusMessage`);
/// - posts the journal's notes the server did not store (`Msg.journalNotes`) at start and after each send.
public final class AppRuntime: Sendable {
    let client: AmplemarketClient
    let store: DispoStore
    let workspaceKey: String
    let logger = Logger(label: "dispo.runtime")
    let post: @Sendable (Msg) -> Void
    let outbox: OutboxSender
    let connection: ConnectionMonitor
    /// The client whose requests report to `connection`.
    let api: MonitoredClient
    let runner: EffectRunner
    let loader: Loader
    private let drafts: StoreWriter
    let role = SenderRole()
    /// The local mirror of the rep's calls (config `history`); nil: none is kept.
    let history: HistoryMirror?

    /// - Parameters:
    ///   - workspaceKey: names this workspace in the store (base URL), so drafts, queued logs and saved
    ///     pages of different servers never mix.
    ///   - events: the forwarder the client's configuration reports pacing waits and retries to (see
    ///     `Session.clientEvents`); the runtime connects to it. Nil: those reports are not shown.
    ///   - probeDelays: seconds between offline probes (the last one repeats); default 1, 2, 4, 8, 10.
    ///   - uncertainSettle: seconds to wait after a POST that may have reached the server before looking
    ///     for its call (and re-sending only if absent); default 15.
    ///   - storeProbeDelays: seconds between tries of a write the store refused (the last one repeats);
    ///     default 1, 2, 4, 8, 16, 30.
    ///   - history: how the local mirror of the rep's calls is kept; nil (default): none is.
    ///   - post: delivers a Msg to the UI thread (thread-safe).
    public init(client: AmplemarketClient, store: DispoStore, workspaceKey: String,
                events: ClientEventForwarder? = nil, probeDelays: [Double] = [1, 2, 4, 8, 10],
                uncertainSettle: Double = 15, storeProbeDelays: [Double] = [1, 2, 4, 8, 16, 30],
                history: HistoryOptions? = nil, post deliver: @escaping @Sendable (Msg) -> Void) {
        self.client = client
        self.store = store
        self.workspaceKey = workspaceKey
        let mirror = history.map { HistoryMirror(options: $0, store: store, workspaceKey: workspaceKey) }
        self.history = mirror
        mirror?.indexOwedNumbers()
        // The mirror learns what the view models are told that it needs: disposition names and local
        // notes to find calls by, and each sent call (mirrored before the rep hears of it).
        let post: @Sendable (Msg) -> Void
        if let mirror { post = { msg in mirror.relay(msg, to: deliver) } } else { post = deliver }
        self.post = post
        // The monitor is made before the runtime is whole; it reaches the runtime through this.
        let recovery = RecoveryRelay()
        // The probe asks once per try (`GET /account-info`, at most 10 s; its backoff is the monitor's),
        // through the same client, so it spends the same request budget as everything else.
        let connection = ConnectionMonitor(post: post, delays: probeDelays, probe: {
            do { _ = try await client.probe(timeout: 10); return true } catch let f as APIFailure {
                return !ConnectionMonitor.isOutage(f)
            } catch { return false }
        }, onRecovered: { recovery.recovered(fromOffline: $0) })
        self.connection = connection
        let outbox = OutboxSender(client: client, store: store, workspaceKey: workspaceKey, connection: connection,
                                  uncertainSettle: uncertainSettle, storeProbeDelays: storeProbeDelays, post: post)
        self.outbox = outbox
        let api = MonitoredClient(client: client, connection: connection)
        self.api = api
        runner = EffectRunner(post: post)
        loader = Loader(api: api, store: store, workspaceKey: workspaceKey, post: post, kickOutbox: { outbox.kick() })
        drafts = StoreWriter(store: store, key: "draft:" + workspaceKey, post: post)
        loader.onCallsFirstPage = { [weak self] query, page in self?.callsFirstPageArrived(query, page) }
        recovery.connect(self)
        outbox.onSent = { [weak self] in self?.publishJournalNotes() }
        outbox.store.onDamage = { [weak self] error in self?.salvage(after: error) ?? false }
        events?.connect(
            onPacingWait: { seconds in
                // Waits under half a second pass unnoticed; longer ones are said, rounded up.
                guard seconds >= 0.5 else { return }
                post(.statusMessage("Waiting \(Int(seconds.rounded(.up))) s to stay under Amplemarket's rate limit",
                                    isError: false))
            },
            onRetry: { [weak connection] notice in
                if let asked = notice.failure.retryAfter, [.rateLimited, .server].contains(notice.failure.kind) {
                    post(.statusMessage(serverAskedToWait(asked), isError: false))
                }
                guard let connection else { return }
                Task { await connection.retrying(notice) }
            })
    }

    /// True while any effect or outbox send is running (the idle signal waits for false). Draft writes
    /// and the offline probe do not count.
    public var isBusy: Bool { runner.isBusy || outbox.isBusy }

    /// Starts work that must happen once at startup: the sender lock is taken (or waited for), the
    /// store watched, the draft offered back, the outbox and the journal's unstored notes shown; as the
    /// sender, interrupted sends are recovered and the outbox flushed.
    public func start() {
        runner.run("start") { [self] in
            if let repair = store.repair {
                logger.error("the store was repaired on opening: \(repair.sentence)")
                post(.storeRepaired(repair.summary))
            }
            if let damage = store.keptDamage() {
                post(.damagedStoreKept(DamagedStoreNote(path: damage.path, unread: damage.unread)))
            }
            if let directory = store.directory {
                role.watcher = try? StoreWatcher(store: store) { [weak self] in self?.storeChanged() }
                switch Result(catching: { try SenderLock.tryAcquire(stateDirectory: directory) }) {
                case .success(.acquired(let lock)):
                    becomeSender(lock)
                case .success(.heldByAnother(let pid)):
                    logger.notice("another dispo (pid \(pid.map(String.init) ?? "?")) sends the outbox; waiting to take over")
                    role.otherPID = pid
                    post(.outboxSender(.anotherProcess(pid: pid)))
                    role.wait = try? SenderLock.acquireWhenFree(stateDirectory: directory) { [weak self] lock in
                        guard let self else { lock.release(); return }
                        self.becomeSender(lock)
                    }
                case .failure(let error):
                    // No lock file can be made there: send alone, as nothing else can share this store.
                    logger.warning("no sender lock: \(error)")
                    becomeSender(nil)
                }
            } else {
                becomeSender(nil)
            }
            if let draft = drafts.saved() { post(.draftRestored(draft)) }
            outbox.publish()
            publishJournalNotes()
            publishCallBacks()
        }
    }

    /// Posts `Msg.callBacksLoaded` with this workspace's call backs as the store holds them.
    func publishCallBacks() {
        do {
            let (list, unreadable) = try store.callBacks(workspaceKey: workspaceKey)
            if unreadable > 0 { logger.warning("\(unreadable) call back(s) in the store could not be read") }
            post(.callBacksLoaded(list))
        } catch {
            post(.statusMessage("Could not read the call backs: \(error)", isError: true))
        }
    }

    /// True while this process sends the outbox (it holds the sender lock, or its store is in memory).
    public var isSender: Bool { outbox.isSender }

    /// The pid of the other dispo that sends this state directory's outbox, while this one does not
    /// (nil when this one sends, or the pid is not known).
    public var otherSenderPID: Int32? { isSender ? nil : role.otherPID }

    /// Stops the offline probe (the client belongs to the session); stops watching the store and gives
    /// the sender lock up (a waiting dispo takes over).
    public func shutdown() async {
        role.stop()
        outbox.isSender = false
        await connection.stop()
    }

    /// Waits for pending draft writes (called before exit so the last keystrokes are on disk).
    public func flushDrafts() async { await drafts.flush() }

    /// Performs one effect. Called on the UI thread; returns at once.
    public func perform(_ effect: IOEffect) {
        switch effect {
        case .load(let load) where load.isHistoryRead:
            runner.run("history read") { [self] in await readHistory(load) }
        case .load(let load):
            runner.run("load \(LoadDescription(load).list)") { [loader] in await loader.load(load) }
        case .submitLog(let localID, let request, let summary):
            // In order with the draft writes (none queued before it can bring the draft back once the
            // outbox write has cleared it: a restored draft of a sent log invites a duplicate) and with
            // the logs sent before it (the outbox sends oldest first).
            let written = drafts.write { [self] in submit(localID: localID, request: request, summary: summary) }
            runner.run("submit log") { await written.value }
        case .downloadRecording(let callID, let path):
            runner.run("download recording") { [self] in
                do {
                    let bytes = try await api.request { try await $0.downloadRecording(callID: callID, to: path) }
                    post(.recordingSaved(callID: callID, path: path, bytes: bytes))
                } catch { post(.recordingFailed(callID: callID, failure: failure(error))) }
            }
        case .saveDraft(let draft):
            drafts.save(draft)
        case .clearDraft:
            drafts.clear()
        case .discardOutboxEntry(let localID):
            runner.run("discard outbox entry") { [self] in
                do { try store.discard(localID: localID) }
                catch { post(.statusMessage("Could not discard: \(error)", isError: true)) }
                outbox.publish()
            }
        case .rememberUser(let email):
            runner.run("remember user") { [self] in try? store.setValue(email, forKey: "user:" + workspaceKey) }
        case .rememberRegion(let code):
            runner.run("remember region") { [self] in try? store.setValue(code, forKey: "region:" + workspaceKey) }
        case .changeTask(let taskID, let change):
            runner.run("\(change.verb) task") { [self] in
                do {
                    switch change {
                    case .complete(let lead):
                        try await api.request { try await $0.completeTask(id: taskID, setLeadToCompleted: lead) }
                    case .skip:
                        try await api.request { try await $0.skipTask(id: taskID) }
                    }
                    post(.taskChanged(taskID: taskID, change: change))
                } catch { post(.taskChangeFailed(taskID: taskID, change: change, failure: failure(error))) }
            }
        case .saveCallBack(let callBack):
            runner.run("save call back") { [self] in
                do { try store.saveCallBack(callBack, workspaceKey: workspaceKey) }
                catch { post(.statusMessage("Could not keep the call back: \(error). Set it again.", isError: true)) }
                publishCallBacks()
            }
        case .removeCallBack(let id):
            runner.run("remove call back") { [self] in
                do { try store.removeCallBack(id: id) }
                catch { post(.statusMessage("Could not forget the call back: \(error)", isError: true)) }
                publishCallBacks()
            }
        }
    }

    /// Writes a log to the outbox, durably and before any network I/O, clearing the draft; then starts
    /// the outbox. When the store refuses, posts `.logFailed` (`.configuration`) and keeps the draft.
    private func submit(localID: String, request: LogCallRequest, summary: String) {
        // Only this log's own draft goes with it: a log from `dispo log`, or an outbox entry re-sent, leaves
        // the rep's draft of another call alone.
        let ownDraft = drafts.saved()?.localID == localID
        do {
            if (try? store.outboxEntry(localID: localID)) != nil {
                // An edited needs-attention entry: re-send it under the same local id.
                try outbox.resubmit(localID: localID, request: request, summary: summary)
                if ownDraft { try? store.clearDraft(key: drafts.key) }
            } else {
                // The draft is cleared in the same transaction, so a crash can't leave both.
                try outbox.enqueue(localID: localID, request: request, summary: summary,
                                   clearingDraft: ownDraft ? drafts.key : nil)
            }
        } catch {
            // Not durable: say so loudly and keep the draft, so nothing typed is lost.
            post(.logFailed(localID: localID, failure: APIFailure(kind: .configuration,
                message: "Could not save the log locally (\(error)); it was not sent. Your draft is kept.")))
            return
        }
        outbox.kick()
    }

    /// Posts `Msg.journalNotes` with the notes of every journal entry (most recent 1000) whose notes the
    /// server did not store: typed text is never dropped silently.
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
    fileprivate func recovered(fromOffline: Bool) {
        outbox.kick(ignoringBackoff: fromOffline)
        let loads = loader.takeWaiting()
        if !loads.isEmpty { logger.notice("server reachable again; reloading \(loads.count) failed load(s)") }
        for load in loads { perform(.load(load)) }
    }
}

/// Hands the connection monitor's recoveries to the runtime, which it does not keep alive.
private final class RecoveryRelay: @unchecked Sendable {
    private let lock = NSLock()
    private weak var runtime: AppRuntime?

    func connect(_ runtime: AppRuntime) { lock.withLock { self.runtime = runtime } }

    func recovered(fromOffline: Bool) { lock.withLock { runtime }?.recovered(fromOffline: fromOffline) }
}
