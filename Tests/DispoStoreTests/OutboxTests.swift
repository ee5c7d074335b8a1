import Foundation
import Testing
@testable import DispoStore

@Suite struct OutboxTests {
    @Test func enqueueReturnsAPendingRecordAndRefusesADuplicateID() throws {
        let store = try DispoStore.inMemory()
        let record = try store.enqueueTestLog("a", notes: "hi")
        #expect(record.localID == "a")
        #expect(record.workspaceKey == "ws")
        #expect(record.state == .pending)
        #expect(record.attempts == 0)
        #expect(record.uncertain == false)
        #expect(record.callID == nil)
        #expect(record.createdAt == t0)
        #expect(record.nextAttemptAt == nil)
        #expect(record.requestJSON == requestJSON(notes: "hi"))
        #expect(throws: StoreError.duplicateLocalID("a")) { try store.enqueueTestLog("a") }
        #expect(try store.outbox(workspaceKey: "ws", includeFinished: true) == [record])
    }

    @Test func enqueueCanClearTheDraftInTheSameTransaction() throws {
        let store = try DispoStore.inMemory()
        try store.saveDraft(key: "ws", json: Data("{}".utf8), updatedAt: t0)
        try store.enqueue(NewOutboxEntry(localID: "a", workspaceKey: "ws", requestJSON: requestJSON(),
                                         summary: "s", createdAt: t0, clearsDraftKey: "ws"))
        #expect(try store.draft(key: "ws") == nil)
    }

    @Test func draftsAreOnePerKeyAndReplaced() throws {
        let store = try DispoStore.inMemory()
        try store.saveDraft(key: "ws1", json: Data("1".utf8), updatedAt: t0)
        try store.saveDraft(key: "ws1", json: Data("2".utf8), updatedAt: t0.addingTimeInterval(1))
        try store.saveDraft(key: "ws2", json: Data("3".utf8), updatedAt: t0)
        #expect(try store.draft(key: "ws1") == Data("2".utf8))
        try store.clearDraft(key: "ws1")
        #expect(try store.draft(key: "ws1") == nil)
        #expect(try store.draft(key: "ws2") == Data("3".utf8))
    }

    @Test func sendThenSentWritesTheJournalWithNotes() throws {
        let store = try DispoStore.inMemory()
        try store.enqueueTestLog("a", notes: "wants a demo on Tuesday")
        try store.markSending(localID: "a", at: t0.addingTimeInterval(1))
        let sending = try #require(try store.outboxEntry(localID: "a"))
        #expect(sending.state == .sending)
        #expect(sending.attempts == 1)
        #expect(sending.updatedAt == t0.addingTimeInterval(1))

        let callJSON = Data(#"{"id":"call-9","notes":null}"#.utf8)
        try store.markSent(localID: "a", callID: "call-9", callJSON: callJSON, notesStored: false,
                           at: t0.addingTimeInterval(2))
        let sent = try #require(try store.outboxEntry(localID: "a"))
        #expect(sent.state == .sent)
        #expect(sent.callID == "call-9")
        #expect(try store.outbox(workspaceKey: "ws", includeFinished: false).isEmpty)

        let entry = try #require(try store.journalEntry(callID: "call-9"))
        #expect(entry.notes == "wants a demo on Tuesday")
        #expect(entry.notesStoredByServer == false)
        #expect(entry.localID == "a")
        #expect(entry.workspaceKey == "ws")
        #expect(entry.callJSON == callJSON)
        #expect(entry.requestJSON == requestJSON(notes: "wants a demo on Tuesday"))
        #expect(entry.submittedAt == t0)
        #expect(entry.loggedAt == t0.addingTimeInterval(2))
        #expect(try store.journal(workspaceKey: "ws", limit: 10) == [entry])
        #expect(try store.journal(workspaceKey: "other", limit: 10).isEmpty)
    }

    @Test func journalIsNewestFirstAndLimited() throws {
        let store = try DispoStore.inMemory()
        for (index, id) in ["a", "b", "c"].enumerated() {
            try store.enqueueTestLog(id, offset: Double(index))
            try store.markSending(localID: id, at: t0)
            try store.markSent(localID: id, callID: "call-\(id)", callJSON: Data("{}".utf8), notesStored: true,
                               at: t0.addingTimeInterval(Double(10 + index)))
        }
        #expect(try store.journal(workspaceKey: "ws", limit: 2).map(\.callID) == ["call-c", "call-b"])
        #expect(try store.journalEntry(callID: "call-a")?.notes == nil)
    }

    @Test func aCallIDCannotBeClaimedByTwoEntries() throws {
        let store = try DispoStore.inMemory()
        try store.enqueueTestLog("a")
        try store.enqueueTestLog("b", offset: 1)
        try store.markSending(localID: "a", at: t0)
        try store.markSent(localID: "a", callID: "call-1", callJSON: Data("{}".utf8), notesStored: true, at: t0)
        try store.markSending(localID: "b", at: t0)
        #expect(throws: StoreError.callAlreadyJournaled(callID: "call-1", otherLocalID: "a")) {
            try store.markSent(localID: "b", callID: "call-1", callJSON: Data("{}".utf8), notesStored: true, at: t0)
        }
        // Rolled back: b is still sending, not sent.
        #expect(try store.outboxEntry(localID: "b")?.state == .sending)
    }

