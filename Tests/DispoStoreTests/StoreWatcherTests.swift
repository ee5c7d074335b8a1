import Foundation
import Testing
@testable import DispoStore

/// The store watcher: another connection's commits are reported, this one's are not.
@Suite struct StoreWatcherTests {
    final class Count: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.withLock { n += 1 } }
        var value: Int { lock.withLock { n } }
    }

    @Test func commitsOfAnotherConnectionAreReportedOwnOnesAreNot() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            let (mine, _) = try DispoStore.open(path: path)
            let (other, _) = try DispoStore.open(path: path)  // as another process would
            let changes = Count()
            let watcher = try StoreWatcher(store: mine) { changes.add() }
            defer { watcher.stop() }
            try other.enqueueTestLog("from-other")
            #expect(SenderLockTests.eventually { changes.value == 1 }, "another connection's commit")
            for index in 0..<5 { try mine.enqueueTestLog("mine-\(index)", offset: Double(index)) }
            try other.setValue("v", forKey: "k")
            #expect(SenderLockTests.eventually { changes.value >= 2 })
            #expect(changes.value == 2, "own commits are not reported")
        }
    }
}
