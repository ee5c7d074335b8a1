import Foundation
import Testing
@testable import DispoStore

/// Closing the store while other threads still use it (the TUI quitting while the history sync or the
/// outbox sender works): a read or write that comes after `close` throws `StoreError.closed`; none
/// reaches the closed SQLite connection (which crashed the process).
@Suite struct ClosingTests {
    @Test func callsAfterCloseThrowClosed() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            let (store, _) = try DispoStore.open(path: path)
            try store.setValue("kept", forKey: "k")
            try store.close()
            #expect(throws: StoreError.closed(path: path)) { _ = try store.value(forKey: "k") }
            #expect(throws: StoreError.closed(path: path)) { try store.setValue("lost", forKey: "k") }
            #expect(throws: StoreError.closed(path: path)) { try store.enqueueTestLog("late") }
            // What was written before closing is in the file.
            let (reopened, _) = try DispoStore.open(path: path)
            #expect(try reopened.value(forKey: "k") == "kept")
        }
    }

    /// Two threads read and write in a loop until the store says it is closed; the test thread closes it
    /// meanwhile. Every call either worked or threw `closed`, and each thread ends on `closed`.
    @Test func closingUnderReadersAndWritersEndsThemWithClosed() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            let (store, _) = try DispoStore.open(path: path)
            try store.setValue("0", forKey: "n")
            final class Outcome: @unchecked Sendable {
                let lock = NSLock()
                var calls = 0
                var endedOnClosed = 0
                var otherErrors: [String] = []
            }
            let outcome = Outcome()
            let started = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            for writes in [false, true] {
                done.enter()
                Thread {
                    defer { done.leave() }
                    var first = true
                    var i = 0
                    while true {
                        do {
                            if writes { try store.setValue(String(i), forKey: "n") } else { _ = try store.value(forKey: "n") }
                            outcome.lock.withLock { outcome.calls += 1 }
                        } catch StoreError.closed {
                            outcome.lock.withLock { outcome.endedOnClosed += 1 }
                            return
                        } catch {
                            outcome.lock.withLock { outcome.otherErrors.append("\(error)") }
                            return
                        }
                        if first { first = false; started.signal() }
                        i += 1
                    }
                }.start()
            }
            started.wait()
            started.wait()
            try store.close()
            done.wait()
            #expect(outcome.endedOnClosed == 2, "threads that ended on closed: \(outcome.endedOnClosed), errors \(outcome.otherErrors)")
            #expect(outcome.otherErrors.isEmpty)
            #expect(outcome.calls >= 2)
        }
    }
}
