import AmplemarketAPI
import Foundation
import Testing

/// `sleepOnEventLoop`: the real sleep of the client and the outbox, on an event loop's timer.
@Suite struct EventLoopSleepTests {
    /// Seconds elapsed on a monotonic clock while `body` runs.
    static func elapsed(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    @Test func itSleepsAtLeastTheTimeAsked() async throws {
        let seconds = try await Self.elapsed { try await sleepOnEventLoop(seconds: 0.2) }
        #expect(seconds >= 0.2)
    }

    @Test func zeroAndLessReturnAtOnce() async throws {
        try await sleepOnEventLoop(seconds: 0)
        try await sleepOnEventLoop(seconds: -5)
    }

    /// A sleep of an hour, cancelled once it has begun, ends with `CancellationError` (the test would
    /// otherwise wait the hour).
    @Test(.timeLimit(.minutes(1))) func cancellingDuringTheSleepEndsIt() async throws {
        let (started, startedFeed) = AsyncStream<Void>.makeStream()
        let sleeper = Task<Error?, Never> {
            startedFeed.yield()
            do { try await sleepOnEventLoop(seconds: 3_600); return nil } catch { return error }
        }
        for await _ in started { break }
        // Time for the sleeper to reach its timer (a cancellation before it is the next test's case).
        try await sleepOnEventLoop(seconds: 0.05)
        sleeper.cancel()
        let error = await sleeper.value
        #expect(error is CancellationError)
    }

    @Test(.timeLimit(.minutes(1))) func aTaskCancelledBeforeItSleepsDoesNotSleep() async throws {
        let sleeper = Task<Error?, Never> {
            withUnsafeCurrentTask { $0?.cancel() }
            do { try await sleepOnEventLoop(seconds: 3_600); return nil } catch { return error }
        }
        let error = await sleeper.value
        #expect(error is CancellationError)
    }

    /// The client's default sleep is this one.
    @Test func theClientsRealSleepWaits() async throws {
        let seconds = try await Self.elapsed { try await ClientConfiguration.realSleep(0.1) }
        #expect(seconds >= 0.1)
    }
}
