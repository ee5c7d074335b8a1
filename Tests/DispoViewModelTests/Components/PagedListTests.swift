import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The list every tab shows: items page by page, the cursor kept on its item by id across reloads, the `/`
/// filter's matches kept right as pages arrive, one next page asked for at a time.
@Suite("Paged list") struct PagedListTests {
    init() { useUTF8Locale() }

    struct Item: ListItem {
        let listID: String
        var text: String
        var even: Bool
    }

    static let rows = 5

    static func items(_ ids: [Int]) -> [Item] {
        ids.map { Item(listID: "i\($0)", text: "Item \($0) " + ($0 % 3 == 0 ? "fizz" : "buzz"), even: $0 % 2 == 0) }
    }

    /// A list that received `ids` as a first page.
    static func list(_ ids: [Int], next: String? = nil, filter: String = "",
                     predicate: ListPredicate<Item>? = nil) -> PagedList<Item> {
        var list = PagedList<Item>()
        list.filter = TextField(filter)
        list.receive(Page(items: items(ids), next: next), replacing: true, lost: .firstRow, rows: rows,
                     searchText: \.text, predicate: predicate)
        return list
    }

    static var evenOnly: ListPredicate<Item> { ListPredicate(key: PredicateKey("even"), passes: \.even) }

    private func ids(_ list: PagedList<Item>) -> [String] {
        (0..<list.count).compactMap { list.item(atRow: $0)?.listID }
    }

    @Test(arguments: [PagedList<Item>.LostSelection.firstRow, .sameRow])
    func aReloadKeepsTheCursorOnItsItem(_ lost: PagedList<Item>.LostSelection) {
        var list = Self.list(Array(0..<10))
        list.moveTo(row: 3, rows: Self.rows)
        #expect(list.selected?.listID == "i3")
        // Two new items arrive first: the same item is two rows further down.
        list.receive(Page(items: Self.items([100, 101] + Array(0..<10)), next: nil), replacing: true, lost: lost,
                     rows: Self.rows, searchText: \.text, predicate: nil)
        #expect(list.selected?.listID == "i3" && list.cursor == 5)
        #expect(list.cursor >= list.top && list.cursor < list.top + Self.rows, "and on screen")
    }

    @Test func aReloadWithoutTheItemGoesToTheFirstRowOrStaysOnTheRow() {
        var first = Self.list(Array(0..<10))
        first.moveTo(row: 4, rows: Self.rows)
        var same = first
        let without = Page(items: Self.items([0, 1, 2, 3, 5, 6, 7, 8, 9]), next: nil)
        first.receive(without, replacing: true, lost: .firstRow, rows: Self.rows, searchText: \.text, predicate: nil)
        #expect(first.cursor == 0 && first.selected?.listID == "i0")
        same.receive(without, replacing: true, lost: .sameRow, rows: Self.rows, searchText: \.text, predicate: nil)
        #expect(same.cursor == 4 && same.selected?.listID == "i5", "the next one moved up into its row")
        // Gone from the end: the same row is past the end, so the cursor is on the last row.
        var last = Self.list(Array(0..<10))
        last.moveTo(row: 9, rows: Self.rows)
        last.receive(Page(items: Self.items(Array(0..<6)), next: nil), replacing: true, lost: .sameRow, rows: Self.rows,
                     searchText: \.text, predicate: nil)
        #expect(last.cursor == 5 && last.selected?.listID == "i5")
    }

