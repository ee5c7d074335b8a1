import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import DispoStore
import DispoViewModel
import Foundation
import GRDB
import Testing
@testable import DispoApp
@testable import DispoStore

/// The outbox's own writes when the store cannot take them: what the sender learnt is kept, the rep is
/// told "cannot save: …", and it is written (and the message goes) once the store takes writes again.
@Suite("Store health", .serialized)
struct StoreHealthTests {
    static func health(_ msgs: [Msg]) -> [StoreHealth] {
        msgs.compactMap { if case .storeHealth(let h) = $0 { h } else { nil } }
    }

    /// Makes every write of the store fail as on a full disk, or go through again. (That SQLite's full
    /// disk becomes `.diskFull` is checked in DispoStoreTests; end to end, with a real file size limit.)
    static func refuseWrites(_ store: DispoStore, _ refuse: Bool) throws {
        store.injectedWriteFailure = refuse ? .diskFull(path: store.path) : nil
    }

    @Test func theCallIDOfASuccessfulPostIsKeptUntilTheStoreTakesItThenTheMessageGoes() async throws {
        let rig = try await OutboxSenderTests.Rig(storeProbeDelays: [0.2, 0.4])
        defer { Task { await rig.close() } }
        try await OutboxSenderTests.eventually("the sender") { rig.runtime.isSender }
        await rig.server.setFaults(SandboxFaults(latencyMilliseconds: 1000))
        rig.submit(await rig.request(duration: 601), id: "full")
        try await OutboxSenderTests.eventually("the POST in flight") { await rig.posts().count == 1 }
        try Self.refuseWrites(rig.store, true)  // the answer will come while the store refuses writes

        try await OutboxSenderTests.eventually("the rep told") {
            Self.health(rig.posted).contains(.cannotSave("disk full"))
        }
        #expect(rig.state("full") == .sending, "not written yet")
        #expect(!rig.posted.contains { if case .logSent = $0 { true } else { false } }, "not said sent before it is saved")
        #expect(await rig.calls(duration: 601).count == 1)

        try Self.refuseWrites(rig.store, false)
        try await OutboxSenderTests.eventually("written once the store takes writes, the rep told, the message gone") {
            rig.state("full") == .sent && Self.health(rig.posted).last == .writable
                && rig.posted.contains { if case .logSent("full", _, _) = $0 { true } else { false } }
        }
        let call = try #require(await rig.calls(duration: 601).first)
        #expect(try rig.store.outboxEntry(localID: "full")?.callID == call.id, "the call id the server gave")
        #expect(await rig.posts().count == 1, "never sent again")
        let lookUps = await rig.server.recordedRequests().filter { $0.method == "GET" && $0.path == "/calls" }
        #expect(lookUps.isEmpty, "nothing to look up: the call id was kept")
    }

    @Test func aSendThatCannotBeRecordedIsNotMadeAndResumesOnItsOwn() async throws {
        let rig = try await OutboxSenderTests.Rig(storeProbeDelays: [0.2, 0.4])
        defer { Task { await rig.close() } }
        try await OutboxSenderTests.eventually("the sender") { rig.runtime.isSender }
        await rig.server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        rig.submit(await rig.request(duration: 602), id: "queued")
        try await OutboxSenderTests.eventually("queued while offline") {
            await rig.runtime.connection.isOffline && rig.state("queued") == .pending
        }
        try Self.refuseWrites(rig.store, true)
        await rig.server.setFaults(SandboxFaults())  // back: the send cannot start (markSending fails)
        try await OutboxSenderTests.eventually("the rep told") {
            Self.health(rig.posted).contains(.cannotSave("disk full"))
        }
        #expect(await rig.posts().isEmpty, "nothing sent that the store has not recorded")
        try Self.refuseWrites(rig.store, false)
        try await OutboxSenderTests.eventually("sent once the store takes writes, without a key press") {
            rig.state("queued") == .sent && Self.health(rig.posted).last == .writable
        }
        #expect(await rig.posts().count == 1)
    }

    @Test func aHealthyStoreIsNotProbed() async throws {
        let rig = try await OutboxSenderTests.Rig(storeProbeDelays: [0.05])
        defer { Task { await rig.close() } }
        try await OutboxSenderTests.eventually("the sender") { rig.runtime.isSender }
        rig.submit(await rig.request(duration: 603), id: "ok")
        try await OutboxSenderTests.eventually("sent") { rig.state("ok") == .sent }
        #expect(Self.health(rig.posted).isEmpty, "no health message while writes go through")
        #expect(try rig.store.value(forKey: "store.probe") == nil, "no probe write")
    }
}
