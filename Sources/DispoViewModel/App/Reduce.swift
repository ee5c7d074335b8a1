import Foundation
import AmplemarketModels

/// The reducer: applies one `Msg` to `state` and returns the effects to perform, in order.
///
/// Pure: no I/O, no clock reads (time comes from `.tick` through `environment.now`). Keys go to whatever
/// has focus (a modal, the log form, the filter being typed, the tab's screen); results of effects go to
/// the features they belong to; the rules that span features are named functions here. Work per key does
/// not depend on the number of loaded calls, except when a `/` filter's text changes (one pass).
public func reduce(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    let outboxFormBefore = state.logForm.form?.fromOutbox == true
    let selectedCallBefore = state.calls.list.selected?.id
    let submittedBefore = Set(state.logForm.submitted.keys)
    let formWasOpen = state.logForm.form != nil
    var effects = state.route(msg)
    state.askForTheRegionOnce(formWasOpen: formWasOpen)
    effects += state.lookUpTheSelectedContactsNumber()
    effects += state.logsHandedToOutbox(since: submittedBefore)
    state.formErrorFollowsTheForm()
    state.detailScrollFollowsTheSelection(from: selectedCallBefore)
    if outboxFormBefore || state.logForm.form?.fromOutbox == true { effects = AppState.withoutDraftWrites(effects) }
    return effects
}

extension AppState {
    /// Hands `msg` to the part of the state it is about.
    mutating func route(_ msg: Msg) -> [Effect] {
        switch msg {
        case .key(let key):
            return handleKey(key)
        case .resize(let size):
            self.size = size
            keepCursorsInView()
            return start()
        case .tick(let now):
            return tick(now)
        case .accountLoaded(let info):
            session.account = info
            session.loadSucceeded()
            return []
        case .accountFailed(let failure):
            session.block(failure, what: "the account", environment)
            return []
        case .usersLoaded(let users):
            session.loadSucceeded()
            return usersArrived(users)
        case .usersFailed(let failure):
            session.block(failure, what: "users", environment)
            return []
        case .dispositionsLoaded(let list):
            session.dispositions.set(list)
            session.loadSucceeded(.dispositions)
            calls.dispositionsArrived(context)
            return []
        case .dispositionsFailed(let failure):
            _ = loadFailed(failure, what: "dispositions", topic: .dispositions)
            return []
        case .callsPageLoaded(let page, let replacing):
            session.loadSucceeded(.calls)
            calls.receive(page, replacing: replacing, context)
            if replacing {
                session.lastRefresh = environment.now
                session.numbers.learnNewest(page.items)
            } else {
                session.numbers.learnOlder(page.items)
            }
            session.history.learn(page.items)
            return tab.screen.prefetch(&self, context)
        case .callsFailed(let failure):
            calls.failed(loadFailed(failure, what: "calls", topic: .calls))
            return []
        case .tasksPageLoaded(let page, let replacing):
            session.loadSucceeded(.tasks)
            tasks.receive(page, replacing: replacing, context)
            if replacing { session.lastRefresh = environment.now }
            return tab.screen.prefetch(&self, context) + (replacing ? contactHoursIfDue(page) : [])
        case .contactHoursLoaded(let hours, let checkedAt):
            // A sweep that found nothing (or failed) keeps the hours known from the last one, with their time.
            if !hours.isEmpty || session.contactHours == nil { session.contactHours = (hours, checkedAt) }
            return []
        case .tasksFailed(let failure):
            tasks.failed(loadFailed(failure, what: "tasks", topic: .tasks))
            return []
        case .contactCallsLoaded(let contactID, let found):
            session.numbers.learnContact(contactID, calls: found)
            for c in found { session.history.learn(c, contactID: contactID) }
            return apply(logForm.fillNumbers(contactID: contactID, session.numbers, region: context.defaultRegion))
        case .logSent(let localID, let call, let notesStored):
            logSent(localID: localID, call: call, notesStored: notesStored)
            return []
        case .logFailed(let localID, let failure):
            return logFailed(localID: localID, failure: failure)
        case .outboxChanged(let entries):
            outbox.replace(with: entries, context)
            return []
        case .recordingSaved(_, let path, let bytes):
            session.setStatus("Saved recording to \(path) (\(formatBytes(bytes)))", isError: false)
            return []
        case .recordingFailed(_, let failure):
            session.setStatus("Recording not downloaded: \(failure.message)", isError: true)
            return []
        case .draftRestored(let draft):
            return apply(logForm.restore(draft, context))
        case .editorFinished(let field, let text):
            return apply(logForm.editorFinished(field, text: text))
        case .clipboardSent(let description):
            session.setStatus("Copied \(description)", isError: false)
            return []
        case .connectionChanged(let connection):
            session.connection = connection
            return []
        case .statusMessage(let text, let isError):
            session.setStatus(text, isError: isError)
            return []
        case .journalNotes(let notes):
            // Merged into what is known: an empty string forgets that call's local notes.
            for (callID, text) in notes { calls.journalNotes[callID] = text.isEmpty ? nil : text }
            return []
        case .storeHealth(let health):
            session.store.health = health
            return []
        case .outboxSender(let role):
            session.store.sender = role
            return []
        case .damagedStoreKept(let note):
            session.store.damagedFile = note
            return []
        case .storeRepaired(let summary):
            session.store.repaired = summary
            return []
        case .callBacksLoaded(let list):
            tasks.setCallBacks(list, context)
            return []
        case .taskChanged(let taskID, let change):
            taskChanged(taskID, change)
            return tab.screen.prefetch(&self, context)
        case .taskChangeFailed(let taskID, let change, let failure):
            taskChangeFailed(taskID, change, failure)
            return []
        case .historyWindowLoaded(let window):
            return historyWindowArrived(window)
        case .historyCounted(let query, let total):
            calls.receiveCount(query, total: total, context)
            return []
        case .historyFacetsLoaded(let query, let facets):
            if case .filterMenu(var menu)? = modal, query == calls.historyQuery(context) {
                menu.take(facets, context)
                modal = .filterMenu(menu)
            }
            return []
        case .statsLoaded(let tallies, let since, let progress):
            return statsArrived(tallies, since: since, progress: progress)
        case .historyProgress(let progress, let changed):
            return historyProgressed(progress, changed: changed)
        }
    }

