import Foundation
import AmplemarketModels

/// The Tasks tab: the rep's call backs and open phone tasks grouped under headings (Callbacks, Overdue,
/// Today, Later), page by page, and the selected task's detail.
public struct TasksState: Sendable, ListFeature {
    /// A next page is fetched when the cursor comes within this many rows of the loaded end.
    static let prefetchDistance = 10

    public var list = PagedList<TaskRow>()
    /// The call backs kept on this machine (they head the list).
    public private(set) var callBacks: [CallBack] = []
    /// What the tab lists besides open phone tasks.
    public var filter = TaskQueueFilter()
    /// The detail: opened over the list (narrow and short windows) and scrolled.
    public var detail = DetailState()
    /// Tasks with a complete or skip on its way to the server.
    public var changing: [String: TaskChange] = [:]
    /// The headings present among the rows (for the rows they take), counted when the rows change.
    public private(set) var sections: [TaskSection: Int] = [:]
    /// The minute (since 1970) the headings were last counted in.
    var countedMinute = 0

    public init() {}

    /// The query of the Tasks tab (per Amplemarket API: GET /tasks).
    func query(userID: String, _ context: FeatureContext) -> TaskListQuery {
        filter.query(userID: userID, hours: context.environment.callingHours)
    }

    /// The text the `/` filter searches: contact name and e-mail, sequence, notes.
    static func searchText(_ row: TaskRow) -> String {
        switch row {
        case .task(let t):
            return [t.contact?.name, t.contact?.email, t.sequenceName, t.notes].compactMap { $0 }.joined(separator: "\n")
        case .callBack(let c):
            return [c.contact?.name, c.contact?.email, c.sequenceName, c.note, "call back"].compactMap { $0 }.joined(separator: "\n")
        }
    }

    func layout(_ context: FeatureContext) -> TaskLayout { TaskLayout(context.frame, detailOpen: detail.isOpen) }

    func itemRows(_ context: FeatureContext) -> Rect? {
        let l = layout(context)
        return l.detailCoversList ? nil : l.itemRows
    }

    /// Rows for items: the list's rows less one per heading that can be in view at once.
    func visibleRows(_ context: FeatureContext) -> Int {
        max(1, layout(context).itemRows.height - max(1, sections.count))
    }

    /// The list row drawn on `screenRow`, counting the headings drawn above it.
    func listRow(atScreenRow screenRow: Int, in rows: Rect, _ context: FeatureContext) -> Int? {
        let lines = TasksView.lines(self, context, height: rows.height)
        let i = screenRow - rows.row
        guard i >= 0, i < lines.count, case .row(let row) = lines[i] else { return nil }
        return row
    }

    mutating func prefetch(_ context: FeatureContext) -> [Effect] {
        list.pageToPrefetch(distance: Self.prefetchDistance, rows: layout(context).itemRows.height)
            .map { [.io(.load(.tasksPage(href: $0)))] } ?? []
    }

    /// Asks for the first page again, with the filters as they are.
    mutating func reload(userID: String, _ context: FeatureContext) -> [Effect] {
        list.isLoading = true
        list.error = nil
        return [.io(.load(.tasks(query(userID: userID, context))))]
    }

    /// A page arrived; the tasks the filter lists are kept, call backs stay first and every row is put in
    /// queue order. On a reload the cursor stays on its task, or on its row when that task is gone (the
    /// next one in the queue).
    mutating func receive(_ page: Page<TaskRecord>, replacing: Bool, _ context: FeatureContext) {
        let rows = visibleRows(context)
        let kept = page.items.filter(filter.passes).map(TaskRow.task)
        if replacing {
            // In queue order before they replace the rows, so the cursor keeps its task (or its row).
            list.receive(Page(items: queueSorted(callBacks.map(TaskRow.callBack) + kept), next: page.next), replacing: true,
                         lost: .sameRow, rows: rows, searchText: Self.searchText, predicate: nil)
        } else {
            // A task already listed (pages shifted under a change) is not listed twice.
            let known = Set(list.items.map(\.listID))
            list.receive(Page(items: kept.filter { !known.contains($0.listID) }, next: page.next), replacing: false,
                         lost: .sameRow, rows: rows, searchText: Self.searchText, predicate: nil)
        }
        ordered(context)
    }

    /// Puts the rows in queue order and counts the headings. A call back set without its contact (from
    /// `dispo log --call-back`) takes the contact and sequence of its task once that task is listed.
    mutating func ordered(_ context: FeatureContext) {
        if callBacks.contains(where: { $0.contact == nil }) {
            let byID = Dictionary(list.items.compactMap(\.task).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var changed = false
            for i in callBacks.indices where callBacks[i].contact == nil {
                guard let t = byID[callBacks[i].taskID] else { continue }
                callBacks[i].contact = t.contact
                callBacks[i].sequenceName = callBacks[i].sequenceName ?? t.sequenceName
                changed = true
            }
            if changed {
                let rows = visibleRows(context)
                list.removeAll(where: { $0.callBack != nil }, rows: rows, predicate: nil)
                list.insertAtFront(callBacks.map(TaskRow.callBack), rows: rows, searchText: Self.searchText, predicate: nil)
            }
        }
        list.sort(by: taskRowOrder, rows: visibleRows(context), predicate: nil)
        recountSections(context)
    }

    /// Counts the rows under each heading (after the rows changed, and as the clock moves).
    mutating func recountSections(_ context: FeatureContext) {
        let clock = QueueClock(now: context.now, zone: context.zone)
        var counts: [TaskSection: Int] = [:]
        for row in list.items { counts[TaskSection.of(row, clock), default: 0] += 1 }
        sections = counts
        list.clamp(rows: visibleRows(context))
    }


    /// A load failed (already said on the status line).
    mutating func failed(_ message: String?) {
        list.isLoading = false
        list.seekingEnd = false
        if let message { list.error = message }
    }

    /// A task left the queue (completed or skipped, by a log or by the rep): its row goes, and the cursor
    /// is on the next task.
    mutating func remove(taskID: String, _ context: FeatureContext) {
        changing[taskID] = nil
        list.removeAll(where: { $0.task?.id == taskID }, rows: visibleRows(context), predicate: nil)
        recountSections(context)
    }

    /// The call backs as the store holds them now. A cursor at the head of the queue stays at its head
    /// (on the first call back); elsewhere it keeps its row's item.
    mutating func setCallBacks(_ new: [CallBack], _ context: FeatureContext) {
        callBacks = new.sorted { $0.due < $1.due }
        let atHead = list.cursor == 0
        defer { if atHead { list.moveTo(row: 0, rows: visibleRows(context)) } }
        let rows = visibleRows(context)
        list.removeAll(where: { $0.callBack != nil }, rows: rows, predicate: nil)
        list.insertAtFront(callBacks.map(TaskRow.callBack), rows: rows, searchText: Self.searchText, predicate: nil)
        if !list.isLoaded && list.items.isEmpty { list.isLoaded = false }
        ordered(context)
    }

    /// After a log for the selected row went to the outbox: the cursor moves to the next row (config
    /// `advance`), unless the rep moved meanwhile.
    mutating func advance(past id: String, _ context: FeatureContext) {
        guard context.environment.advance, list.selected?.listID == id, list.cursor < list.count - 1 else { return }
        list.move(by: 1, rows: visibleRows(context))
    }
}

/// A detail pane's state: open over the list (where it covers it) and scrolled.
public struct DetailState: Sendable, Hashable {
    public var isOpen = false
    public var scroll = 0
    public init() {}
}
