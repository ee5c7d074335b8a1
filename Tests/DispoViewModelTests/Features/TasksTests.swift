import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The Tasks tab: the rep's open phone tasks, their list and how a refresh keeps the cursor.
@Suite("Tasks") struct TasksTests: SnapshotSuite {
    init() { useUTF8Locale() }

    @Test func tasksList() {
        shot(Fixtures.ready(), "Tasks/tasks")
    }

    /// The row of the list's cursor as drawn (the `▸` marker), at 80×24.
    private func markedRow(_ s: AppState) -> String? {
        screen(s).split(separator: "\n").dropFirst(3).first { $0.hasPrefix("▸") }.map(String.init)
    }

    private static let newTask = TaskRecord(id: "t-new", automatic: false, type: "phone_call", status: "scheduled",
                                            dueOn: date("2025-11-27"), sequenceName: "Q4 Outbound", userID: "u-1",
                                            contact: Contact(id: "c-new", name: "Nadia New", email: nil))

    @Test func aRefreshKeepsTheCursorOnItsTask() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .char("j"))
        #expect(s.selectedTask?.id == "t-2")
        #expect(press(&s, .char("R")) == [.io(.load(.tasks(TaskListQuery(userID: "u-1", type: "phone_call",
                                                                            status: "scheduled"))))])
        // A task due earlier arrives first: the cursor follows 王小明's task to its new row.
        _ = reduce(&s, .tasksPageLoaded(Page(items: [Self.newTask] + Fixtures.tasks, next: nil), replacing: true))
        #expect(s.selectedTask?.id == "t-2" && s.tasks.list.cursor == 3)
        #expect(markedRow(s)?.contains("王小明") == true, "\(markedRow(s) ?? "no marked row")")
    }

    @Test func aRefreshWithoutItsTaskStaysOnItsRow() {
        var s = Fixtures.ready()
        press(&s, .char("j"), .char("j"))
        #expect(s.selectedTask?.id == "t-2")
        // 王小明's task was done elsewhere: the next one in the queue comes under the cursor.
        let remaining = Fixtures.tasks.filter { $0.id != "t-2" }
        _ = reduce(&s, .tasksPageLoaded(Page(items: remaining, next: nil), replacing: true))
        #expect(s.tasks.list.cursor == 2 && s.selectedTask?.id == "t-3")
        #expect(markedRow(s)?.contains("Zoë 🎉 Party") == true, "\(markedRow(s) ?? "no marked row")")
        // The last task gone while on it: the cursor is on the new last row.
        press(&s, .char("G"))
        _ = reduce(&s, .tasksPageLoaded(Page(items: Array(remaining.dropLast()), next: nil), replacing: true))
        #expect(s.selectedTask?.id == remaining.dropLast().last?.id)
    }
}