    /// A load failed: a rejected key blocks every pane; anything else is said on the status line until
    /// that load succeeds. Returns the message for the list that failed to load (nil when blocked).
    mutating func loadFailed(_ failure: APIFailure, what: String, topic: StatusTopic) -> String? {
        if session.block(failure, what: what, environment, onlyIfFatal: true) { return nil }
        session.setStatus("Could not load \(what): \(failure.message) (\(context.labels.primary(.refresh)) retries)", topic: topic)
        return failure.message
    }

    /// The clock moved: the timer starts, a date filter follows the clock (read again from the mirror
    /// when the list is a window over it), notices expire.
    mutating func tick(_ now: Date) -> [Effect] {
        environment.now = now
        logForm.tickTimer(now)
        var effects: [Effect] = []
        if calls.filter.isStale(now: now, zone: environment.timeZone) {
            calls.applyFilterChange(context)
            if case .filterMenu(let menu)? = modal { modal = .filterMenu(menu.recounted(calls, context)) }
            if calls.list.window != nil { effects = calls.prefetch(context) }
        }
        session.expireStatus(at: now)
        tasks.clockMoved(context)
        stats.clockMoved(context)
        if tab == .stats { effects += stats.loadIfNeeded(context) }
        return effects
    }

    /// Keeps every list's cursor on screen (after a resize).
    mutating func keepCursorsInView() {
        let rows = frame.listRows.height
        tasks.list.clamp(rows: tasks.visibleRows(context))
        calls.list.clamp(rows: rows)
        outbox.list.clamp(rows: rows)
    }
}
