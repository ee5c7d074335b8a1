import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The Calls list as a window over the local mirror (config `history`): only rows around the cursor are
/// held, `/` and the filters are queries answered over the whole history, a reload keeps the cursor on
/// its call. The store is played here by `answer`, which filters an array the way the store's query does
/// (its own tests check the store).
@Suite("Calls over the local history") struct CallsHistoryTests {
    init() { useUTF8Locale() }

    /// `n` calls a minute apart, newest first; every 10th one mentions "budget", every 7th is unanswered.
    static func history(_ n: Int) -> [Call] {
        (0..<n).map { (i: Int) -> Call in
            let answered: Bool = i % 7 != 0
            let notes: String = i % 10 == 0 ? "Talked budget \(i)" : "Call \(i)"
            let start: Date = fixtureNow.addingTimeInterval(Double(-60 * i))
            let contact = Contact(id: "k\(i)", name: "Contact \(i)", email: nil)
            return Call(id: "h\(i)", from: "+1 650 555 0100", to: "+1 415 555 \(1000 + i % 9000)", duration: 60,
                        answered: answered, human: answered, notes: notes, userID: "u-1", contact: contact, startDate: start)
        }
    }

    /// A state ready with the mirror on; the effects of startup are returned.
    static func ready(size: Size = Size(cols: 80, rows: 24)) -> (AppState, [Effect]) {
        var env = Fixtures.env
        env.keepsHistory = true
        var s = AppState(environment: env)
        var effects = reduce(&s, .resize(size))
        effects += reduce(&s, .accountLoaded(AccountInfo(raw: .object(["name": .string("Acme Inc")]))))
        effects += reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam]))
        effects += reduce(&s, .dispositionsLoaded(Fixtures.dispositions))
        return (s, effects)
    }

    /// The window loads among `effects`.
    static func windowLoads(_ effects: [Effect]) -> [(CallHistoryQuery, Int, Int, String?)] {
        effects.compactMap {
            if case .io(.load(.historyWindow(let q, let offset, let limit, let anchor))) = $0 { return (q, offset, limit, anchor) }
            return nil
        }
    }

    /// What the store would answer to a window load, over `calls`.
    static func answer(_ load: (CallHistoryQuery, Int, Int, String?), from calls: [Call]) -> HistoryWindow {
        let (q, asked, limit, anchor) = load
        let words = q.text.lowercased().split(separator: " ").map(String.init)
        let rows = calls.filter { c in
            let text = [c.contact?.name, c.notes].compactMap { $0 }.joined(separator: " ").lowercased()
            return words.allSatisfy(text.contains) && (q.answered.map { c.answered == $0 } ?? true)
        }
        let anchorRow = anchor.flatMap { id in rows.firstIndex { $0.id == id } }
        let offset = anchorRow.map { max(0, $0 - limit / 2) } ?? asked
        let slice = Array(rows.dropFirst(offset).prefix(limit))
        return HistoryWindow(query: q, offset: offset, calls: slice, total: rows.count, anchorRow: anchorRow)
    }

    /// Answers every window load in `effects` (and those the answers lead to) from `calls`.
    static func serve(_ s: inout AppState, _ effects: [Effect], from calls: [Call]) {
        var pending = windowLoads(effects)
        var rounds = 0
        while let load = pending.first, rounds < 10 {
            pending.removeFirst()
            rounds += 1
            pending += windowLoads(reduce(&s, .historyWindowLoaded(answer(load, from: calls))))
        }
    }

    /// An empty mirror after the server refused the calls says they could not be loaded, not that there
    /// are none; the server's next page puts the usual empty state back.
    @Test func anEmptyHistoryAfterARefusalSaysTheCallsCouldNotBeLoaded() {
        var (s, effects) = Self.ready()
        press(&s, .char("2"))
        Self.serve(&s, effects, from: [])
        _ = reduce(&s, .callsFailed(APIFailure(kind: .forbidden, status: 403, message: "Amplemarket refused: no access to calls")))
        // The list's first row (the status line says it too, but fades).
        func firstRow() -> String { screen(s).split(separator: "\n").map(String.init)[3] }
        #expect(firstRow().contains("Could not load calls: Amplemarket refused: no access to calls"), "\(screen(s))")
        #expect(!screen(s).contains("No calls yet"), "\(screen(s))")
        _ = reduce(&s, .callsPageLoaded(Page(items: [], next: nil), replacing: true))
        #expect(firstRow().contains("No calls yet"), "\(screen(s))")
    }

    @Test func theListIsAWindowOverTheWholeHistory() {
        let calls = Self.history(10_000)
        var (s, effects) = Self.ready()
        let loads = Self.windowLoads(effects)
        #expect(loads.count == 1 && loads[0].0 == CallHistoryQuery(userID: "u-1") && loads[0].1 == 0)
        // The server's first page is still asked for: it starts the mirror's sync.
        #expect(effects.contains { if case .io(.load(.calls)) = $0 { true } else { false } })
        press(&s, .char("2"))
        Self.serve(&s, effects, from: calls)
        #expect(s.calls.list.count == 10_000)
        #expect(s.calls.list.items.count < 200, "only rows around the cursor are held")
        #expect(gridText(render(s, size: s.size, options: RenderOptions())).contains("[2 Calls 10000]"))

        // G goes to the real end: the window there is asked for and shown.
        let end = press(&s, .char("G"))
        #expect(s.calls.list.cursor == 9_999)
        #expect(Self.windowLoads(end).first.map { $0.1 > 9_000 } == true)
        Self.serve(&s, end, from: calls)
        #expect(s.calls.list.selected?.id == "h9999")
        #expect(gridText(render(s, size: s.size, options: RenderOptions())).contains("Contact 9999"))
        // Back to the top with g: asked again, since the top rows were let go.
        Self.serve(&s, press(&s, .char("g")), from: calls)
        #expect(s.calls.list.selected?.id == "h0")
        #expect(s.calls.list.items.count < 200)
    }

    @Test func searchAsYouTypeDropsStaleAnswers() {
        let calls = Self.history(2_000)
        var (s, effects) = Self.ready()
        press(&s, .char("2"))
        Self.serve(&s, effects, from: calls)
        press(&s, .char("j"), .char("j"))
        press(&s, .char("/"))
        let first = Self.windowLoads(type(&s, "budg"))
        #expect(first.map(\.0.text) == ["b", "bu", "bud", "budg"])
        let more = Self.windowLoads(type(&s, "et 19"))
        #expect(more.last?.0.text == "budget 19")
        // An answer to an older query arrives late: dropped.
        _ = reduce(&s, .historyWindowLoaded(Self.answer(first[1], from: calls)))
        #expect(s.calls.list.count == 2_000)
        // The current one shows true counts over the whole history, cursor on its first row.
        _ = reduce(&s, .historyWindowLoaded(Self.answer(more.last!, from: calls)))
        // "budget" is in every 10th call's notes; "19" then leaves 190, 1190 and 1900…1990.
        #expect(s.calls.list.count == 12)
        #expect(s.calls.list.cursor == 0 && s.calls.list.selected?.id == "h190")
        let text = gridText(render(s, size: s.size, options: RenderOptions()))
        #expect(text.contains("Calls 12"), "\(text)")
    }

    @Test func aWindowComesFirstAndItsCountAfter() {
        let calls = Self.history(5_000)
        var (s, effects) = Self.ready()
        press(&s, .char("2"))
        let load = Self.windowLoads(effects)[0]
        var first = Self.answer(load, from: calls)
        first.total = nil
        _ = reduce(&s, .historyWindowLoaded(first))
        #expect(s.calls.list.count == first.calls.count && s.calls.list.countLabel(ellipsis: "…") == "\(first.calls.count)+")
        _ = reduce(&s, .historyCounted(load.0, total: 5_000))
        #expect(s.calls.list.count == 5_000 && s.calls.list.countLabel(ellipsis: "…") == "5000")
        // A count of an older query is dropped; an uncounted window of the same answer keeps the count.
        _ = reduce(&s, .historyCounted(CallHistoryQuery(userID: "u-1", text: "old"), total: 3))
        #expect(s.calls.list.count == 5_000)
        _ = reduce(&s, .historyWindowLoaded(first))
        #expect(s.calls.list.countLabel(ellipsis: "…") == "5000")
    }

    @Test func filtersAreQueriesOverTheHistory() {
        let calls = Self.history(700)
        var (s, effects) = Self.ready()
        press(&s, .char("2"))
        Self.serve(&s, effects, from: calls)
        let asked = press(&s, .char("f"), .char("a"))
        #expect(Self.windowLoads(asked).last?.0.answered == true)
        Self.serve(&s, asked, from: calls)
        #expect(s.calls.list.count == 600)
        // The menu does not count loaded rows as if they were all.
        guard case .filterMenu(let m)? = s.modal else { Issue.record("no menu"); return }
        #expect(m.answeredCounts.isEmpty)
    }

    @Test func refreshAndNewCallsKeepTheCursorOnItsCall() {
        var calls = Self.history(500)
        var (s, effects) = Self.ready()
        press(&s, .char("2"))
        Self.serve(&s, effects, from: calls)
        press(&s, .char("j"), .char("j"), .char("j"))
        #expect(s.calls.list.selected?.id == "h3")
        // Two calls arrive at the top (a sync): the window is read again around h3.
        calls.insert(contentsOf: [Call(id: "new-1", userID: "u-1", startDate: fixtureNow.addingTimeInterval(60)),
                                  Call(id: "new-2", userID: "u-1", startDate: fixtureNow.addingTimeInterval(30))], at: 0)
        let again = reduce(&s, .historyProgress(HistoryProgress(userID: "u-1", mirrored: 502), changed: true))
        #expect(Self.windowLoads(again).first?.3 == "h3")
        Self.serve(&s, again, from: calls)
        #expect(s.calls.list.selected?.id == "h3" && s.calls.list.cursor == 5)
        // R: the same.
        let reload = press(&s, .char("R"))
        #expect(Self.windowLoads(reload).first?.3 == "h3")
        Self.serve(&s, reload, from: calls)
        #expect(s.calls.list.selected?.id == "h3")
    }

    @Test func theHeaderSaysHowFarTheHistoryReaches() {
        var (s, _) = Self.ready(size: Size(cols: 120, rows: 30))
        _ = reduce(&s, .historyProgress(HistoryProgress(userID: "u-1", mirrored: 12_400, isComplete: false,
                                                        oldestStart: date("2025-09-03T10:00:00Z"), isSyncing: true),
                                        changed: false))
        #expect(gridText(render(s, size: s.size, options: RenderOptions())).contains("history 12 400 to Sep 3…"), "\(gridText(render(s, size: s.size, options: RenderOptions())))")
        _ = reduce(&s, .historyProgress(HistoryProgress(userID: "u-1", mirrored: 20_000, isComplete: true), changed: false))
        #expect(!gridText(render(s, size: s.size, options: RenderOptions())).contains("history"))
    }
}
