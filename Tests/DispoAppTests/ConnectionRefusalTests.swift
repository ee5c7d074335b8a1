import AmplemarketModels
import DispoViewModel
import Foundation
import Testing
@testable import DispoApp

/// The connection monitor after a rejected key or a refusal: that state stays (a later answer does not
/// make the header say `online`), an outage still shows as offline and the refusal comes back after it.
@Suite struct ConnectionRefusalTests {
    final class Posted: @unchecked Sendable {
        private let lock = NSLock()
        private var _states: [ConnectionState] = []
        var states: [ConnectionState] { lock.withLock { _states } }
        func post(_ msg: Msg) { if case .connectionChanged(let c) = msg { lock.withLock { _states.append(c) } } }
    }

    static let refusal = APIFailure(kind: .forbidden, status: 403, message: "Amplemarket refused: no access to calls")

    func monitor(_ posted: Posted, probe: @escaping @Sendable () async -> Bool = { true }) -> ConnectionMonitor {
        ConnectionMonitor(post: { posted.post($0) }, delays: [0.01], probe: probe, onRecovered: { _ in })
    }

    @Test func aRefusalStaysAfterLaterAnswers() async {
        let posted = Posted()
        let m = monitor(posted)
        await m.observe(Self.refusal)
        await m.reached()
        await m.observe(APIFailure(kind: .notFound, status: 404, message: "not found"))
        #expect(await m.state == .refused(Self.refusal.message))
        #expect(posted.states == [.refused(Self.refusal.message)])
    }

    @Test func aRejectedKeyIsNotReplacedByALaterRefusal() async {
        let posted = Posted()
        let m = monitor(posted)
        await m.observe(APIFailure(kind: .unauthorized, status: 401, message: "The API key was rejected"))
        await m.observe(Self.refusal)
        await m.reached()
        #expect(await m.state == .keyRejected)
        #expect(posted.states == [.keyRejected])
    }

    @Test func anOutageAfterARefusalEndsInTheRefusalAgain() async throws {
        let posted = Posted()
        let m = monitor(posted)
        await m.observe(Self.refusal)
        await m.observe(APIFailure(kind: .notSent, message: "connection refused"))
        #expect(await m.isOffline)
        // The probe answers: the header goes back to the refusal, not to online.
        for _ in 0..<500 where await m.isOffline { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(await m.state == .refused(Self.refusal.message))
        #expect(posted.states == [.refused(Self.refusal.message), .offline("cannot reach the server"),
                                  .refused(Self.refusal.message)])
        await m.stop()
    }
}
