import AmplemarketAPI
import AmplemarketModels
import DispoStore
import DispoViewModel
import Foundation
import Logging

/// Sends queued call logs from the store's outbox, oldest first, exactly once: neither a duplicate nor a
/// loss.
///
/// - A log is in the store before any network I/O (`enqueue`).
/// - A POST that may have reached the server (no answer, 500/502/504, an unreadable 2xx) is marked
///   uncertain; before it is sent again the sender looks for the call (`GET /calls` by user over the
///   window the server's clock gives, matching number, task, duration, disposition, answered, human) and
///   only re-sends when the whole window was searched and it is absent. When the window cannot be
///   searched, the rep is asked (`OutboxLookUp`).
/// - A POST the server refused before handling it (429; 503, which per RFC 9110 §15.6.4 says the server
///   could not handle the request) or that surely never left (`.notSent`) is simply retried later, after
///   its `Retry-After` (read in the server's clock, capped at 60 s by the client) when it gave one.
/// - The rep is asked to check only after `uncertainAttemptLimit` tries in a row that no look-up could
///   rule out (`UncertainTries`).
/// - 4xx with field pointers: the entry needs the rep's attention; nothing is dropped.
/// - Notes refused by the server (pointer `/notes`): re-sent once without them; the notes stay in the
///   local journal and the rep is told (the documented `POST /calls` body has no `notes`).
/// - While the connection monitor says offline, nothing is attempted (its probe kicks the outbox, with
///   `ignoringBackoff`, as soon as the server answers); otherwise a failed head waits its backoff
///   (1, 2, 4 … 60 s ±20 %, or the server's `Retry-After`) on a timer.
/// - Only the process holding the state directory's `SenderLock` sends (`isSender`); another one only
///   writes its logs to the store and reports what the sender did with them (`reportOutcomes`).
/// - When the store cannot take a write, `SendingStore` keeps it in memory and sending pauses until
///   the store takes writes again.
final class OutboxSender: @unchecked Sendable {
    let client: AmplemarketClient
    let store: SendingStore
    let workspaceKey: String
    let connection: ConnectionMonitor?
    let post: @Sendable (Msg) -> Void
    /// Called after each log the server has (sent or found), e.g. to publish the journal's notes.
    var onSent: (@Sendable () -> Void)?
    let logger = Logger(label: "dispo.outbox")
    private let lock = NSLock()
    private var running = false
    private var again = false
    private var againIgnoringBackoff = false
    private var retryTimer: Task<Void, Never>?
    private var sender = false
    /// Logs written by this process whose outcome another sender has yet to report.
    private var submittedHere: Set<String> = []

    /// What this process knows about each entry's uncertain tries.
    let uncertainTries = UncertainTries()

    /// Seconds to wait after a POST that may have reached the server before looking for its call: a
    /// server still working on it (a slow save, our own timeout) must have finished, or the look-up
    /// misses the call and the re-send duplicates it. Never skipped, not even when the server comes back.
    let uncertainSettle: Double
    /// After this many tries in a row that may each have created the call and that no look-up could rule
    /// out (the look-ups themselves failing), the entry stops and asks the rep to check (re-sending could
    /// duplicate, never re-sending could lose).
    let uncertainAttemptLimit: Int

    init(client: AmplemarketClient, store: DispoStore, workspaceKey: String, connection: ConnectionMonitor? = nil,
         uncertainSettle: Double = 15, uncertainAttemptLimit: Int = 4, storeProbeDelays: [Double] = [1, 2, 4, 8, 16, 30],
         post: @escaping @Sendable (Msg) -> Void) {
        self.client = client; self.workspaceKey = workspaceKey; self.connection = connection
        self.store = SendingStore(store: store, probeDelays: storeProbeDelays, post: post)
        self.uncertainSettle = uncertainSettle; self.uncertainAttemptLimit = uncertainAttemptLimit
        self.post = post
        self.store.onHealthy = { [weak self] in
            self?.publish()
            self?.kick(ignoringBackoff: false)
        }
    }

    var isBusy: Bool { lock.lock(); defer { lock.unlock() }; return running }

    /// True once this process holds the sender lock (or needs none): only then does `kick` send.
    var isSender: Bool {
        get { lock.withLock { sender } }
        set { lock.withLock { sender = newValue } }
    }

    /// How long after its POST started an interrupted send stays uncertain: the POST's own timeout (a
    /// server still holding it has answered or given up by then, as far as the client is concerned)
    /// plus the settle time (a server finishing a save it was given before that).
    var interruptedSendLimit: Double { client.configuration.requestTimeout + uncertainSettle }