    @Test(arguments: ["", "fizz", "item 1", "ITEM 2"], [false, true])
    func appendingWhileFilteredMatchesFilteringFromScratch(_ text: String, _ evenOnly: Bool) {
        let predicate = evenOnly ? Self.evenOnly : nil
        var paged = Self.list(Array(0..<20), next: "/p2", filter: text, predicate: predicate)
        paged.receive(Page(items: Self.items(Array(20..<45)), next: "/p3"), replacing: false, lost: .firstRow,
                      rows: Self.rows, searchText: \.text, predicate: predicate)
        paged.receive(Page(items: Self.items(Array(45..<50)), next: nil), replacing: false, lost: .firstRow,
                      rows: Self.rows, searchText: \.text, predicate: predicate)
        let whole = Self.list(Array(0..<50), filter: text, predicate: predicate)
        #expect(paged.matches == whole.matches)
        #expect(ids(paged) == ids(whole))
        // Computed here without the list: the items whose text holds the folded filter and that pass.
        let expected = Self.items(Array(0..<50)).filter {
            (text.isEmpty || foldForSearch($0.text).contains(foldForSearch(text))) && (!evenOnly || $0.even)
        }.map(\.listID)
        #expect(ids(paged) == expected)
        // Typing more of the text narrows the matches to the same as a new filter would.
        paged.filter = TextField(text + "3")
        paged.refilter(typing: true, predicate: predicate, rows: Self.rows)
        #expect(paged.matches == Self.list(Array(0..<50), filter: text + "3", predicate: predicate).matches)
    }

    @Test func aNextPageIsAskedForOnceUntilItArrives() {
        var list = Self.list(Array(0..<20), next: "/p2")
        #expect(list.pageToPrefetch(distance: 3) == nil, "the cursor is far from the end")
        list.moveTo(row: 16, rows: Self.rows)
        #expect(list.pageToPrefetch(distance: 3) == "/p2")
        #expect(list.isLoading)
        #expect(list.pageToPrefetch(distance: 3) == nil, "already loading")
        list.moveTo(row: 19, rows: Self.rows)
        #expect(list.pageToPrefetch(distance: 3) == nil, "still loading")
        list.receive(Page(items: Self.items(Array(20..<22)), next: "/p3"), replacing: false, lost: .firstRow,
                     rows: Self.rows, searchText: \.text, predicate: nil)
        #expect(!list.isLoading && list.cursor == 19)
        #expect(list.pageToPrefetch(distance: 3) == "/p3", "the page arrived: the next one may be asked for")
        list.receive(Page(items: Self.items([22]), next: nil), replacing: false, lost: .firstRow, rows: Self.rows,
                     searchText: \.text, predicate: nil)
        list.moveTo(row: 22, rows: Self.rows)
        #expect(list.pageToPrefetch(distance: 3) == nil, "no next page")
    }

    @Test func nothingIsPrefetchedBeforeAFirstPage() {
        var list = PagedList<Item>()
        list.next = "/p2"
        #expect(list.pageToPrefetch(distance: 10) == nil)
    }

    @Test func prependKeepsTheCursorOnItsItemOrMovesToTheNewOne() {
        var keep = Self.list(Array(0..<10))
        keep.moveTo(row: 2, rows: Self.rows)
        var select = keep
        keep.prepend(Self.items([100])[0], select: false, rows: Self.rows, searchText: "Item 100", predicate: nil)
        #expect(keep.items.first?.listID == "i100")
        #expect(keep.selected?.listID == "i2" && keep.cursor == 3)
        select.prepend(Self.items([100])[0], select: true, rows: Self.rows, searchText: "Item 100", predicate: nil)
        #expect(select.selected?.listID == "i100" && select.cursor == 0 && select.top == 0)
    }

    @Test func prependWhileFilteredRefiltersAndKeepsTheCursor() {
        var list = Self.list(Array(0..<10), filter: "fizz")  // i0, i3, i6, i9
        list.moveTo(row: 1, rows: Self.rows)
        #expect(list.selected?.listID == "i3")
        list.prepend(Item(listID: "new", text: "new fizz", even: true), select: false, rows: Self.rows,
                     searchText: "new fizz", predicate: nil)
        #expect(ids(list) == ["new", "i0", "i3", "i6", "i9"])
        #expect(list.selected?.listID == "i3")
        list.prepend(Item(listID: "other", text: "other", even: true), select: false, rows: Self.rows,
                     searchText: "other", predicate: nil)
        #expect(ids(list) == ["new", "i0", "i3", "i6", "i9"], "a new item that does not match stays hidden")
        #expect(list.selected?.listID == "i3")
    }
}
