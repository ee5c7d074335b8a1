@testable import AmplemarketAPI
import AmplemarketModels
import Foundation
import Testing

/// The server's clock as measured from its answers (`ServerClock`), and what depends on it: a
/// `Retry-After` date read in the server's clock, the same cap for every method.
@Suite struct ServerClockTests {
    static let t0 = Date(timeIntervalSince1970: 1_760_000_000)  // a whole second

    static func header(_ date: Date) -> String { HTTPDate.format(date) }

    // MARK: The measure (deterministic: times given by hand)

    @Test func aDateHeaderBoundsTheSkewByTheExchangeAndTheSecond() throws {
        let clock = ServerClock()
        #expect(clock.skew == nil)
        // Sent at t0, answered at t0 + 0.4 s; the server's Date says t0 + 5 h + 3 s.
        clock.observe(dateHeader: Self.header(Self.t0.addingTimeInterval(18_003)), sentAt: Self.t0,
                      receivedAt: Self.t0.addingTimeInterval(0.4))
        let skew = try #require(clock.skew)
        #expect(abs(skew.lower - (18_003 - 0.4)) < 1e-6)
        #expect(abs(skew.upper - (18_003 + 2)) < 1e-6)  // truncated to the second, and maybe a second stale
        #expect(skew.lower <= 18_003 && 18_003 <= skew.upper)
    }

    @Test func answersAtDifferentMomentsNarrowTheBounds() throws {
        let clock = ServerClock()
        let skew = -7200.25  // server 2 h behind, a quarter second on top
        for (i, start) in [0.0, 0.3, 0.55, 0.8, 1.1].enumerated() {
            let sent = Self.t0.addingTimeInterval(Double(i) * 10 + start)
            let received = sent.addingTimeInterval(0.05)
            let serverAt = sent.addingTimeInterval(0.02 + skew)  // written while in flight
            let truncated = Date(timeIntervalSince1970: floor(serverAt.timeIntervalSince1970))
            clock.observe(dateHeader: Self.header(truncated), sentAt: sent, receivedAt: received)
        }
        let measured = try #require(clock.skew)
        #expect(measured.lower <= skew && skew <= measured.upper, "\(measured)")
        #expect(measured.uncertainty < 1.2, "five answers: \(measured)")
        #expect(clock.measurements == 5)
    }

    @Test func aCreatedCallsStartDateBoundsTheSkewAllowingForItsDuration() throws {
        let clock = ServerClock()
        let start = Self.t0.addingTimeInterval(-600)  // server 10 min behind
        clock.observe(createdStartDate: start, backdatedUpTo: 90, sentAt: Self.t0, receivedAt: Self.t0.addingTimeInterval(1))
        let skew = try #require(clock.skew)
        #expect(skew.lower <= -600 && -600 <= skew.upper)
        #expect(skew.lower == -602 && skew.upper == -600 + 91)  // a start stamped 90 s back is allowed
    }

    @Test func aMeasureThatContradictsTheBoundsWidensThemInsteadOfExcludingEither() throws {
        let clock = ServerClock()
        clock.observe(dateHeader: Self.header(Self.t0.addingTimeInterval(100)), sentAt: Self.t0, receivedAt: Self.t0)
        clock.observe(dateHeader: Self.header(Self.t0.addingTimeInterval(3700)), sentAt: Self.t0, receivedAt: Self.t0)
        let skew = try #require(clock.skew)
        #expect(skew.lower <= 100 && 3700 <= skew.upper, "\(skew)")
    }

    @Test func theServersIntervalForOurs() throws {
        let clock = ServerClock()
        #expect(clock.serverInterval(from: Self.t0, to: Self.t0) == nil)
        clock.observe(dateHeader: Self.header(Self.t0.addingTimeInterval(3600)), sentAt: Self.t0, receivedAt: Self.t0.addingTimeInterval(1))
        let interval = try #require(clock.serverInterval(from: Self.t0, to: Self.t0.addingTimeInterval(60)))
        #expect(interval.lowerBound == Self.t0.addingTimeInterval(3599))
        #expect(interval.upperBound == Self.t0.addingTimeInterval(60 + 3602))
        #expect(abs(clock.serverTime(at: Self.t0)!.timeIntervalSince(Self.t0) - 3600.5) < 1e-6)
    }

    @Test func unreadableDatesAreIgnored() {
        let clock = ServerClock()
        clock.observe(dateHeader: "yesterday", sentAt: Self.t0, receivedAt: Self.t0)
        clock.observe(dateHeader: nil, sentAt: Self.t0, receivedAt: Self.t0)
        #expect(clock.skew == nil && clock.measurements == 0)
    }

