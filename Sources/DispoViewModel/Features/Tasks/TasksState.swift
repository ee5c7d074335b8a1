import AmplemarketModels

/// The Tasks tab: the rep's open phone tasks, page by page.
public struct TasksState: Sendable, ListFeature {
    /// A next page is fetched when the cursor comes within this many rows of the loaded end.
    static let prefetchDistance = 10

    public var list = PagedList<TaskRecord>()

    public init() {}

    /// The query of the Tasks tab: the rep's scheduled phone tasks (per Amplemarket API: GET /tasks).
    static func query(userID: String) -> TaskListQuery {
        TaskListQuery(userID: userID, type: "phone_call", status: "scheduled")
    }

    /// True for the tasks the tab lists: scheduled phone calls (a task without status or type counts).
    static func isOpenPhoneTask(_ t: TaskRecord) -> Bool {
        (t.status == nil || t.isScheduled) && (t.type == nil || t.isPhoneCall)
    }

    /// The text the `/` filter searches: contact name and e-mail, sequence, notes.
    static func searchText(_ t: TaskRecord) -> String {
        [t.contact?.name, t.contact?.email, t.sequenceName, t.notes].compactMap { $0 }.joined(separator: "\n")
    }

    func itemRows(_ context: FeatureContext) -> Rect? { context.frame.listRows }

    mutating func prefetch(_ context: FeatureContext) -> [Effect] {
        list.pageToPrefetch(distance: Self.prefetchDistance).map { [.io(.load(.tasksPage(href: $0)))] } ?? []
    }

    /// Asks for the first page again.
    mutating func reload(userID: String) -> [Effect] {
        list.isLoading = true
        list.error = nil
        return [.io(.load(.tasks(Self.query(userID: userID))))]
    }

    /// A page arrived; only open phone tasks are kept. On a reload the cursor stays on its task, or on its
    /// row when that task is gone (the next one in the queue).
    mutating func receive(_ page: Page<TaskRecord>, replacing: Bool, _ context: FeatureContext) {
        let open = Page(items: page.items.filter(Self.isOpenPhoneTask), next: page.next)
        list.receive(open, replacing: replacing, lost: .sameRow, rows: context.frame.listRows.height,
                     searchText: Self.searchText, predicate: nil)
    }

    /// A load failed (already said on the status line).
    mutating func failed(_ message: String?) {
        list.isLoading = false
        if let message { list.error = message }
    }

    /// A task was completed (by a log whose disposition completes it): it leaves the list.
    mutating func remove(taskID: String, _ context: FeatureContext) {
        list.removeAll(where: { $0.id == taskID }, rows: context.frame.listRows.height, predicate: nil)
    }
}
