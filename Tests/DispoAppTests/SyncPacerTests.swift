import AmplemarketAPI
import Foundation
import Testing
@testable import DispoApp

/// The history sync's share of the request budget, counted as the server counts it: a request holds
/// its slot until a window after its answer, so the one sent in its place cannot arrive within the
/// same window, however long the first took to arrive.
@Suite struct SyncPacerTests {
    @Test(.timeLimit(.minutes(1))) func aSlotIsFreeOnlyAWindowAfterItsAnswer() async throws {
        let pacer = SyncPacer(limit: 1, window: 0.2)
        let first = await pacer.wait()
        let second = Task { () -> Date in _ = await pacer.wait(); return Date() }
        // The first request is slow to be answered: the second may not go before the answer.
        try await sleepOnEventLoop(seconds: 0.3)
        let answeredAt = Date()
        await pacer.answered(first)
        let secondAt = await second.value
        // A window and its margin (a tenth) after the answer, not after the send.
        #expect(secondAt.timeIntervalSince(answeredAt) >= 0.2, "sent \(secondAt.timeIntervalSince(answeredAt)) s after the answer")
    }

    @Test func requestsWithinTheLimitGoAtOnce() async {
        let pacer = SyncPacer(limit: 3, window: 60)
        let start = Date()
        for _ in 0..<3 { _ = await pacer.wait() }
        #expect(Date().timeIntervalSince(start) < 30, "three of three went without waiting out the window")
    }

    /// A cancelled sync waiting for its share returns at once instead of waiting in a loop.
    @Test(.timeLimit(.minutes(1))) func aCancelledWaitReturns() async {
        let pacer = SyncPacer(limit: 1, window: 3_600)
        await pacer.answered(await pacer.wait())
        let waiting = Task { await pacer.wait() }
        waiting.cancel()
        _ = await waiting.value
    }
}