    @Test func httpDatesRoundTrip() {
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.parse("Sun, 32 Nov 1994 08:49:37 GMT") == nil)
    }

    // MARK: Through the client, against servers written by hand (every header theirs)

    /// A raw server whose clock is `skew` seconds off; `status(n)` answers connection n, with
    /// `retryAfter(serverNow)` as its Retry-After when given.
    static func server(skew: Double, sendsDate: Bool = true, status: @escaping @Sendable (Int) -> Int,
                       retryAfter: (@Sendable (Date) -> String)? = nil) throws -> RawSocketServer {
        try RawSocketServer(.script { _, n in
            let serverNow = Date().addingTimeInterval(skew)
            let code = status(n)
            let body = code == 200 ? Data(#"{"users":[\#(userJSON("u1"))]}"#.utf8)
                : code == 201 ? Data(callJSON("c1").utf8) : Data(#"{"_errors":[{"detail":"slow down"}]}"#.utf8)
            var head = "HTTP/1.1 \(code) X\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
            if sendsDate { head += "Date: \(HTTPDate.format(serverNow))\r\n" }
            if code == 429, let retryAfter { head += "Retry-After: \(retryAfter(serverNow))\r\n" }
            return (head + "\r\n", body)
        })
    }

    @Test func everyAnswerMeasuresTheServersClock() async throws {
        let raw = try Self.server(skew: -5 * 3600, status: { _ in 200 })
        defer { raw.stop() }
        let started = Date()
        let skew = try await withClient(testConfiguration("http://127.0.0.1:\(raw.port)")) { client in
            _ = try await client.listUsers(UserListQuery())
            return client.serverClock.skew
        }
        let elapsed = Date().timeIntervalSince(started)
        let measured = try #require(skew)
        #expect(measured.lower <= -5 * 3600 && -5 * 3600 <= measured.upper, "\(measured)")
        // The header's second (and a second of staleness), and the exchange's time, nothing more.
        #expect(measured.uncertainty <= 1 + elapsed / 2 + 0.01, "\(measured) after \(elapsed) s")
    }

    @Test func aRetryAfterDateIsReadInTheServersClockForAGet() async throws {
        let raw = try Self.server(skew: 7200, status: { $0 == 1 ? 429 : 200 },
                                  retryAfter: { HTTPDate.format($0.addingTimeInterval(30)) })
        defer { raw.stop() }
        let time = FakeTime()
        _ = try await withClient(testConfiguration("http://127.0.0.1:\(raw.port)", time: time)) { try await $0.listUsers(UserListQuery()) }
        #expect(time.sleeps == [30], "two hours fast, thirty seconds asked")
    }

    @Test func aRetryAfterDateIsReadInTheServersClockAndCappedForAPost() async throws {
        let raw = try Self.server(skew: 7200, status: { _ in 429 }, retryAfter: { HTTPDate.format($0.addingTimeInterval(30)) })
        defer { raw.stop() }
        let f = try await withClient(testConfiguration("http://127.0.0.1:\(raw.port)")) { client in
            await caught { try await client.logCall(LogCallRequest(from: "1", to: "2", duration: 1, answered: true, human: true, taskID: "t", userID: "u")) }
        }
        #expect(f?.kind == .rateLimited)
        #expect(f?.retryAfter == 30)

        let far = try Self.server(skew: 7200, status: { _ in 429 }, retryAfter: { HTTPDate.format($0.addingTimeInterval(3600)) })
        defer { far.stop() }
        let capped = try await withClient(testConfiguration("http://127.0.0.1:\(far.port)")) { client in
            await caught { try await client.logCall(LogCallRequest(from: "1", to: "2", duration: 1, answered: true, human: true, taskID: "t", userID: "u")) }
        }
        #expect(capped?.retryAfter == 60, "capped like a GET's")
    }

    @Test func withoutADateTheMeasuredClockReadsARetryAfterDate() async throws {
        // The first answer carries a Date (measured: 2 h fast); the 429 then carries none.
        let raw = try RawSocketServer(.script { _, n in
            let serverNow = Date().addingTimeInterval(7200)
            let body = Data(n == 1 ? #"{"users":[]}"#.utf8 : #"{}"#.utf8)
            var head = "HTTP/1.1 \(n == 1 ? 200 : 429) X\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
            if n == 1 { head += "Date: \(HTTPDate.format(serverNow))\r\n" }
            else { head += "Retry-After: \(HTTPDate.format(serverNow.addingTimeInterval(20)))\r\n" }
            return (head + "\r\n", body)
        })
        defer { raw.stop() }
        let started = Date()
        let (f, skew) = try await withClient(testConfiguration("http://127.0.0.1:\(raw.port)", retry: .none)) { client in
            _ = try await client.listUsers(UserListQuery())
            return (await caught { try await client.listUsers(UserListQuery()) }, client.serverClock.skew)
        }
        let elapsed = Date().timeIntervalSince(started)
        let wait = try #require(f?.retryAfter)
        let uncertainty = try #require(skew).uncertainty
        // 20 s in the server's clock, give or take what the measure allows (the second answer's date
        // was written up to `elapsed` after the first).
        #expect(wait >= 19 - uncertainty - elapsed && wait <= 20 + uncertainty + 1, "\(wait) s (± \(uncertainty), \(elapsed) s)")
        #expect(wait < 60, "not read in our clock (two hours)")
    }
}
