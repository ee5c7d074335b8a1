import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import DispoStore
import DispoViewModel
import Foundation
import Testing
@testable import DispoApp

/// Two runtimes on one state directory, as two dispo processes would be (the sender lock is per open
/// file description, so it excludes a second holder in the same process too): one sends, the other
/// only queues and shows what the sender did, and takes over when the sender stops.
@Suite("One sender per state directory", .serialized)
struct OneSenderTests {
    /// A second runtime on `rig`'s store directory, with its own store connection and Msgs.
    final class Second: @unchecked Sendable {
        let store: DispoStore
        let runtime: AppRuntime
        let inbox = OutboxSenderTests.Inbox()

        init(_ rig: OutboxSenderTests.Rig) throws {
            store = try DispoStore.open(path: rig.dir + "/dispo.sqlite").store
            runtime = AppRuntime(client: rig.client, store: store, workspaceKey: "test", probeDelays: [0.1],
                                 uncertainSettle: 0.3, post: { [inbox] in inbox.append($0) })
            runtime.start()
        }

        func sender() -> OutboxSenderRole? {
            inbox.all.compactMap { if case .outboxSender(let r) = $0 { r } else { nil } }.last
        }
    }

    @Test func aSecondProcessNeverTouchesTheEntryTheFirstIsSending() async throws {
        let rig = try await OutboxSenderTests.Rig(uncertainSettle: 0.3)
        defer { Task { await rig.close() } }
        try await OutboxSenderTests.eventually("the first is the sender") { rig.runtime.isSender }
        await rig.server.setFaults(SandboxFaults(latencyMilliseconds: 3000))
        rig.submit(await rig.request(duration: 501), id: "slow")
        try await OutboxSenderTests.eventually("the POST in flight") { await rig.posts().count == 1 }
        #expect(rig.state("slow") == .sending)

        // A second dispo starts while the first is sending: it must not reset the entry and re-send it.
        let second = try Second(rig)
        defer { Task { await second.runtime.shutdown() } }
        try await OutboxSenderTests.eventually("the second knows it does not send") {
            second.sender() == .anotherProcess(pid: getpid())
        }
        #expect(!second.runtime.isSender && second.runtime.otherSenderPID == getpid())
        #expect(try second.store.outboxEntry(localID: "slow")?.state == .sending, "left to its sender")
        await rig.server.setFaults(SandboxFaults())
        try await OutboxSenderTests.eventually("sent by the first") { rig.state("slow") == .sent }
        #expect(await rig.posts().count == 1)
        #expect(await rig.calls(duration: 501).count == 1)
        // The second one's Outbox sees the outcome (it watches the store).
        let callID = try #require(try rig.store.outboxEntry(localID: "slow")?.callID)
        try await OutboxSenderTests.eventually("the second shows it sent") {
            second.inbox.all.contains {
                guard case .outboxChanged(let entries) = $0 else { return false }
                return entries.contains { $0.localID == "slow" && $0.state == .sent(callID: callID) }
            }
        }
    }

    @Test func theSenderSendsWhatAnotherQueuesAndTheOtherTakesOverWhenItStops() async throws {
        let rig = try await OutboxSenderTests.Rig(uncertainSettle: 0.3)
        defer { Task { await rig.close() } }
        try await OutboxSenderTests.eventually("the first is the sender") { rig.runtime.isSender }
        let second = try Second(rig)
        defer { Task { await second.runtime.shutdown() } }
        try await OutboxSenderTests.eventually("the second waits") { second.sender() == .anotherProcess(pid: getpid()) }

        // Queued by the second (as `dispo log` would), sent by the first, reported to the second.
        second.runtime.perform(.submitLog(localID: "queued-elsewhere", request: await rig.request(duration: 502),
                                          summary: "from the second"))
        try await OutboxSenderTests.eventually("sent by the first") { rig.state("queued-elsewhere") == .sent }
        try await OutboxSenderTests.eventually("the second told of it") {
            second.inbox.all.contains { if case .logSent("queued-elsewhere", _, _) = $0 { true } else { false } }
        }
        #expect(await rig.posts().count == 1)

        // The first stops: the second takes over and sends.
        await rig.runtime.shutdown()
        try await OutboxSenderTests.eventually("the second took over") { second.runtime.isSender }
        #expect(second.sender() == .thisProcess)
        second.runtime.perform(.submitLog(localID: "after", request: await rig.request(duration: 503), summary: "after"))
        try await OutboxSenderTests.eventually("sent by the second") { (try? second.store.outboxEntry(localID: "after"))?.state == .sent }
        #expect(await rig.posts().count == 2)
        #expect(await rig.calls(duration: 502).count == 1)
        #expect(await rig.calls(duration: 503).count == 1)
    }
}