    /// Writes a log to the outbox durably. Errors: the store's, when the log could not be saved.
    func enqueue(localID: String, request: LogCallRequest, summary: String, clearingDraft draftKey: String?) throws {
        let json = try APIJSON.encoder().encode(request)
        _ = try store.enqueue(NewOutboxEntry(localID: localID, workspaceKey: workspaceKey, requestJSON: json,
                                             summary: summary, createdAt: Date(), clearsDraftKey: draftKey))
        lock.withLock { _ = submittedHere.insert(localID) }
        publish()
    }

    /// Replaces the request of an entry that needed attention (the rep edited it) and queues it again.
    /// The rep sending it again is the rep's answer to "check the Calls list": no look-up comes first.
    /// Errors: the store's (e.g. the entry is not in needs-attention).
    func resubmit(localID: String, request: LogCallRequest, summary: String) throws {
        try store.updateRequest(localID: localID, requestJSON: try APIJSON.encoder().encode(request), summary: summary)
        uncertainTries.ruledOut(localID)
        lock.withLock { _ = submittedHere.insert(localID) }
        publish()
    }

    /// Tells the view models what the outbox holds now.
    func publish() {
        guard let records = try? store.outbox(workspaceKey: workspaceKey, includeFinished: true) else { return }
        post(.outboxChanged(records.compactMap(outboxEntry)))
    }

    /// Starts sending if not already sending; safe to call from anywhere, any number of times.
    /// `ignoringBackoff`: the head of the queue is tried now even if its next attempt is later (the
    /// server just came back).
    func kick(ignoringBackoff: Bool = false) {
        lock.lock()
        guard sender else { lock.unlock(); return }
        if running {
            again = true
            againIgnoringBackoff = againIgnoringBackoff || ignoringBackoff
            lock.unlock(); return
        }
        running = true; again = false; againIgnoringBackoff = false
        lock.unlock()
        Task { await drain(ignoringBackoff: ignoringBackoff) }
    }

    private func drain(ignoringBackoff: Bool) async {
        var ignore = ignoringBackoff
        logger.debug("sending the outbox", metadata: ["ignoring backoff": "\(ignoringBackoff)"])
        defer { logger.debug("outbox idle") }
        while true {
            await sendAllDue(ignoringBackoff: ignore)
            let more: Bool = lock.withLock {
                if again {
                    again = false; ignore = againIgnoringBackoff; againIgnoringBackoff = false
                    return true
                }
                running = false
                return false
            }
            if !more { return }
        }
    }

    private func sendAllDue(ignoringBackoff: Bool) async {
        // Offline: the connection probe kicks the outbox when the server is back.
        if !ignoringBackoff, await connection?.isOffline == true { return }
        var now = ignoringBackoff ? Date.distantFuture : Date()
        while let record = try? store.nextSendable(workspaceKey: workspaceKey, now: now) {
            // The server coming back skips the backoff, but never the settle time of a POST that may
            // have reached it: look-up and re-send wait until the server has surely finished with it.
            if record.uncertain, let due = record.nextAttemptAt, due > Date() { break }
            now = Date()
            let keepGoing = await send(record)
            publish()
            if !keepGoing { break }
        }
        // Something is waiting for its next attempt: wake up then (unless offline: the probe will).
        if await connection?.isOffline != true,
           let records = try? store.outbox(workspaceKey: workspaceKey, includeFinished: false),
           let next = records.filter({ $0.state == .pending }).compactMap(\.nextAttemptAt).min() {
            scheduleRetry(at: next)
        }
    }

    private func scheduleRetry(at date: Date) {
        lock.lock()
        retryTimer?.cancel()
        let delay = max(0.05, date.timeIntervalSinceNow)
        retryTimer = Task { [weak self] in
            try? await sleepOnEventLoop(seconds: delay)
            if !Task.isCancelled { self?.kick() }
        }
        lock.unlock()
    }

