import AmplemarketAPI
import AmplemarketModels
import DispoStore
import DispoViewModel
import Foundation
import Logging

/// Performs the view models' Effects: HTTP through the API client, SQLite through the store; results
/// come back as Msgs through `post`. Never blocks the UI thread: every effect runs in a Swift task.
///
/// Tracks work in flight so the front end can tell tests when the app is idle.
public final class AppRuntime: @unchecked Sendable {
    let client: AmplemarketClient
    let store: DispoStore
    let workspaceKey: String
    let logger = Logger(label: "dispo.runtime")
    let post: @Sendable (Msg) -> Void
    let outbox: OutboxSender
    private let lock = NSLock()
    private var inFlight = 0
    private var draftWrites: Task<Void, Never>?

    /// - Parameters:
    ///   - workspaceKey: names this workspace in the store (base URL), so drafts and queued logs of
    ///     different servers never mix.
    ///   - post: delivers a Msg to the UI thread (thread-safe).
    public init(client: AmplemarketClient, store: DispoStore, workspaceKey: String, post: @escaping @Sendable (Msg) -> Void) {
        self.client = client
        self.store = store
        self.workspaceKey = workspaceKey
        self.post = post
        self.outbox = OutboxSender(client: client, store: store, workspaceKey: workspaceKey, post: post)
    }

    /// True while any effect or outbox send is running (the idle signal waits for false).
    public var isBusy: Bool {
        lock.lock(); defer { lock.unlock() }
        return inFlight > 0 || outbox.isBusy
    }

    /// Starts work that must happen once at startup: interrupted sends are recovered, the draft is
    /// offered back, the outbox shown and flushed.
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
            outbox.kick()
        }
    }

    var draftKey: String { "draft:" + workspaceKey }

    /// Performs one effect. Called on the UI thread; returns at once.
    public func perform(_ effect: Effect) {
        switch effect {
        case .loadAccount:
            run { [self] in
                do { post(.accountLoaded(try await client.accountInfo())) }
                catch { post(.accountFailed(failure(error))) }
            }
        case .loadUsers:
            run { [self] in
                do { post(.usersLoaded(try await client.allUsers(UserListQuery(pageSize: 100)))) }
                catch { post(.usersFailed(failure(error))) }
            }
        case .loadDispositions:
            run { [self] in
                do { post(.dispositionsLoaded(try await client.dispositions())) }
                catch { post(.dispositionsFailed(failure(error))) }
            }
        case .loadCalls(let query):
            run { [self] in
                do { post(.callsPageLoaded(try await client.listCalls(query), replacing: true)); outbox.kick() }
                catch { post(.callsFailed(failure(error))) }
            }
        case .loadCallsPage(let href):
            run { [self] in
                do { post(.callsPageLoaded(try await client.calls(at: href), replacing: false)) }
                catch { post(.callsFailed(failure(error))) }
            }
        case .loadTasks(let query):
            run { [self] in
                do { post(.tasksPageLoaded(try await client.listTasks(query), replacing: true)) }
                catch { post(.tasksFailed(failure(error))) }
            }
        case .loadTasksPage(let href):
            run { [self] in
                do { post(.tasksPageLoaded(try await client.tasks(at: href), replacing: false)) }
                catch { post(.tasksFailed(failure(error))) }
            }
        case .loadContactCalls(let contactID, let userID):
            // No server filter by contact: scan the rep's most recent calls, a bounded number of pages.
            run { [self] in
                var found: [Call] = []
                var page = try? await client.listCalls(CallListQuery(pageSize: 100, userID: userID))
                var pages = 0
                while let p = page, pages < 5 {
                    found += p.items.filter { $0.contact?.id == contactID }
                    pages += 1
                    if !found.isEmpty { break }
                    guard let next = p.next else { break }
                    page = try? await client.calls(at: next)
                }
                post(.contactCallsLoaded(contactID: contactID, calls: found))
            }
        case .submitLog(let localID, let request, let summary):
            run { [self] in
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
                    let bytes = try await client.downloadRecording(callID: callID, to: path)
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
        case .copyToClipboard, .openEditor, .repaint, .quit:
            break // handled by the terminal front end
        @unknown default:
            logger.warning("unhandled effect \(String(describing: effect))")
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
