import Foundation
import AmplemarketModels

/// Screen geometry shared by `reduce` (to keep the cursor in view) and `render`.
enum Layout {
    /// Rows used by the header, tab bar, status line and key hints.
    static let chromeRows = 4
    /// Columns from which the call detail is drawn beside the list (design.md §2).
    static let sideBySideColumns = 100
    /// Rows of list items visible in `size` (body minus the column heading).
    static func listRows(_ size: Size) -> Int { max(1, size.rows - chromeRows - 1) }
    static func isTooSmall(_ size: Size) -> Bool {
        size.cols < AppState.minimumSize.cols || size.rows < AppState.minimumSize.rows
    }
}

/// The reducer (design.md §3): applies one `Msg` to `state` and returns the effects to perform, in order.
///
/// Pure: no I/O, no clock reads (time comes from `.tick` through `environment.now`). Work per key is
/// independent of the number of loaded calls, except when a `/` filter's text changes (one O(n) pass).
public func reduce(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    // A form editing an outbox entry never touches the rep's draft: the entry is its durable record.
    let outboxFormBefore = state.form?.fromOutbox == true
    let effects = reduceMsg(&state, msg)
    // An error about the form's fields stays until the form is valid (or gone).
    if state.statusTopic == .form {
        if var form = state.form, state.status != nil {
            if validate(&form) != nil { state.status = nil; state.statusTopic = nil }
        } else {
            if state.form == nil, state.status?.isError == true { state.status = nil }
            state.statusTopic = nil
        }
    }
    guard outboxFormBefore || state.form?.fromOutbox == true else { return effects }
    return effects.filter {
        switch $0 { case .io(.saveDraft), .io(.clearDraft): false; default: true }
    }
}

func reduceMsg(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    switch msg {
    case .key(let key):
        return handleKey(&state, key)
    case .resize(let size):
        state.size = size
        state.scrollIntoView()
        return state.start()
    case .tick(let now):
        state.environment.now = now
        state.tickTimer(now)
        // A date filter follows the clock: "today" moves at local midnight, rolling windows are
        // re-applied once they have moved an hour (one O(n) pass then, not every tick).
        if let old = state.callFilterSince, let new = state.callFilter.since(now: now, zone: state.environment.timeZone),
           state.callFilter.dateRange == .today ? new != old : new.timeIntervalSince(old) >= 3600 {
            state.applyCallFilterChange()
        }
        if let s = state.status, !s.isError {
            if let shown = s.shownAt {
                if now.timeIntervalSince(shown) >= AppState.statusLifetime { state.status = nil }
            } else {
                state.status?.shownAt = now
            }
        }
        return []
    case .accountLoaded(let info):
        state.account = info
        state.loadSucceeded()
        return []
    case .accountFailed(let failure):
        state.applyBlocking(failure, what: "the account")
        return []
    case .usersLoaded(let users):
        state.loadSucceeded()
        return state.usersArrived(users)
    case .usersFailed(let failure):
        state.applyBlocking(failure, what: "users")
        return []
    case .dispositionsLoaded(let list):
        state.dispositions = list
        state.dispositionsByID = Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        state.dispositionsLoaded = true
        state.loadSucceeded(.dispositions)
        // Disposition names are part of each call's search text.
        state.indexSearchText(state.calls)
        if state.callList.matches != nil { state.refilterCalls() }
        return []
    case .dispositionsFailed(let failure):
        if !state.applyBlocking(failure, what: "dispositions", onlyIfFatal: true) {
            state.setStatus("Could not load dispositions: \(failure.message) (R retries)", isError: true)
            state.statusTopic = .dispositions
        }
        return []
    case .callsPageLoaded(let page, let replacing):
        state.loadSucceeded(.calls)
        let selectedBefore = state.selectedCall?.id
        state.callsArrived(page, replacing: replacing)
        if state.selectedCall?.id != selectedBefore { state.detailScroll = 0 }
        return state.prefetchIfNeeded()
    case .callsFailed(let failure):
        state.callsLoading = false
        if !state.applyBlocking(failure, what: "calls", onlyIfFatal: true) {
            state.callsError = failure.message
            state.setStatus("Could not load calls: \(failure.message) (R retries)", isError: true)
            state.statusTopic = .calls
        }
        return []
    case .tasksPageLoaded(let page, let replacing):
        state.loadSucceeded(.tasks)
        state.tasksArrived(page, replacing: replacing)
        return state.prefetchIfNeeded()
    case .tasksFailed(let failure):
        state.tasksLoading = false
        if !state.applyBlocking(failure, what: "tasks", onlyIfFatal: true) {
            state.tasksError = failure.message
            state.setStatus("Could not load tasks: \(failure.message) (R retries)", isError: true)
            state.statusTopic = .tasks
        }
        return []
    case .contactCallsLoaded(let contactID, let calls):
        let newest = calls.sorted { ($0.startDate ?? .distantPast) > ($1.startDate ?? .distantPast) }
        if let to = newest.lazy.compactMap({ $0.to }).first(where: { !$0.isEmpty }) {
            state.lastNumberByContact[contactID] = to
        }
        if state.lastFrom == nil, let from = newest.lazy.compactMap({ $0.from }).first(where: { !$0.isEmpty }) {
            state.lastFrom = from
        }
        return state.fillFormNumbers(contactID: contactID)
    case .logSent(let localID, let call, let notesStored):
        return state.logSent(localID: localID, call: call, notesStored: notesStored)
    case .logFailed(let localID, let failure):
        return state.logFailed(localID: localID, failure: failure)
    case .outboxChanged(let entries):
        state.outbox = entries.sorted { $0.createdAt > $1.createdAt }
        state.outboxList.cursor = min(state.outboxList.cursor, max(0, state.outbox.count - 1))
        state.scrollIntoView()
        return []
    case .recordingSaved(_, let path, let bytes):
        state.setStatus("Saved recording to \(path) (\(formatBytes(bytes)))", isError: false)
        return []
    case .recordingFailed(_, let failure):
        state.setStatus("Recording not downloaded: \(failure.message)", isError: true)
        return []
    case .draftRestored(let draft):
        if state.form == nil {
            state.form = LogForm(draft: draft, isDraft: true)
            state.setStatus("Restored an unsent log from last time. Ctrl-S sends it, Esc keeps it for later.",
                            isError: false)
        } else {
            state.keptDraft = draft
        }
        return []
    case .editorFinished(let field, let text):
        guard var form = state.form else { return [] }
        guard let text else {
            state.setStatus("The editor did not return any text; \(field.label.lowercased()) unchanged.", isError: true)
            return []
        }
        form.fields[field, default: TextField(allowsNewlines: field.usesEditor)].set(
            text.hasSuffix("\n") ? String(text.dropLast()) : text)
        form.errors[field] = nil
        state.form = form
        return [.io(.saveDraft(form.draft))]
    case .clipboardSent(let description):
        state.setStatus("Copied \(description)", isError: false)
        return []
    case .connectionChanged(let connection):
        state.connection = connection
        return []
    case .statusMessage(let text, let isError):
        state.setStatus(text, isError: isError)
        return []
    case .journalNotes(let notes):
        for (callID, text) in notes {
            state.journalNotes[callID] = text.isEmpty ? nil : text
        }
        return []
    }
}

