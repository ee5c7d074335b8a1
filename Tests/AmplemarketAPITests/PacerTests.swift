@testable import AmplemarketAPI
import AmplemarketModels
import Foundation
import Testing

/// The pacer's window as the server counts it: by arrivals, which come after the send, however late.
/// Deterministic: the pacer is driven with explicit times, or through the client with `FakeTime`.
@Suite struct PacerTests {
    /// One simulated request: its slot, how long after the slot it arrived, how long its answer took
    /// to come back after that.
    struct Trip { var slot: Double; var arrival: Double; var finish: Double }

    /// Runs `count` requests through a pacer: a request is asked for every `gap` seconds (callers do
    /// not wait for each other), arrives `latency(i)` after its slot and is answered `back` later.
    static func simulate(limit: Int, window: Double, count: Int, gap: Double, latency: (Int) -> Double,
                         back: Double = 0.01) async -> [Trip] {
        let pacer = Pacer(limits: PacingLimits(requestsPerWindow: limit, requestWindow: window))
        var trips: [Trip] = []
        var pending: [(ticket: Pacer.Ticket, finish: Double)] = []
        var now = 0.0
        for i in 0..<count {
            // Everything answered by now is reported first, as the transport does.
            for p in pending where p.finish <= now { await pacer.finish(p.ticket, now: p.finish, answered: true) }
            pending.removeAll { $0.finish <= now }
            var granted = await pacer.reserve(recording: false, now: now)
            while granted == nil {
                // All slots in flight: move time to the next answer.
                let first = pending.min { $0.finish < $1.finish }!
                now = max(now, first.finish)
                await pacer.finish(first.ticket, now: first.finish, answered: true)
                pending.removeAll { $0.ticket == first.ticket }
                granted = await pacer.reserve(recording: false, now: now)
            }
            let (ticket, at) = granted!
            let arrival = at + latency(i)
            trips.append(Trip(slot: at, arrival: arrival, finish: arrival + back))
            pending.append((ticket, arrival + back))
            now += gap
        }
        return trips
    }

    /// The most arrivals in any window of `window` seconds.
    static func busiestWindow(_ trips: [Trip], window: Double) -> Int {
        let arrivals = trips.map(\.arrival).sorted()
        return arrivals.indices.map { i in arrivals[i...].prefix { $0 < arrivals[i] + window }.count }.max() ?? 0
    }

    @Test func noWindowAtTheServerHoldsMoreArrivalsThanTheLimit() async {
        // Latency that varies a lot: the slow ones arrive late, the next window's fast ones early.
        let trips = await Self.simulate(limit: 5, window: 10, count: 40, gap: 0.1,
                                        latency: { [3.0, 0.01, 1.5, 0.2, 2.5, 0.05][$0 % 6] })
        #expect(Self.busiestWindow(trips, window: 10) <= 5)
        #expect(trips.last!.slot > 60, "the budget held them back: \(trips.last!.slot)")
    }

    @Test func aSlowAnswerHoldsItsSlotUntilItCameBack() async {
        let pacer = Pacer(limits: PacingLimits(requestsPerWindow: 3, requestWindow: 10))
        var tickets: [Pacer.Ticket] = []
        for _ in 0..<3 { tickets.append(await pacer.reserve(recording: false, now: 0)!.ticket) }
        // Answered 2 s after they were sent: any of them may have arrived as late as t = 2.
        for t in tickets { await pacer.finish(t, now: 2, answered: true) }
        let fourth = await pacer.reserve(recording: false, now: 3)
        #expect(fourth?.at == 12, "a window after the latest possible arrival, not after the send (10)")
    }

    @Test func requestsInFlightCountUntilTheyFinish() async {
        let pacer = Pacer(limits: PacingLimits(requestsPerWindow: 2, requestWindow: 10))
        let a = await pacer.reserve(recording: false, now: 0)!.ticket
        _ = await pacer.reserve(recording: false, now: 0)!
        #expect(await pacer.reserve(recording: false, now: 50) == nil, "both may still arrive at any moment")
        await pacer.finish(a, now: 51, answered: true)
        #expect(await pacer.reserve(recording: false, now: 51)?.at == 61)
    }

    @Test func anUnansweredRequestCountsALittleLongerAndAReleasedOneNotAtAll() async {
        let pacer = Pacer(limits: PacingLimits(requestsPerWindow: 1, requestWindow: 10, unansweredMargin: 2))
        let a = await pacer.reserve(recording: false, now: 0)!.ticket
        await pacer.finish(a, now: 1, answered: false)  // timed out: its bytes may still reach the server
        let b = await pacer.reserve(recording: false, now: 1)!
        #expect(b.at == 13)
        await pacer.release(b.ticket)  // cancelled before it was sent
        #expect(await pacer.reserve(recording: false, now: 1)?.at == 13, "the released slot does not count")
    }

    @Test func recordingsHaveABudgetOfTheirOwn() async {
        let pacer = Pacer(limits: PacingLimits(requestsPerWindow: 500, requestWindow: 60, recordingsPerWindow: 1, recordingWindow: 3600))
        let r = await pacer.reserve(recording: true, now: 0)!.ticket
        await pacer.finish(r, now: 5, answered: true)
        #expect(await pacer.reserve(recording: true, now: 6)?.at == 3605)
        #expect(await pacer.reserve(recording: false, now: 6)?.at == 6)
    }

    /// Through the client: the offline probe spends the same budget as every other request.
    @Test func theProbeSharesTheClientsBudget() async throws {
        let time = FakeTime(advances: false)
        try await withServer({ req in req.path == "/account-info" ? Reply(body: #"{"name":"x"}"#) : RetryAndPacingTests.usersPage }) { server in
            try await withClient(testConfiguration(server.baseURL(), time: time, pacing: PacingLimits(requestsPerWindow: 2, requestWindow: 60))) { client in
                _ = try await client.listUsers(UserListQuery())
                _ = try await client.probe()
                _ = try await client.listUsers(UserListQuery())
            }
            #expect(await server.requests().count == 3)
        }
        #expect(time.pacingWaits == [60], "the third request waited for the probe's slot")
    }
}
