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
}