func formatBytes(_ bytes: Int) -> String {
    if bytes < 1024 { return "\(bytes) bytes" }
    if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
    return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
}

// MARK: - Data arriving

extension AppState {
    /// A load succeeded: a pane error left by an earlier failed load ("Cannot reach …") no longer holds.
    mutating func loadSucceeded(_ topic: StatusTopic? = nil) {
        if paneError != nil && paneErrorFromFailure { paneError = nil; paneErrorFromFailure = false }
        // An error about this very load goes once it succeeds.
        if let topic, statusTopic == topic { status = nil; statusTopic = nil }
    }

    mutating func setStatus(_ text: String, isError: Bool) {
        status = StatusMessage(text: text, isError: isError, shownAt: nil)
        statusTopic = nil
    }

    /// A failure in words the rep can act on (per amplemarket-api.md §1, §6).
    func describe(_ failure: APIFailure, what: String) -> String {
        let base = environment.baseURLDisplay
        switch failure.kind {
        case .unauthorized:
            return "The API key was rejected by \(base). Check AMPLEMARKET_API_KEY (or api_key_file / "
                + "api_key_command in the config) and start dispo again."
        case .notSent, .uncertain:
            return "Cannot reach \(base) (\(failure.message)). Check the network or AMPLEMARKET_BASE_URL; "
                + "R retries."
        case .badResponse:
            return "\(base) does not look like the Amplemarket API (\(failure.message)). "
                + "Check AMPLEMARKET_BASE_URL."
        case .notFound:
            return "\(base) does not look like the Amplemarket API (\(what): not found). Check AMPLEMARKET_BASE_URL."
        case .configuration:
            return "Configuration problem: \(failure.message)"
        default:
            return "Could not load \(what): \(failure.description). R retries."
        }
    }

    /// Shows a failure that makes the app unusable as a full-pane message. With `onlyIfFatal`, only a
    /// rejected key does; returns true when the pane error was set.
    @discardableResult
    mutating func applyBlocking(_ failure: APIFailure, what: String, onlyIfFatal: Bool = false) -> Bool {
        if onlyIfFatal && failure.kind != .unauthorized { return false }
        paneError = describe(failure, what: what)
        paneErrorFromFailure = true
        return true
    }

    mutating func usersArrived(_ list: [User]) -> [Effect] {
        users = list
        if user != nil { return [] }
        if let email = environment.configuredUserEmail {
            if let u = list.first(where: { ($0.email ?? "").caseInsensitiveCompare(email) == .orderedSame }) {
                return chooseUser(u, remember: false)
            }
            setStatus("No user \(email) in this workspace \u{2014} pick who you are "
                + "(the e-mail came from --user / AMPLEMARKET_USER / config).", isError: true)
            modal = .userPicker(PickerState())
            return []
        }
        if list.count == 1 { return chooseUser(list[0], remember: false) }
        if list.isEmpty {
            paneError = "This workspace has no users, so no call can be logged (every call needs a user_id)."
            paneErrorFromFailure = false
            return []
        }
        modal = .userPicker(PickerState())
        return []
    }

    mutating func chooseUser(_ u: User, remember: Bool) -> [Effect] {
        user = u
        if case .userPicker? = modal { modal = nil }
        if remember, let s = status, s.isError { status = nil }
        var effects: [Effect] = []
        if remember, let email = u.email { effects.append(.io(.rememberUser(email: email))) }
        effects += reloadTasks() + reloadCalls()
        return effects
    }

    mutating func reloadTasks() -> [Effect] {
        guard let u = user else { return [] }
        tasksLoading = true
        tasksError = nil
        return [.io(.load(.tasks(TaskListQuery(userID: u.id, type: "phone_call", status: "scheduled"))))]
    }

    mutating func reloadCalls() -> [Effect] {
        guard let u = user else { return [] }
        callsLoading = true
        callsError = nil
        return [.io(.load(.calls(CallListQuery(pageSize: AppState.callsPageSize, userID: u.id))))]
    }

    mutating func callsArrived(_ page: Page<Call>, replacing: Bool) {
        callsLoading = false
        callsError = nil
        callsNext = page.next
        if replacing {
            let selectedID = selectedCall?.id
            calls = page.items
            callSearchText = [:]
            indexSearchText(page.items)
            callsLoaded = true
            lastRefresh = environment.now
            // A first page holds the newest calls: its numbers win over older knowledge (which is kept for
            // contacts the page does not mention, e.g. from `.contactCallsLoaded`).
            var seen = Set<String>()
            var newestFrom: String?
            for c in page.items {
                if newestFrom == nil, let f = c.from, !f.isEmpty { newestFrom = f }
                if let cid = c.contact?.id, let to = c.to, !to.isEmpty, seen.insert(cid).inserted {
                    lastNumberByContact[cid] = to
                }
            }
            if let f = newestFrom { lastFrom = f }
            if callList.matches != nil { refilterCalls() }
            if let id = selectedID, let i = calls.firstIndex(where: { $0.id == id }) {
                callList.cursor = callList.matches?.firstIndex(of: i) ?? (callList.matches == nil ? i : 0)
            } else {
                callList.cursor = 0
            }
        } else {
            let start = calls.count
            calls.append(contentsOf: page.items)
            indexSearchText(page.items)
            indexNumbers(page.items)
            if callList.matches != nil {
                let needle = Array(foldForSearch(callList.filter.text).utf8)
                for i in start..<calls.count where callPassesFolded(calls[i], needle) { callList.matches!.append(i) }
                filteredWith.count = calls.count
            }
        }
        clampCursor(&callList, total: calls.count)
    }

    /// Records numbers of newer-first calls: the first `to` seen per contact and the first `from`.
    mutating func indexNumbers(_ items: [Call]) {
        for c in items {
            if lastFrom == nil, let f = c.from, !f.isEmpty { lastFrom = f }
            if let cid = c.contact?.id, let to = c.to, !to.isEmpty, lastNumberByContact[cid] == nil {
                lastNumberByContact[cid] = to
            }
        }
    }

