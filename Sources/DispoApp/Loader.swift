import AmplemarketAPI
import AmplemarketModels
import DispoStore
import DispoViewModel
import Foundation
import Logging

/// Makes every `Load` the same way, as its `LoadDescription` says:
///
/// 1. fetch, each request reported to the connection monitor;
/// 2. on success save a first load's answer in the store (best effort: a store failure only costs the
///    offline copy), then post the answer;
/// 3. on an outage (not reached, no answer, 5xx) remember a first load to make again once the server is
///    back (`takeWaiting`), and show its saved copy, telling the rep when it was loaded; otherwise, or
///    with nothing saved, post the failure.
///
/// An offline start thus still shows the last account, users, dispositions and first pages of tasks and
/// calls.
///
/// Loads of one list coalesce (`LoadDescription.list`): while one is in flight, the same load again is
/// not sent (the answer in flight serves it), a next page is not sent (the list asks again once the
/// answer is in), and a different first page (a refresh while a next page loads) waits its turn, only
/// the latest one kept. So hammering refresh or `G` never queues requests, and a list never has two
/// page loads in flight.
final class Loader: @unchecked Sendable {
    private let api: MonitoredClient
    private let store: DispoStore
    private let workspaceKey: String
    private let post: @Sendable (Msg) -> Void
    private let kickOutbox: @Sendable () -> Void
    /// Told of each first page of calls the server answered (not a saved copy), after it was posted:
    /// the local mirror's sync starts from it. Set once, before the first load.
    var onCallsFirstPage: (@Sendable (CallListQuery, Page<Call>) -> Void)?
    private let logger = Logger(label: "dispo.runtime")
    private let lock = NSLock()
    /// First loads that failed for lack of a server, one per kind (the latest), in the order they failed.
    private var waiting: [(kind: String, load: Load)] = []
    /// Per list: the load in flight, and the first-page load waiting for it (the latest asked).
    private var lists: [String: (inFlight: Load, next: Load?)] = [:]

    /// - Parameters:
    ///   - workspaceKey: part of every saved copy's store key, so servers never mix.
    ///   - post: delivers the answers (thread-safe).
    ///   - kickOutbox: starts the outbox, for loads whose description asks for it.
    init(api: MonitoredClient, store: DispoStore, workspaceKey: String, post: @escaping @Sendable (Msg) -> Void,
         kickOutbox: @escaping @Sendable () -> Void) {
        self.api = api; self.store = store; self.workspaceKey = workspaceKey; self.post = post
        self.kickOutbox = kickOutbox
    }

    /// Makes `load` and posts what answers it (see the type's steps), unless a load of its list is in
    /// flight (see the type: coalesced); then the first-page load that waited meanwhile, if any.
    func load(_ load: Load) async {
        guard admit(load) else {
            logger.debug("coalesced a load with one in flight", metadata: ["list": "\(LoadDescription(load).list)"])
            return
        }
        var current: Load? = load
        while let l = current {
            await make(l)
            current = finished(l)
        }
    }

    /// True when `load` is to be made now; otherwise it is dropped or left to wait (see the type).
    private func admit(_ load: Load) -> Bool {
        let d = LoadDescription(load)
        return lock.withLock {
            guard let state = lists[d.list] else {
                lists[d.list] = (load, nil)
                return true
            }
            if d.isFirstPage && state.inFlight != load { lists[d.list] = (state.inFlight, load) }
            return false
        }
    }

    /// `load` is over: the load of its list that waited for it (now in flight), or nil.
    private func finished(_ load: Load) -> Load? {
        let list = LoadDescription(load).list
        return lock.withLock {
            guard let next = lists[list]?.next else { lists[list] = nil; return nil }
            lists[list] = (next, nil)
            return next
        }
    }

    private func make(_ load: Load) async {
        let description = LoadDescription(load)
        let answer: LoadDescription.Answer
        do {
            answer = try await description.fetch(api)
        } catch {
            let f = failure(error)
            guard ConnectionMonitor.isOutage(f), let kept = description.kept else {
                post(description.failed(f))
                return
            }
            wait(load, kind: kept.kind)
            if let (json, fetchedAt) = try? store.cachedPage(key: storeKey(kept)), let msg = try? kept.recall(json) {
                post(msg)
                tellSaved(fetchedAt)
            } else {
                post(description.failed(f))
            }
            return
        }
        if let kept = description.kept, let json = answer.saved {
            do { try store.cachePage(key: storeKey(kept), json: json, fetchedAt: Date()) }
            catch { logger.warning("could not save \(storeKey(kept)): \(error)") }
        }
        post(answer.msg)
        if description.kicksOutbox { kickOutbox() }
        if case .calls(let query) = load, case .callsPageLoaded(let page, true) = answer.msg { onCallsFirstPage?(query, page) }
    }

    /// The loads waiting for the server, oldest first; forgets them (the caller makes them again).
    func takeWaiting() -> [Load] {
        lock.withLock {
            defer { waiting.removeAll() }
            return waiting.map(\.load)
        }
    }

    /// The store key of a kept load's saved copy: `cache:<workspace>:<name>`.
    func storeKey(_ kept: LoadDescription.Kept) -> String { "cache:\(workspaceKey):\(kept.name)" }

    private func wait(_ load: Load, kind: String) {
        lock.withLock {
            waiting.removeAll { $0.kind == kind }
            waiting.append((kind, load))
        }
    }

    /// Tells the rep that what is shown was saved earlier (`HH:mm` today, else `MMM d HH:mm`).
    private func tellSaved(_ fetchedAt: Date) {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = Calendar.current.isDateInToday(fetchedAt) ? "HH:mm" : "MMM d HH:mm"
        post(.statusMessage("Offline: showing what was loaded at \(f.string(from: fetchedAt)); it may be out of date. "
            + "Logs you send are queued and go out when the server is back.", isError: false))
    }
}