    @Test func retryGoesBackToPendingWithBackoffAndStickyUncertainty() throws {
        let store = try DispoStore.inMemory()
        try store.enqueueTestLog("a")
        try store.markSending(localID: "a", at: t0)
        let later = t0.addingTimeInterval(30)
        try store.markRetry(localID: "a", error: "timed out after sending", nextAttemptAt: later, uncertain: true)
        var record = try #require(try store.outboxEntry(localID: "a"))
        #expect(record.state == .pending)
        #expect(record.lastError == "timed out after sending")
        #expect(record.nextAttemptAt == later)
        #expect(record.uncertain)
        #expect(try store.nextSendable(workspaceKey: "ws", now: t0.addingTimeInterval(29)) == nil)
        #expect(try store.nextSendable(workspaceKey: "ws", now: later)?.localID == "a")

        // The look-up itself failed to connect: the earlier POST may still be on the server.
        try store.markSending(localID: "a", at: later)
        try store.markRetry(localID: "a", error: "connection refused", nextAttemptAt: later, uncertain: false)
        record = try #require(try store.outboxEntry(localID: "a"))
        #expect(record.uncertain)
        #expect(record.attempts == 2)
        #expect(record.lastError == "connection refused")

        try store.markSending(localID: "a", at: later)
        try store.markSent(localID: "a", callID: "c", callJSON: Data("{}".utf8), notesStored: true, at: later)
        record = try #require(try store.outboxEntry(localID: "a"))
        #expect(record.uncertain == false)
        #expect(record.lastError == nil)
    }

    @Test func aPendingEntryFoundByTheLookupCanBeMarkedSent() throws {
        let store = try DispoStore.inMemory()
        try store.enqueueTestLog("a")
        try store.markSent(localID: "a", callID: "found", callJSON: Data("{}".utf8), notesStored: true, at: t0)
        #expect(try store.outboxEntry(localID: "a")?.state == .sent)
    }

    @Test func needsAttentionThenEditThenSend() throws {
        let store = try DispoStore.inMemory()
        try store.enqueueTestLog("a")
        try store.markSending(localID: "a", at: t0)
        try store.markNeedsAttention(localID: "a", error: "The server refused the log",
                                     fieldErrors: ["/to": "is not a valid E.164 number"])
        var record = try #require(try store.outboxEntry(localID: "a"))
        #expect(record.state == .needsAttention)
        #expect(record.fieldErrors == ["/to": "is not a valid E.164 number"])
        #expect(try store.outbox(workspaceKey: "ws", includeFinished: false).map(\.localID) == ["a"])
        #expect(try store.nextSendable(workspaceKey: "ws", now: t0) == nil)
        #expect(throws: StoreError.invalidTransition(localID: "a", from: .needsAttention, to: .sending)) {
            try store.markSending(localID: "a", at: t0)
        }