    /// Sends one record. Returns false when sending should pause (the head of the queue must wait, so
    /// later logs never overtake it).
    private func send(_ record: OutboxRecord) async -> Bool {
        guard var request = try? APIJSON.decoder().decode(LogCallRequest.self, from: record.requestJSON) else {
            try? store.markNeedsAttention(localID: record.localID, error: "The saved log could not be read", fieldErrors: [:])
            return true
        }
        do { try store.markSending(localID: record.localID, at: Date()) } catch {
            logger.error("markSending failed: \(error)")
            return false
        }
        publish()
        let typedNotes = request.notes
        do {
            if uncertainTries.needsLookUp(record) {
                let lookUp: LookUp
                do { lookUp = try await findExisting(request, since: record.createdAt) } catch {
                    return await lookUpFailed(failure(error), record: record)
                }
                switch lookUp {
                case .found(let existing):
                    logger.notice("found call \(existing.id) for \(record.localID); not re-sending")
                    try finish(record, call: existing, typedNotes: typedNotes)
                    await connection?.reached()
                    return true
                case .absent:
                    uncertainTries.ruledOut(record.localID)
                case .cannotSearch(let why):
                    askTheRep("Could not check whether the server already has this log: \(why).", record: record)
                    await connection?.reached()
                    return true
                }
            }
            let call: Call
            do {
                // The POST is uncertain from its own start (the look-up before it took time).
                if record.uncertain, !(await postStarts(record)) { return false }
                call = try await client.logCall(request)
            } catch let f as APIFailure where request.notes != nil && f.fieldErrors["notes"] != nil {
                // The server refuses the notes field: send once without it, keep the notes locally.
                request.notes = nil
                if !(await postStarts(record)) { return false }
                call = try await client.logCall(request)
            }
            try finish(record, call: call, typedNotes: typedNotes)
            await connection?.reached()
            return true
        } catch let f as APIFailure {
            return await handle(f, record: record)
        } catch {
            return await handle(APIFailure(kind: .other, message: String(describing: error)), record: record)
        }
    }

    /// Records that a POST of `record` starts now. When the store cannot save that, the POST is not
    /// made: the entry goes back to pending (kept in memory until written) and false is returned.
    private func postStarts(_ record: OutboxRecord) async -> Bool {
        do {
            try store.markPostStarted(localID: record.localID, at: Date())
            return true
        } catch {
            logger.error("markPostStarted failed: \(error)")
            try? store.markRetry(localID: record.localID, error: "Not sent: \(error)", nextAttemptAt: Date(),
                                 uncertain: record.uncertain)
            return false
        }
    }

    /// Records that the server has `call` for `record`; the rep is told once the store has it.
    private func finish(_ record: OutboxRecord, call: Call, typedNotes: String?) throws {
        let notesStored = typedNotes == nil || !(call.notes ?? "").isEmpty
        let callJSON = (try? APIJSON.encoder().encode(call)) ?? Data()
        try store.markSent(localID: record.localID, callID: call.id, callJSON: callJSON, notesStored: notesStored,
                           at: Date()) { [post, onSent, localID = record.localID] in
            post(.logSent(localID: localID, call: call, notesStored: notesStored))
            onSent?()
        }
        uncertainTries.forget(record.localID)
    }

    /// For a process that does not send: tells the view models what the sender did with the logs
    /// written here (`.logSent` once sent, `.logFailed` once refused), each once.
    func reportOutcomes() {
        let ids = lock.withLock { submittedHere }
        for id in ids {
            guard let record = try? store.store.outboxEntry(localID: id) else { continue }
            switch record.state {
            case .sent:
                guard let journal = try? store.store.journalEntry(callID: record.callID ?? ""),
                      let call = try? APIJSON.decoder().decode(Call.self, from: journal.callJSON) else { continue }
                lock.withLock { _ = submittedHere.remove(id) }
                post(.logSent(localID: id, call: call, notesStored: journal.notesStoredByServer))
            case .needsAttention:
                lock.withLock { _ = submittedHere.remove(id) }
                let entries = record.fieldErrors.map { APIErrorEntry(detail: $0.value, source: APIErrorSource(pointer: "/" + $0.key)) }
                post(.logFailed(localID: id, failure: APIFailure(kind: entries.isEmpty ? .other : .validation,
                                                                 entries: entries, message: record.lastError ?? "refused")))
            case .discarded:
                lock.withLock { _ = submittedHere.remove(id) }
            case .pending, .sending:
                continue
            }
        }
    }

    /// True for a failure that says the server did not handle the POST: never sent, refused before
    /// processing (429; 503 Service Unavailable, RFC 9110 §15.6.4), or the key rejected.
    static func refusedBeforeProcessing(_ f: APIFailure) -> Bool {
        switch f.kind {
        case .notSent, .rateLimited, .unauthorized: true
        case .server: f.status == 503
        default: false
        }
    }

