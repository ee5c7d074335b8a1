import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// What the header and the Outbox tab say of the local store: it cannot save (until a write succeeds),
/// another dispo sends the outbox, a damaged file kept aside still holds what could not be read.
@Suite("Store status") struct StoreStatusTests {
    init() { useUTF8Locale() }

    static func header(_ s: AppState, cols: Int = 120) -> String {
        String(screen(s, Size(cols: cols, rows: 30)).split(separator: "\n", omittingEmptySubsequences: false)[0])
    }

    static func tabBar(_ s: AppState, cols: Int = 160) -> String {
        String(screen(s, Size(cols: cols, rows: 30)).split(separator: "\n", omittingEmptySubsequences: false)[1])
    }

    @Test func cannotSaveShowsInTheHeaderAndTheOutboxUntilAWriteSucceeds() {
        var s = Fixtures.ready()
        #expect(!Self.header(s).contains("cannot save"))
        _ = reduce(&s, .storeHealth(.cannotSave("disk full")))
        #expect(Self.header(s).contains("cannot save: disk full"), Comment(rawValue: Self.header(s)))
        press(&s, .char("3"))
        #expect(Self.tabBar(s).contains("Cannot save: disk full: what was sent is kept in memory"), Comment(rawValue: Self.tabBar(s)))
        _ = reduce(&s, .storeHealth(.writable))
        #expect(!Self.header(s).contains("cannot save"))
        #expect(!Self.tabBar(s).contains("Cannot save"))
    }

    @Test func anotherSenderIsNamedWithItsPid() {
        var s = Fixtures.ready()
        _ = reduce(&s, .outboxSender(.anotherProcess(pid: 4242)))
        #expect(Self.header(s).contains("another dispo (pid 4242) sends"), Comment(rawValue: Self.header(s)))
        press(&s, .char("3"))
        #expect(Self.tabBar(s).contains("Another dispo (pid 4242) is sending these logs; this one takes over when it exits"))
        _ = reduce(&s, .outboxSender(.thisProcess))
        #expect(!Self.header(s).contains("another dispo"))
    }

    @Test func anEmptyOutboxIsNotCalledDeliveredWhileADamagedFileHoldsUnreadRows() {
        var s = Fixtures.ready()
        press(&s, .char("3"))
        #expect(screen(s, Size(cols: 120, rows: 30)).contains("The Outbox is empty: every log has reached the server."))
        _ = reduce(&s, .damagedStoreKept(DamagedStoreNote(path: "/s/dispo.sqlite.corrupt-1", unread: "2 outbox entries")))
        let text = screen(s, Size(cols: 160, rows: 30))
        #expect(!text.contains("every log has reached the server"), Comment(rawValue: text))
        #expect(text.contains("No log in this store, but the damaged file kept at /s/dispo.sqlite.corrupt-1 could not be read entirely (2 outbox entries)."))
        #expect(Self.tabBar(s).contains("Not read from the damaged file /s/dispo.sqlite.corrupt-1: 2 outbox entries"))
    }

    @Test func whatWasRepairedAtStartStaysOnTheOutboxTab() {
        var s = Fixtures.ready()
        _ = reduce(&s, .storeRepaired("damaged store salvaged; 2 logs put back"))
        press(&s, .char("3"))
        #expect(Self.tabBar(s, cols: 120).contains("Repaired at start: damaged store salvaged; 2 logs put back"),
                Comment(rawValue: Self.tabBar(s, cols: 120)))
    }
}