    mutating func tasksArrived(_ page: Page<TaskRecord>, replacing: Bool) {
        tasksLoading = false
        tasksError = nil
        tasksNext = page.next
        let open = page.items.filter { ($0.status == nil || $0.isScheduled) && ($0.type == nil || $0.isPhoneCall) }
        if replacing {
            tasks = open
            taskSearchText = [:]
            indexSearchText(open)
            tasksLoaded = true
            lastRefresh = environment.now
        } else {
            tasks.append(contentsOf: open)
            indexSearchText(open)
        }
        refilterTasks()
        clampCursor(&taskList, total: tasks.count)
    }

    /// Fills the open form's empty `to` / `from` from what is now known about the contact.
    mutating func fillFormNumbers(contactID: String) -> [Effect] {
        guard var form = state_form(contactID: contactID) else { return [] }
        var changed = false
        // Numbers filled in as they become known are part of the pre-fill (not something the rep typed).
        if form.fields[.to]?.isEmpty ?? true, let to = lastNumberByContact[contactID] {
            form.fields[.to] = TextField(to); changed = true
            if form.prefill?.to.isEmpty == true { form.prefill?.to = to }
        }
        if form.fields[.from]?.isEmpty ?? true, let from = lastFrom {
            form.fields[.from] = TextField(from); changed = true
            if form.prefill?.from.isEmpty == true { form.prefill?.from = from }
        }
        guard changed else { return [] }
        if [.to, .from].contains(form.focus), let next = form.firstEmptyRequired { form.focus = next }
        else if [.to, .from].contains(form.focus), form.firstEmptyRequired == nil { form.focus = .disposition }
        self.form = form
        return form.isChanged ? [.io(.saveDraft(form.draft))] : []
    }

    private func state_form(contactID: String) -> LogForm? {
        guard let f = form, f.base.contactID == contactID else { return nil }
        return f
    }

    mutating func logSent(localID: String, call: Call, notesStored: Bool) -> [Effect] {
        let draft = submitted.removeValue(forKey: localID)
        let contact = call.contact?.name ?? draft?.contactName ?? call.to ?? "call"
        let dispositionID = call.dispositionID ?? draft?.dispositionID
        let disposition = dispositionName(id: dispositionID, fallback: call.dispositionName) ?? "no disposition"
        var text = "Logged: \(contact) · \(disposition)"
        if !notesStored { text += " — notes were not stored by the server; kept locally" }
        setStatus(text, isError: !notesStored)
        if !calls.contains(where: { $0.id == call.id }) {
            let selectedID = selectedCall?.id
            calls.insert(call, at: 0)
            indexSearchText([call])
            if let cid = call.contact?.id ?? draft?.contactID, let to = call.to, !to.isEmpty {
                lastNumberByContact[cid] = to
            }
            if let f = call.from, !f.isEmpty { lastFrom = f }
            if callList.matches != nil { refilterCalls() }
            // Logged from elsewhere (usually Tasks): the new call is selected, so the Calls tab opens on
            // it. Reading the Calls tab as a queued log goes out: the cursor stays on the call it was on.
            let keepID = tab == .calls ? selectedID : call.id
            if let id = keepID, let i = calls.firstIndex(where: { $0.id == id }) {
                if let m = callList.matches { if let row = m.firstIndex(of: i) { callList.cursor = row } }
                else { callList.cursor = i }
            }
        }
        if let id = dispositionID, dispositionsByID[id]?.action == .complete,
           let taskID = call.taskID ?? draft?.taskID {
            tasks.removeAll { $0.id == taskID }
            refilterTasks()
            clampCursor(&taskList, total: tasks.count)
        }
        scrollIntoView()
        return []
    }

    mutating func logFailed(localID: String, failure: APIFailure) -> [Effect] {
        let draft = submitted[localID]
        let who = draft?.contactName ?? draft?.to ?? "the call"
        let fieldErrors = failure.fieldErrors
        if failure.kind == .configuration, let draft, form == nil {
            // The log could not even be stored locally: give the rep the form back, nothing typed lost.
            form = LogForm(draft: draft, isDraft: true)
            submitted[localID] = nil
            setStatus("Not sent: \(failure.message)", isError: true)
            return [.io(.saveDraft(draft))]
        }
        if !fieldErrors.isEmpty, let draft, form == nil {
            var f = LogForm(draft: draft, isDraft: true)
            applyServerErrors(fieldErrors, to: &f)
            form = f
            submitted[localID] = nil
            setStatus("The server refused the log for \(who); fix the marked fields and press Ctrl-S.", isError: true)
            return [.io(.saveDraft(draft))]
        }
        let why = failure.kind == .unauthorized ? describe(failure, what: "the log") : failure.description
        setStatus("Log for \(who) not sent: \(why). It is kept in the Outbox (3).", isError: true)
        return []
    }

    /// Maps server field errors (keyed by body field name) onto the form's fields.
    func applyServerErrors(_ errors: [String: String], to form: inout LogForm) {
        var general: [String] = []
        for (key, message) in errors.sorted(by: { $0.key < $1.key }) {
            if let field = FormField(apiField: key) {
                form.errors[field] = message
            } else {
                let name = key == "task_id" ? "task" : key == "user_id" ? "user" : key
                general.append("\(name): \(message)")
            }
        }
        form.formError = general.isEmpty ? nil : general.joined(separator: "; ")
        if let first = FormField.allCases.first(where: { form.errors[$0] != nil }) { form.focus = first }
    }
}

// MARK: - Lists: cursor, scroll, filter, paging

extension AppState {
    func total(of tab: Tab) -> Int {
        switch tab { case .tasks: tasks.count; case .calls: calls.count; case .outbox: outbox.count }
    }

    func clampCursor(_ list: inout ListState, total: Int) {
        let n = list.count(total: total)
        list.cursor = max(0, min(list.cursor, n - 1))
        let rows = Layout.listRows(size)
        if list.cursor < list.top { list.top = list.cursor }
        if list.cursor >= list.top + rows { list.top = list.cursor - rows + 1 }
        list.top = max(0, min(list.top, max(0, n - rows)))
    }

    /// Keeps every list's cursor on screen after a resize or change.
    mutating func scrollIntoView() {
        clampCursor(&taskList, total: tasks.count)
        clampCursor(&callList, total: calls.count)
        clampCursor(&outboxList, total: outbox.count)
    }

    mutating func withList(_ tab: Tab, _ body: (inout ListState) -> Void) {
        switch tab {
        case .tasks: body(&taskList); clampCursor(&taskList, total: tasks.count)
        case .calls: body(&callList); clampCursor(&callList, total: calls.count)
        case .outbox: body(&outboxList); clampCursor(&outboxList, total: outbox.count)
        }
    }

    func list(_ tab: Tab) -> ListState {
        switch tab { case .tasks: taskList; case .calls: callList; case .outbox: outboxList }
    }

    /// The folded search text of a call (see `callSearchText`).
    func searchText(of c: Call) -> [UInt8] {
        let fields = [c.contact?.name, c.contact?.email, c.to, c.from, c.notes,
                      dispositionName(id: c.dispositionID, fallback: c.dispositionName)]
        return Array(foldForSearch(fields.compactMap { $0 }.joined(separator: "\n")).utf8)
    }