        let edited = requestJSON(to: "+351912345678")
        try store.updateRequest(localID: "a", requestJSON: edited, summary: "edited")
        record = try #require(try store.outboxEntry(localID: "a"))
        #expect(record.state == .pending)
        #expect(record.requestJSON == edited)
        #expect(record.summary == "edited")
        #expect(record.fieldErrors.isEmpty)
        #expect(record.lastError == nil)
        #expect(try store.nextSendable(workspaceKey: "ws", now: t0)?.localID == "a")
    }

    @Test func invalidTransitionsThrowAndChangeNothing() throws {
        let store = try DispoStore.inMemory()
        try store.enqueueTestLog("sent")
        try store.markSending(localID: "sent", at: t0)
        try store.markSent(localID: "sent", callID: "c1", callJSON: Data("{}".utf8), notesStored: true, at: t0)
        try store.enqueueTestLog("gone", offset: 1)
        try store.discard(localID: "gone")
        try store.enqueueTestLog("fresh", offset: 2)
        let before = try store.outbox(workspaceKey: "ws", includeFinished: true)

        #expect(throws: StoreError.invalidTransition(localID: "sent", from: .sent, to: .discarded)) {
            try store.discard(localID: "sent")
        }
        #expect(throws: StoreError.invalidTransition(localID: "gone", from: .discarded, to: .sent)) {
            try store.markSent(localID: "gone", callID: "c2", callJSON: Data("{}".utf8), notesStored: true, at: t0)
        }
        #expect(throws: StoreError.invalidTransition(localID: "gone", from: .discarded, to: .discarded)) {
            try store.discard(localID: "gone")
        }
        #expect(throws: StoreError.invalidTransition(localID: "sent", from: .sent, to: .sending)) {
            try store.markSending(localID: "sent", at: t0)
        }
        #expect(throws: StoreError.invalidTransition(localID: "sent", from: .sent, to: .pending)) {
            try store.updateRequest(localID: "sent", requestJSON: requestJSON(), summary: "x")
        }
        #expect(throws: StoreError.invalidTransition(localID: "fresh", from: .pending, to: .pending)) {
            try store.markRetry(localID: "fresh", error: "e", nextAttemptAt: t0, uncertain: false)
        }
        // Only a refused (needs-attention) log is editable: a pending one may already be on the server.
        #expect(throws: StoreError.invalidTransition(localID: "fresh", from: .pending, to: .pending)) {
            try store.updateRequest(localID: "fresh", requestJSON: requestJSON(to: "+15550000000"), summary: "x")
        }
        #expect(throws: StoreError.invalidTransition(localID: "gone", from: .discarded, to: .needsAttention)) {
            try store.markNeedsAttention(localID: "gone", error: "e", fieldErrors: [:])
        }
        try store.markSending(localID: "fresh", at: t0)
        #expect(throws: StoreError.invalidTransition(localID: "fresh", from: .sending, to: .discarded)) {
            try store.discard(localID: "fresh")
        }
        #expect(throws: StoreError.invalidTransition(localID: "fresh", from: .sending, to: .sending)) {
            try store.markSending(localID: "fresh", at: t0)
        }
        #expect(throws: StoreError.outboxEntryNotFound(localID: "nope")) {
            try store.markSending(localID: "nope", at: t0)
        }
        let after = try store.outbox(workspaceKey: "ws", includeFinished: true)
        #expect(after.filter { $0.localID != "fresh" } == before.filter { $0.localID != "fresh" })
        #expect(try store.journalEntry(callID: "c2") == nil)
    }

    @Test func discardNeedsAttentionOrPending() throws {
        let store = try DispoStore.inMemory()
        try store.enqueueTestLog("a")
        try store.markSending(localID: "a", at: t0)
        try store.markNeedsAttention(localID: "a", error: "e", fieldErrors: ["/duration": "must be ≥ 0"])
        try store.discard(localID: "a")
        try store.enqueueTestLog("b", offset: 1)
        try store.discard(localID: "b")
        #expect(try store.outbox(workspaceKey: "ws", includeFinished: false).isEmpty)
        #expect(try store.outbox(workspaceKey: "ws", includeFinished: true).map(\.state) == [.discarded, .discarded])
    }

    @Test func outboxIsInCreationOrderPerWorkspace() throws {
        let store = try DispoStore.inMemory()
        // Insertion order is the order, even if the wall clock went backwards between submissions.
        try store.enqueueTestLog("first", offset: 100)
        try store.enqueueTestLog("other-ws", workspace: "ws2", offset: 50)
        try store.enqueueTestLog("second", offset: 10)
        try store.enqueueTestLog("third", offset: 200)
        #expect(try store.outbox(workspaceKey: "ws", includeFinished: true).map(\.localID)
            == ["first", "second", "third"])
        #expect(try store.outbox(workspaceKey: "ws2", includeFinished: true).map(\.localID) == ["other-ws"])
    }

    @Test func nextSendableNeverLetsALaterLogOvertake() throws {
        let store = try DispoStore.inMemory()
        try store.enqueueTestLog("a")
        try store.enqueueTestLog("b", offset: 1)
        try store.enqueueTestLog("c", offset: 2)
        #expect(try store.nextSendable(workspaceKey: "ws", now: t0)?.localID == "a")

        // While a is in flight, nothing else is offered.
        try store.markSending(localID: "a", at: t0)
        #expect(try store.nextSendable(workspaceKey: "ws", now: t0) == nil)

        // a backs off: b must wait for it.
        try store.markRetry(localID: "a", error: "503", nextAttemptAt: t0.addingTimeInterval(60), uncertain: true)
        #expect(try store.nextSendable(workspaceKey: "ws", now: t0.addingTimeInterval(59)) == nil)
        #expect(try store.nextSendable(workspaceKey: "ws", now: t0.addingTimeInterval(60))?.localID == "a")

        // a needs the rep: it no longer blocks b, then c.
        try store.markSending(localID: "a", at: t0)
        try store.markNeedsAttention(localID: "a", error: "422", fieldErrors: [:])
        #expect(try store.nextSendable(workspaceKey: "ws", now: t0)?.localID == "b")
        try store.markSending(localID: "b", at: t0)
        try store.markSent(localID: "b", callID: "cb", callJSON: Data("{}".utf8), notesStored: true, at: t0)
        #expect(try store.nextSendable(workspaceKey: "ws", now: t0)?.localID == "c")

        // Once edited, the older a goes before c again.
        try store.updateRequest(localID: "a", requestJSON: requestJSON(), summary: "a'")
        #expect(try store.nextSendable(workspaceKey: "ws", now: t0)?.localID == "a")
        #expect(try store.nextSendable(workspaceKey: "elsewhere", now: t0) == nil)
    }

    /// An entry found `sending` is uncertain from its POST's start, not from the restart: it is not
    /// looked up before that start plus the in-flight limit (the POST's timeout and the settle time).
    @Test func recoverInterruptedCountsFromTheLastAttemptNotFromNow() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/dispo.sqlite"
            let posted = t0.addingTimeInterval(7)
            do {
                let (store, _) = try DispoStore.open(path: path)
                try store.enqueueTestLog("a")
                try store.enqueueTestLog("b", offset: 1)
                try store.enqueueTestLog("x", workspace: "ws2", offset: 2)
                try store.markSending(localID: "a", at: t0.addingTimeInterval(5))
                try store.markPostStarted(localID: "a", at: posted)  // after its look-up
                try store.markSending(localID: "x", at: t0)
                // The process dies here: no markSent / markRetry.
                try store.close()
            }
            let (store, _) = try DispoStore.open(path: path)
            #expect(try store.outboxEntry(localID: "a")?.lastAttemptAt == posted)
            #expect(try store.recoverInterrupted(inFlightLimit: 45) == 2)
            let a = try #require(try store.outboxEntry(localID: "a"))
            #expect(a.state == .pending)
            #expect(a.uncertain)
            #expect(a.attempts == 1)
            #expect(a.nextAttemptAt == posted.addingTimeInterval(45), "due 45 s after the POST started")
            #expect(try store.outboxEntry(localID: "x")?.nextAttemptAt == t0.addingTimeInterval(45))
            #expect(try store.outboxEntry(localID: "x")?.uncertain == true)
            #expect(try store.outboxEntry(localID: "b")?.uncertain == false)
            // The head waits its settle time; nothing overtakes it.
            #expect(try store.nextSendable(workspaceKey: "ws", now: posted.addingTimeInterval(44)) == nil)
            #expect(try store.nextSendable(workspaceKey: "ws", now: posted.addingTimeInterval(45))?.localID == "a")
            #expect(try store.recoverInterrupted(inFlightLimit: 45) == 0)
        }
    }

    @Test func settingsAndPageCache() throws {
        let store = try DispoStore.inMemory()
        #expect(try store.value(forKey: "user") == nil)
        try store.setValue("a@x.com", forKey: "user")
        try store.setValue("b@x.com", forKey: "user")
        #expect(try store.value(forKey: "user") == "b@x.com")
        try store.removeValue(forKey: "user")
        #expect(try store.value(forKey: "user") == nil)

        #expect(try store.cachedPage(key: "calls") == nil)
        try store.cachePage(key: "calls", json: Data("[]".utf8), fetchedAt: t0)
        try store.cachePage(key: "calls", json: Data("[2]".utf8), fetchedAt: t0.addingTimeInterval(5))
        let page = try #require(try store.cachedPage(key: "calls"))
        #expect(page.json == Data("[2]".utf8))
        #expect(page.fetchedAt == t0.addingTimeInterval(5))
    }
}