    private func handle(_ f: APIFailure, record: OutboxRecord) async -> Bool {
        let attempt = record.attempts + 1
        if Self.refusedBeforeProcessing(f) {
            // Surely not created: plain retry later, after the server's Retry-After when it gave one.
            let wait = f.retryAfter ?? backoff(attempt: attempt)
            try? store.markRetry(localID: record.localID, error: f.message, nextAttemptAt: Date().addingTimeInterval(wait), uncertain: record.uncertain)
            if let asked = f.retryAfter { post(.statusMessage(serverAskedToWait(asked), isError: false)) }
            switch f.kind {
            case .notSent: await connection?.unreachable(f)
            case .unauthorized: await connection?.observe(f)
            default: await connection?.retrying(attempt: attempt)
            }
            return false
        }
        switch f.kind {
        case .uncertain, .server, .badResponse:
            // May be on the server: look it up before any re-send, after it has settled.
            let unresolved = uncertainTries.uncertain(record.localID)
            if unresolved >= uncertainAttemptLimit {
                askTheRep("Could not confirm that the server received this log after \(unresolved) tries (\(f.message)).",
                          record: record, kind: f.kind, status: f.status)
                return true
            }
            let wait = max(f.retryAfter ?? backoff(attempt: attempt), uncertainSettle)
            try? store.markRetry(localID: record.localID, error: f.message, nextAttemptAt: Date().addingTimeInterval(wait), uncertain: true)
            if f.kind == .uncertain { await connection?.unreachable(f) } else { await connection?.retrying(attempt: attempt) }
            return false
        default:
            // Refused for what it is (4xx), or a local problem: the rep decides.
            try? store.markNeedsAttention(localID: record.localID, error: f.message, fieldErrors: f.fieldErrors)
            uncertainTries.forget(record.localID)
            if f.kind != .configuration && f.kind != .other { await connection?.observe(f) }
            post(.logFailed(localID: record.localID, failure: f))
            return true
        }
    }

    /// The look-up before a re-send could not be made (the server did not answer it, after the client's
    /// retries): nothing is sent; it is tried again later, and the rep asked after
    /// `uncertainAttemptLimit` unresolved tries in a row.
    private func lookUpFailed(_ f: APIFailure, record: OutboxRecord) async -> Bool {
        let unresolved = uncertainTries.lookUpFailed(record.localID)
        if unresolved >= uncertainAttemptLimit {
            askTheRep("Could not confirm that the server received this log after \(unresolved) tries (\(f.message)).",
                      record: record, kind: f.kind, status: f.status)
            return true
        }
        let wait = f.retryAfter ?? backoff(attempt: record.attempts + 1)
        try? store.markRetry(localID: record.localID, error: "Could not check whether the server has this log yet: \(f.message)",
                             nextAttemptAt: Date().addingTimeInterval(wait), uncertain: true)
        if let asked = f.retryAfter, f.kind == .rateLimited || f.kind == .server {
            post(.statusMessage(serverAskedToWait(asked), isError: false))
        }
        switch f.kind {
        case .notSent, .uncertain: await connection?.unreachable(f)
        case .server, .rateLimited: await connection?.retrying(attempt: record.attempts + 1)
        default: await connection?.reached()
        }
        return false
    }

    /// The entry may be on the server and the outbox cannot tell: it stops and asks the rep to check
    /// (`what` says why; the advice follows).
    private func askTheRep(_ what: String, record: OutboxRecord, kind: APIFailure.Kind = .other, status: Int? = nil) {
        let message = what + " Check the Calls list for it: if it is there, discard this entry; if not, send it again."
        try? store.markNeedsAttention(localID: record.localID, error: message, fieldErrors: [:])
        uncertainTries.forget(record.localID)
        post(.logFailed(localID: record.localID, failure: APIFailure(kind: kind, status: status, message: message)))
    }

    /// Exponential backoff with jitter: 1, 2, 4 … 60 seconds, ±20 %.
    private func backoff(attempt: Int) -> Double {
        let base = min(60, pow(2, Double(max(0, attempt - 1))))
        return base * Double.random(in: 0.8...1.2)
    }

    /// Maps a stored record to what the Outbox tab shows.
    func outboxEntry(_ record: OutboxRecord) -> OutboxEntry? {
        guard let request = try? APIJSON.decoder().decode(LogCallRequest.self, from: record.requestJSON) else { return nil }
        let state: OutboxEntry.State
        switch record.state {
        case .pending: state = .pending
        case .sending: state = .sending
        case .sent: state = .sent(callID: record.callID ?? "")
        case .needsAttention: state = .needsAttention
        case .discarded: state = .discarded
        }
        return OutboxEntry(localID: record.localID, request: request, summary: record.summary, state: state,
                           attempts: record.attempts, lastError: record.lastError, createdAt: record.createdAt)
    }
}