    /// The folded search text of a task (see `taskSearchText`).
    func searchText(of t: TaskRecord) -> [UInt8] {
        let fields = [t.contact?.name, t.contact?.email, t.sequenceName, t.notes]
        return Array(foldForSearch(fields.compactMap { $0 }.joined(separator: "\n")).utf8)
    }

    /// Folds the search text of `items` once, as they arrive (never per keystroke).
    mutating func indexSearchText(_ items: [Call]) {
        for c in items { callSearchText[c.id] = searchText(of: c) }
    }

    mutating func indexSearchText(_ items: [TaskRecord]) {
        for t in items { taskSearchText[t.id] = searchText(of: t) }
    }

    /// True when the call's folded text holds `needle` (folded bytes).
    func callMatchesFolded(_ c: Call, _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        return foldedContains(callSearchText[c.id] ?? searchText(of: c), needle)
    }

    /// True when `c` matches the `/` text `needle` (any case or accents: it is folded here).
    func callMatches(_ c: Call, _ needle: String) -> Bool {
        callMatchesFolded(c, Array(foldForSearch(needle).utf8))
    }

    func taskMatches(_ t: TaskRecord, _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        return foldedContains(taskSearchText[t.id] ?? searchText(of: t), needle)
    }

    /// True when `c` passes the folded `/` text `needle` and the call filter.
    func callPassesFolded(_ c: Call, _ needle: [UInt8]) -> Bool {
        (needle.isEmpty || callMatchesFolded(c, needle)) && (!callFilter.isActive || callFilter.matches(c, since: callFilterSince))
    }

    /// True when `c` passes the `/` text (`needle`, lower-cased) and the call filter.
    func callPasses(_ c: Call, _ needle: String) -> Bool {
        callPassesFolded(c, Array(foldForSearch(needle).utf8))
    }

    /// One O(n) pass over the loaded calls (only when the `/` text, the call filter or the list changes).
    /// With `typing` (the `/` text just changed and nothing else), typing more of the same text only
    /// narrows the current matches (O(matches)).
    mutating func refilterCalls(typing: Bool = false) {
        let needle = foldForSearch(callList.filter.text)
        let bytes = Array(needle.utf8)
        let since = callFilter.since(now: environment.now, zone: environment.timeZone)
        let narrowing = typing && callList.matches != nil && callFilter == filteredWith.filter && since == callFilterSince
            && !filteredWith.needle.isEmpty && needle.hasPrefix(filteredWith.needle) && filteredWith.count == calls.count
        callFilterSince = since
        if needle.isEmpty && !callFilter.isActive { callList.matches = nil } else if narrowing {
            callList.matches = callList.matches!.filter { callMatchesFolded(calls[$0], bytes) }
        } else {
            callList.matches = calls.indices.filter { callPassesFolded(calls[$0], bytes) }
        }
        filteredWith = (needle, callFilter, calls.count)
        clampCursor(&callList, total: calls.count)
    }

    mutating func refilterTasks() {
        let needle = Array(foldForSearch(taskList.filter.text).utf8)
        if needle.isEmpty { taskList.matches = nil } else {
            taskList.matches = tasks.indices.filter { taskMatches(tasks[$0], needle) }
        }
        clampCursor(&taskList, total: tasks.count)
    }

    mutating func refilter(_ tab: Tab, typing: Bool = false) {
        switch tab {
        case .tasks: refilterTasks()
        case .calls: refilterCalls(typing: typing)
        case .outbox: break
        }
    }

    /// Asks for the next page when the cursor is within `prefetchDistance` rows of the loaded end, a next
    /// page exists and nothing is loading (design.md §7: later pages ahead of the cursor, never all).
    mutating func prefetchIfNeeded() -> [Effect] {
        switch tab {
        case .calls:
            let n = callList.count(total: calls.count)
            // Calls come newest first: once a loaded call is older than the date filter, no later page
            // can hold a match.
            if let since = callFilterSince, let last = calls.last?.startDate, last < since { return [] }
            if let next = callsNext, !callsLoading, callsLoaded, callList.cursor >= n - 1 - AppState.prefetchDistance {
                callsLoading = true
                return [.io(.load(.callsPage(href: next)))]
            }
        case .tasks:
            let n = taskList.count(total: tasks.count)
            if let next = tasksNext, !tasksLoading, tasksLoaded, taskList.cursor >= n - 1 - AppState.prefetchDistance {
                tasksLoading = true
                return [.io(.load(.tasksPage(href: next)))]
            }
        case .outbox: break
        }
        return []
    }
}

// MARK: - Keys

extension AppState {
    /// Shows `tab`. A non-error status message belongs to the tab it was shown on and does not follow.
    mutating func switchTab(to new: Tab) {
        if new != tab, let s = status, !s.isError { status = nil }
        if new != tab { detailScroll = 0 }
        if new != .calls { detailOpen = false }
        tab = new
    }
}

func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if key == .ctrl("l") { return [.terminal(.repaint)] }
    if Layout.isTooSmall(state.size) {
        // Only "terminal too small" is on screen: nothing the rep cannot see may happen. Quit still works
        // (its confirmation, if any, is drawn once the terminal is big enough again).
        let quitKeys = key == .ctrl("c") || state.environment.keymap.listAction(key) == .quit
        guard quitKeys else { return [] }
        switch state.modal {
        case .confirm(.quit)?: return []
        case .userPicker?: return [.terminal(.quit)]  // nothing to lose before a user is chosen (as Ctrl-C there)
        default: return requestQuit(&state)
        }
    }
    if let modal = state.modal { return handleModalKey(&state, modal, key) }
    if state.form != nil { return handleFormKey(&state, key) }
    if state.list(state.tab).filterEditing { return handleFilterKey(&state, key) }
    return handleListKey(&state, key)
}

/// Quit, asking first when a draft is unsent, logs are still queued (pending or sending) or need the
/// rep's attention in the outbox.
func requestQuit(_ state: inout AppState) -> [Effect] {
    if state.form?.isChanged == true || state.keptDraft != nil || state.unsentCount > 0 || state.needsAttentionCount > 0 {
        state.modal = .confirm(.quit)
        return []
    }
    return [.terminal(.quit)]
}

/// Keys of the list screens, looked up in `environment.keymap` (design.md §2 defaults; config `[keys]`).
/// Esc, Ctrl-C and the mouse are fixed.
func handleListKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if let scrolled = scrollDetailKey(&state, key) { return scrolled }
    let selectedBefore = state.selectedCall?.id
    let effects = handleListKeyProper(&state, key)
    if state.selectedCall?.id != selectedBefore { state.detailScroll = 0 }
    return effects
}

extension AppState {
    /// Rows of the call detail pane at the current size.
    var detailHeight: Int { max(1, size.rows - Layout.chromeRows) }

    /// The furthest the call detail of the selected call can scroll (lines beyond one pane).
    func maxDetailScroll() -> Int {
        guard let c = selectedCall else { return 0 }
        let wide = size.cols >= Layout.sideBySideColumns
        let width = wide ? size.cols - size.cols * 55 / 100 - 2 : size.cols
        let r = Renderer(state: self, canvas: Canvas(size: Size(cols: 1, rows: 1),
                                                     options: RenderOptions(unicode: environment.unicode)))
        let height = detailHeight
        let (lines, cut) = r.detailLines(c, width: width, rows: detailScroll + 2 * height)
        return max(0, lines.count - height + (cut ? 1 : 0))
    }
}

/// Keys that scroll the call detail: with the detail open over the list (narrow terminals) j/k, arrows,
/// PgDn/PgUp, Space and Ctrl-D/Ctrl-U; beside the list, J/K (line) — unless `[keys]` binds J/K. Nil when
/// `key` does not scroll the detail.
func scrollDetailKey(_ state: inout AppState, _ key: Key) -> [Effect]? {
    guard state.tab == .calls, state.selectedCall != nil else { return nil }
    let stacked = state.detailOpen && state.size.cols < Layout.sideBySideColumns
    let wide = state.size.cols >= Layout.sideBySideColumns
    let page = max(1, state.detailHeight - 1)
    var delta: Int?
    if key == .char("J") || key == .char("K"), state.environment.keymap.listAction(key) == nil, stacked || wide {
        delta = key == .char("J") ? 1 : -1
    } else if stacked {
        switch state.environment.keymap.listAction(key) {
        case .down?: delta = 1
        case .up?: delta = -1
        case .pageDown?: delta = page
        case .pageUp?: delta = -page
        case .halfPageDown?: delta = max(1, page / 2)
        case .halfPageUp?: delta = -max(1, page / 2)
        default: if key == .char(" ") { delta = page }
        }
    }
    guard let delta else { return nil }
    state.detailScroll = max(0, min(state.detailScroll + delta, state.maxDetailScroll()))
    return []
}

func handleListKeyProper(_ state: inout AppState, _ key: Key) -> [Effect] {
    let rows = Layout.listRows(state.size)
    let tab = state.tab
    var effects: [Effect] = []
    guard let action = state.environment.keymap.listAction(key) else {
        switch key {
        case .ctrl("c"): return requestQuit(&state)
        case .mouse(let m):
            switch m.kind {
            case .wheelDown: state.withList(tab) { $0.cursor += 3 }
            case .wheelUp: state.withList(tab) { $0.cursor -= 3 }
            case .press:
                let listTop = 3
                if m.row >= listTop && m.row < listTop + rows {
                    state.withList(tab) { $0.cursor = $0.top + (m.row - listTop) }
                } else if m.row == 1 {
                    // The tab bar: a click picks the tab under it (tabs are ~14 columns apart).
                    if let t = Tab(rawValue: min(2, m.col / 14)) { state.switchTab(to: t) }
                }
            }
        case .escape:
            if let s = state.status, s.isError { state.status = nil }
            else if state.detailOpen { state.detailOpen = false }
            else if !state.list(tab).filter.isEmpty {
                state.withList(tab) { $0.filter = TextField() }
                state.refilter(tab)
            } else if tab == .calls && state.callFilter.isActive {
                state.callFilter = CallFilter()
                state.applyCallFilterChange()
                state.setStatus("Filters cleared.", isError: false)
            } else { state.status = nil }
        default:
            return []
        }
        return effects + state.prefetchIfNeeded()
    }
    switch action {
    case .down: state.withList(tab) { $0.cursor += 1 }
    case .up: state.withList(tab) { $0.cursor -= 1 }
    case .top: state.withList(tab) { $0.cursor = 0 }
    case .bottom: state.withList(tab) { $0.cursor = Int.max / 2 }
    case .pageDown: state.withList(tab) { $0.cursor += rows; $0.top += rows }
    case .pageUp: state.withList(tab) { $0.cursor -= rows; $0.top = max(0, $0.top - rows) }
    case .halfPageDown: state.withList(tab) { $0.cursor += max(1, rows / 2); $0.top += max(1, rows / 2) }
    case .halfPageUp: state.withList(tab) { $0.cursor -= max(1, rows / 2); $0.top = max(0, $0.top - max(1, rows / 2)) }
    case .nextTab: state.switchTab(to: Tab(rawValue: (tab.rawValue + 1) % 3)!)
    case .previousTab: state.switchTab(to: Tab(rawValue: (tab.rawValue + 2) % 3)!)
    case .tasksTab: state.switchTab(to: .tasks)
    case .callsTab: state.switchTab(to: .calls)
    case .outboxTab: state.switchTab(to: .outbox)
    case .help: state.modal = .help
    case .quit: return requestQuit(&state)
    case .filter: state.withList(tab) { $0.filterEditing = true }
    case .filterMenu:
        guard tab == .calls else {
            state.setStatus("Filters by answer, disposition and date are on the Calls tab (2); / filters text here.",
                            isError: false)
            return []
        }
        state.modal = .filterMenu(state.filterCounts())
        return []
    case .refresh:
        state.paneError = nil
        switch tab {
        case .tasks: effects = state.reloadTasks()
        case .calls: effects = state.reloadCalls()
        case .outbox: break
        }
        if state.user == nil {
            // Nothing loaded yet (or it failed): start over.
            effects = [.io(.load(.account)), .io(.load(.users)), .io(.load(.dispositions))]
        } else if !state.dispositionsLoaded {
            effects.append(.io(.load(.dispositions)))
        }
        if effects.isEmpty { state.setStatus("The Outbox updates by itself.", isError: false) }
        else { state.setStatus("Refreshing…", isError: false) }
        return effects
    case .open:
        switch tab {
        case .tasks: return openFormForSelectedTask(&state)
        case .calls: if state.selectedCall != nil { state.detailOpen = true }
        case .outbox: return editOutboxEntry(&state)
        }
    case .log:
        switch tab {
        case .tasks: return openFormForSelectedTask(&state)
        case .calls: return openFormForSelectedCall(&state)
        case .outbox: return editOutboxEntry(&state)
        }
    case .copyNumber:
        return copyNumber(&state)
    case .copyID:
        return copyID(&state)
    case .recording:
        return recording(&state)
    case .discard:
        guard tab == .outbox, let e = state.selectedOutboxEntry else { return [] }
        switch e.state {
        case .pending, .needsAttention:
            state.modal = .confirm(.discardOutbox(localID: e.localID, summary: e.summary))
        case .sending:
            state.setStatus("This log is being sent right now; wait for the result.", isError: false)
        case .sent, .discarded:
            state.setStatus("Only logs not yet sent can be discarded.", isError: false)
        }
        return []
    case .send, .timer, .editor:
        return []
    }
    return effects + state.prefetchIfNeeded()
}

func handleFilterKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    let tab = state.tab
    switch key {
    case .enter:
        state.withList(tab) { $0.filterEditing = false }
        if state.list(tab).filter.isEmpty { state.refilter(tab) }
    case .escape:
        state.withList(tab) { $0.filterEditing = false; $0.filter = TextField() }
        state.refilter(tab)
    case .down, .ctrl("n"): state.withList(tab) { $0.cursor += 1 }
    case .up, .ctrl("p"): state.withList(tab) { $0.cursor -= 1 }
    case .ctrl("c"): return requestQuit(&state)
    default:
        var result = TextField.KeyResult.ignored
        state.withList(tab) { result = $0.filter.handle(key) }
        if result == .edited {
            state.withList(tab) { $0.cursor = 0; $0.top = 0 }
            state.refilter(tab, typing: true)
        }
    }
    return state.prefetchIfNeeded()
}

// MARK: - Copy, recording

/// The copy effect for `text`, cleaned by `clipboardSafe`; nothing (and a status saying so) when nothing
/// printable is left.
func copyEffect(_ state: inout AppState, _ text: String) -> [Effect] {
    let clean = clipboardSafe(text)
    guard !clean.isEmpty else {
        state.setStatus("Nothing to copy.", isError: false)
        return []
    }
    return [.terminal(.copyToClipboard(clean))]
}

func copyNumber(_ state: inout AppState) -> [Effect] {
    switch state.tab {
    case .calls:
        if let to = state.selectedCall?.to, !to.isEmpty { return copyEffect(&state, to) }
        state.setStatus("This call has no number.", isError: false)
    case .tasks:
        if let cid = state.selectedTask?.contact?.id, let to = state.lastNumberByContact[cid] {
            return copyEffect(&state, to)
        }
        state.setStatus("No number known for this contact yet (tasks carry none; log a call first).", isError: false)
    case .outbox:
        if let e = state.selectedOutboxEntry { return copyEffect(&state, e.request.to) }
    }
    return []
}

func copyID(_ state: inout AppState) -> [Effect] {
    switch state.tab {
    case .calls:
        guard let c = state.selectedCall else { return [] }
        if c.external == true, let url = c.recordingURL, !url.isEmpty { return copyEffect(&state, url) }
        return copyEffect(&state, c.id)
    case .tasks:
        if let t = state.selectedTask { return copyEffect(&state, t.id) }
    case .outbox:
        if let e = state.selectedOutboxEntry {
            if case .sent(let id) = e.state { return copyEffect(&state, id) }
            return copyEffect(&state, e.localID)
        }
    }
    return []
}

func recording(_ state: inout AppState) -> [Effect] {
    guard state.tab == .calls, let c = state.selectedCall else { return [] }
    if c.external == true {
        if let url = c.recordingURL, !url.isEmpty {
            state.setStatus("External call: recording at \(url) (Y copies it)", isError: false)
        } else {
            state.setStatus("External call without a recording URL: there is nothing to download.", isError: false)
        }
        return []
    }
    // Only Amplemarket's own calls (`external == false`) with a recording can be downloaded.
    guard c.external == false, let url = c.recordingURL, !url.isEmpty else {
        state.setStatus("This call has no recording.", isError: false)
        return []
    }
    let safeID = String(c.id.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" }
        .map(Character.init))
    var dir = state.environment.downloadDirectory
    if dir.isEmpty { dir = "." }
    let path = (dir.hasSuffix("/") ? dir : dir + "/") + "call-\(safeID.isEmpty ? "recording" : safeID).mp3"
    state.setStatus("Downloading the recording to \(path)…", isError: false)
    return [.io(.downloadRecording(callID: c.id, path: path))]
}

// MARK: - Opening the log form

extension AppState {
    mutating func newLocalID() -> String {
        defer { nextLocalNumber += 1 }
        return "log-\(Int(environment.now.timeIntervalSince1970))-\(nextLocalNumber)"
    }

    /// Opens the log form for `draft` (effects: ask for the contact's earlier calls when no number is known).
    mutating func openForm(_ draft: LogDraft) -> [Effect] {
        if let kept = keptDraft {
            if kept.taskID == draft.taskID {
                form = LogForm(draft: kept, isDraft: true)
                keptDraft = nil
                return []
            }
            modal = .confirm(.replaceDraft(draft))
            return []
        }
        form = LogForm(draft: draft)
        if draft.to.isEmpty, let cid = draft.contactID, let uid = draft.userID, !contactCallsRequested.contains(cid) {
            contactCallsRequested.insert(cid)
            return [.io(.load(.contactCalls(contactID: cid, userID: uid)))]
        }
        return []
    }

    mutating func newDraft(taskID: String?, contact: Contact?, sequenceName: String?, to: String?) -> LogDraft? {
        guard let u = user else {
            setStatus("Choose who you are first (the user list has not loaded).", isError: true)
            return nil
        }
        let number = contact?.id.flatMap { lastNumberByContact[$0] } ?? to ?? ""
        return LogDraft(localID: newLocalID(), taskID: taskID, userID: u.id, contactID: contact?.id,
                        contactName: contact?.name, contactEmail: contact?.email, sequenceName: sequenceName,
                        to: number, from: lastFrom ?? "", createdAt: environment.now)
    }
}

func openFormForSelectedTask(_ state: inout AppState) -> [Effect] {
    guard let t = state.selectedTask else {
        state.setStatus("No task selected: logging needs a task (every call belongs to one).", isError: false)
        return []
    }
    guard let draft = state.newDraft(taskID: t.id, contact: t.contact, sequenceName: t.sequenceName, to: nil)
    else { return [] }
    return state.openForm(draft)
}

func openFormForSelectedCall(_ state: inout AppState) -> [Effect] {
    guard let c = state.selectedCall else { return [] }
    guard let taskID = c.taskID, !taskID.isEmpty else {
        state.setStatus("This call has no task, and every logged call needs one.", isError: true)
        return []
    }
    let task = state.tasks.first { $0.id == taskID }
    guard let draft = state.newDraft(taskID: taskID, contact: c.contact ?? task?.contact,
                                     sequenceName: task?.sequenceName, to: c.to) else { return [] }
    return state.openForm(draft)
}

/// Reopens a failed outbox entry in the form; submitting again reuses its local id (the outbox replaces it).
func editOutboxEntry(_ state: inout AppState) -> [Effect] {
    guard let e = state.selectedOutboxEntry else { return [] }
    guard case .needsAttention = e.state else {
        state.setStatus("Only entries that need attention can be edited.", isError: false)
        return []
    }
    let r = e.request
    let task = state.tasks.first { $0.id == r.taskID }
    let draft = LogDraft(localID: e.localID, taskID: r.taskID, userID: r.userID, contactID: task?.contact?.id,
                         contactName: task?.contact?.name ?? e.summary, contactEmail: task?.contact?.email,
                         sequenceName: task?.sequenceName, to: r.to, from: r.from, duration: String(r.duration),
                         dispositionID: r.dispositionID, answered: r.answered, human: r.human,
                         notes: r.notes ?? "", transcription: r.transcription ?? "",
                         recordingURL: r.recordingURL ?? "", createdAt: e.createdAt)
    var form = LogForm(draft: draft)
    form.fromOutbox = true
    if let err = e.lastError { form.formError = err }
    state.form = form
    return []
}

// MARK: - The log form

/// Tab order of the form.
let formOrder = FormField.allCases

func handleFormKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var form = state.form else { return [] }
    let index = formOrder.firstIndex(of: form.focus) ?? 0
    switch state.environment.keymap.formAction(key) {
    case .send?:
        return submitForm(&state, confirmed: false)
    case .timer?:
        return toggleTimer(&state)
    case .editor? where form.focus.usesEditor:
        return [.terminal(.openEditor(field: form.focus, text: form.fields[form.focus]?.text ?? ""))]
    default:
        break
    }
    switch key {
    case .tab, .down:
        form.focus = formOrder[(index + 1) % formOrder.count]
    case .backTab, .up:
        form.focus = formOrder[(index + formOrder.count - 1) % formOrder.count]
    case .escape:
        state.form = nil
        if form.fromOutbox {
            state.setStatus("Closed; the log stays in the Outbox (3) until you re-send or discard it.", isError: false)
            return []
        }
        if !form.isChanged {
            // Nothing typed: no draft is left behind (a draft saved while typing is cleared).
            if let s = state.status, !s.isError { state.status = nil }
            return state.keptDraft == nil ? [.io(.clearDraft)] : []
        }
        state.keptDraft = form.draft
        state.setStatus("Draft kept. Log the same task again (Enter or l) to resume it.", isError: false)
        return [.io(.saveDraft(form.draft))]
    case .ctrl("c"):
        state.form = form
        return requestQuit(&state)
    case .function(1):
        state.form = form
        state.modal = .help
        return []
    case .enter where form.focus == .disposition, .char(" ") where form.focus == .disposition:
        state.form = form
        state.modal = .dispositionPicker(PickerState())
        return []
    case .enter:
        // Enter only moves on (wrapping): an unbracketed paste's newlines must never send a half-typed
        // log. Only the send key (Ctrl-S) sends.
        form.focus = formOrder[(index + 1) % formOrder.count]
    case .char(" ") where form.focus.isToggle, .char("x") where form.focus.isToggle:
        toggle(&form, form.focus)
        state.form = form
        return [.io(.saveDraft(form.draft))]
    case .char("y") where form.focus.isToggle, .char("n") where form.focus.isToggle:
        let value = key == .char("y")
        if form.focus == .answered { form.base.answered = value } else { form.base.human = value }
        form.errors[form.focus] = nil
        state.form = form
        return [.io(.saveDraft(form.draft))]
    default:
        guard LogForm.textFields.contains(form.focus), var field = form.fields[form.focus] else { return [] }
        let result = field.handle(key)
        form.fields[form.focus] = field
        if result == .edited {
            form.errors[form.focus] = nil
            state.form = form
            return [.io(.saveDraft(form.draft))]
        }
    }
    state.form = form
    return []
}

func toggle(_ form: inout LogForm, _ field: FormField) {
    if field == .answered {
        form.base.answered.toggle()
        if !form.base.answered { form.base.human = false }
    } else if field == .human {
        form.base.human.toggle()
        if form.base.human { form.base.answered = true }
    }
    form.errors[.answered] = nil; form.errors[.human] = nil
}

/// Defaults for answered / human from a disposition's slug (or name): no answer → neither; voicemail →
/// answered by a machine; anything else → a person answered. The rep can still toggle them.
func answeredHumanDefaults(for d: Disposition) -> (answered: Bool, human: Bool) {
    let key = (d.slug ?? d.name ?? "").lowercased().replacingOccurrences(of: " ", with: "_")
    if key == "no_answer_voicemail" || key.contains("voicemail") { return (true, false) }
    if key == "no_answer" || key == "busy" || key.hasPrefix("no_answer") { return (false, false) }
    return (true, true)
}

/// The validation of the form before sending (per Amplemarket API: POST /calls requires from, to,
/// duration ≥ 0, task_id, user_id). Returns the request, or marks the errors in `form`.
func validate(_ form: inout LogForm) -> LogCallRequest? {
    form.errors = [:]
    form.formError = nil
    let d = form.draft
    let to = d.to.trimmingCharacters(in: .whitespaces)
    let from = d.from.trimmingCharacters(in: .whitespaces)
    if to.isEmpty { form.errors[.to] = "required: the number you called" }
    else if let problem = phoneNumberProblem(to) { form.errors[.to] = problem }
    if from.isEmpty { form.errors[.from] = "required: the number you called from" }
    else if let problem = phoneNumberProblem(from) { form.errors[.from] = problem }
    var seconds = parseDuration(d.duration)
    if d.duration.trimmingCharacters(in: .whitespaces).isEmpty {
        form.errors[.duration] = "required: e.g. 95, 1:35 or 1m35s"
    } else if let s = seconds, s > maximumCallSeconds {
        form.errors[.duration] = "longer than 24 h \u{2014} check the duration"
        seconds = nil
    } else if seconds == nil {
        form.errors[.duration] = "not a duration: use 95, 95s, 1:35, 1m35 or 1m35s"
    }
    var general: [String] = []
    if (d.taskID ?? "").isEmpty { general.append("no task: every call must belong to a task") }
    if (d.userID ?? "").isEmpty { general.append("no user: choose who you are first") }
    if !general.isEmpty { form.formError = general.joined(separator: "; ") }
    if let first = FormField.allCases.first(where: { form.errors[$0] != nil }) { form.focus = first }
    guard form.errors.isEmpty, general.isEmpty, let seconds, let taskID = d.taskID, let userID = d.userID
    else { return nil }
    func optional(_ s: String) -> String? {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : s
    }
    return LogCallRequest(from: from, to: to, duration: seconds, answered: d.answered, human: d.human,
                          taskID: taskID, userID: userID, transcription: optional(d.transcription),
                          recordingURL: optional(d.recordingURL).map { $0.trimmingCharacters(in: .whitespaces) },
                          dispositionID: d.dispositionID, notes: optional(d.notes))
}

func submitForm(_ state: inout AppState, confirmed: Bool) -> [Effect] {
    guard var form = state.form else { return [] }
    // A timer still running ends with the log: its count fills an empty Duration.
    if state.callTimer != nil, let seconds = state.stopTimer(),
       (form.fields[.duration]?.text ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
        form.fields[.duration] = TextField(formatDuration(seconds))
    }
    guard let request = validate(&form) else {
        state.form = form
        state.setStatus("Fix the marked fields, then Ctrl-S.", isError: true)
        state.statusTopic = .form
        return []
    }
    state.form = form
    if !confirmed, let id = request.dispositionID, let action = state.dispositionsByID[id]?.action {
        switch action {
        case .complete: state.modal = .confirm(.sendComplete); return []
        case .unknown: state.modal = .confirm(.sendUnknownEffect); return []
        case .nextStage: break
        }
    }
    let draft = form.draft
    let contact = draft.contactName ?? request.to
    let disposition = state.dispositionName(id: request.dispositionID) ?? "no disposition"
    let summary = "\(contact) · \(disposition)"
    state.submitted[draft.localID] = draft
    state.form = nil
    // An outbox entry re-sent leaves the rep's own kept draft alone.
    if !form.fromOutbox || state.keptDraft?.localID == draft.localID { state.keptDraft = nil }
    if case .offline = state.connection {
        state.setStatus("Queued: \(summary) (offline; it will be sent when the server is back)", isError: false)
    } else {
        state.setStatus("Sending… (\(summary))", isError: false)
    }
    // The runtime clears the stored draft in the same transaction that writes the outbox entry, so a
    // failed write keeps the draft (no separate `.io(.clearDraft)` here, which could race with that write).
    return [.io(.submitLog(localID: draft.localID, request: request, summary: summary))]
}

// MARK: - Modals

/// Dispositions matching a picker's filter, in server order.
func filteredDispositions(_ state: AppState, _ filter: String) -> [Disposition] {
    let needle = filter.lowercased()
    if needle.isEmpty { return state.dispositions }
    return state.dispositions.filter {
        ($0.name ?? "").lowercased().contains(needle) || ($0.slug ?? "").lowercased().contains(needle)
    }
}

/// Users matching a picker's filter.
func filteredUsers(_ state: AppState, _ filter: String) -> [User] {
    let needle = filter.lowercased()
    let all = state.users ?? []
    if needle.isEmpty { return all }
    return all.filter { ($0.name ?? "").lowercased().contains(needle) || ($0.email ?? "").lowercased().contains(needle) }
}

/// Moves/filters a picker; returns the index chosen (Enter or a digit), if any.
func pickerKey(_ picker: inout PickerState, _ key: Key, count: Int) -> (chosen: Int?, cancelled: Bool) {
    switch key {
    case .escape: return (nil, true)
    case .enter: return (count > 0 ? min(picker.cursor, count - 1) : nil, false)
    case .down, .ctrl("n"): picker.cursor = min(picker.cursor + 1, max(0, count - 1))
    case .up, .ctrl("p"): picker.cursor = max(0, picker.cursor - 1)
    case .char("j") where picker.filter.isEmpty: picker.cursor = min(picker.cursor + 1, max(0, count - 1))
    case .char("k") where picker.filter.isEmpty: picker.cursor = max(0, picker.cursor - 1)
    case .home: picker.cursor = 0
    case .end: picker.cursor = max(0, count - 1)
    case .char(let c) where c.isASCII && c.isNumber && c != "0":
        let n = Int(String(c))! - 1
        return (n < count ? n : nil, false)
    case .backspace, .ctrl("h"):
        if !picker.filter.isEmpty { picker.filter.removeLast(); picker.cursor = 0 }
    case .ctrl("u"): picker.filter = ""; picker.cursor = 0
    case .char(let c): picker.filter.append(c); picker.cursor = 0
    case .paste(let s): picker.filter += s.filter { !$0.isNewline }; picker.cursor = 0
    default: break
    }
    return (nil, false)
}

func handleModalKey(_ state: inout AppState, _ modal: Modal, _ key: Key) -> [Effect] {
    switch modal {
    case .help:
        state.modal = nil
        if key == .char("q") && state.form == nil { return [] }
        return []
    case .confirm(let what):
        // Single keys only: Enter and pasted text never answer (a paste must not confirm anything).
        let yes = key == .char("y") || key == .char("Y")
        let no = key == .char("n") || key == .char("N") || key == .escape
        guard yes || no else { return [] }
        state.modal = nil
        switch what {
        case .sendComplete, .sendUnknownEffect:
            return yes ? submitForm(&state, confirmed: true) : []
        case .quit:
            return yes ? [.terminal(.quit)] : []
        case .discardOutbox(let localID, _):
            guard yes else { return [] }
            state.setStatus("Discarded the log; it will not be sent.", isError: false)
            state.submitted[localID] = nil
            // A draft kept for this very log (closed with Esc after it came back) goes with it.
            if state.keptDraft?.localID == localID {
                state.keptDraft = nil
                return [.io(.discardOutboxEntry(localID: localID)), .io(.clearDraft)]
            }
            return [.io(.discardOutboxEntry(localID: localID))]
        case .replaceDraft(let draft):
            guard yes else { return [] }
            state.keptDraft = nil
            var effects: [Effect] = [.io(.clearDraft)]
            effects += state.openForm(draft)
            return effects
        }
    case .dispositionPicker(var picker):
        let items = filteredDispositions(state, picker.filter)
        let (chosen, cancelled) = pickerKey(&picker, key, count: items.count)
        if cancelled { state.modal = nil; return [] }
        guard let i = chosen else { state.modal = .dispositionPicker(picker); return [] }
        let d = items[i]
        state.modal = nil
        guard var form = state.form else { return [] }
        form.base.dispositionID = d.id
        let defaults = answeredHumanDefaults(for: d)
        form.base.answered = defaults.answered
        form.base.human = defaults.human
        form.errors[.disposition] = nil
        form.focus = form.firstEmptyRequired ?? .notes
        state.form = form
        return [.io(.saveDraft(form.draft))]
    case .filterMenu(let menu):
        return handleFilterMenuKey(&state, menu, key)
    case .userPicker(var picker):
        if key == .ctrl("c") { return [.terminal(.quit)] }
        // The help key is not typed into the filter (no name or e-mail holds it): say where help is.
        if state.environment.keymap.listAction(key) == .help {
            state.setStatus("Help (\(keyLabel(key))) opens once you have picked who you are.", isError: false)
            return []
        }
        let items = filteredUsers(state, picker.filter)
        let (chosen, cancelled) = pickerKey(&picker, key, count: items.count)
        if cancelled { state.modal = .userPicker(PickerState()); return [] }
        guard let i = chosen else { state.modal = .userPicker(picker); return [] }
        return state.chooseUser(items[i], remember: true)
    }
}
