import AmplemarketModels

/// An item a list keeps its cursor on across reloads.
public protocol ListItem: Sendable, Hashable {
    /// Stable identity: the API id, or an outbox entry's local id.
    var listID: String { get }
}

extension Call: ListItem { public var listID: String { id } }
extension TaskRecord: ListItem { public var listID: String { id } }

/// What a list is filtered by besides its `/` text (the Calls tab's answered/disposition/date filters):
/// a predicate and a key that changes whenever the predicate does.
struct ListPredicate<Item> {
    let key: PredicateKey
    let passes: (Item) -> Bool
}

/// What a `ListPredicate` was made from, compared to tell whether the matches must be made again.
struct PredicateKey: Hashable, @unchecked Sendable {
    /// Only values that are `Sendable` themselves are put in (see `init`).
    private let value: AnyHashable
    init<T: Hashable & Sendable>(_ value: T) { self.value = AnyHashable(value) }
}

/// A list the rep moves through, used by every tab: the items loaded so far (page by page, for the API's
/// lists), the cursor and scroll position, the `/` text filter with its matches, and the paging state.
/// Row numbers count rows of the filtered list.
///
/// Work per key does not depend on the number of items, except when the filter changes (one pass over
/// the items, or over the current matches when the typed text only grew).
public struct PagedList<Item: ListItem>: Sendable {
    /// The items loaded, in server order.
    public private(set) var items: [Item] = []
    /// Each item's search text (same order as `items`), folded by `foldForSearch` once, when it arrives.
    private(set) var searchText: [[UInt8]] = []
    /// `_links.next.href` of the last page; nil on the last page.
    public var next: String?
    /// True while a page is being fetched.
    public var isLoading = false
    /// True once a first page arrived.
    public var isLoaded = false
    /// True after `G` while later pages are still to come: pages are fetched one after another and the
    /// cursor follows to the real end. Any other move stops it.
    public var seekingEnd = false
    /// Why the last load failed (already human), until a load succeeds.
    public var error: String?
    /// The selected row.
    public var cursor = 0
    /// The first row drawn.
    public var top = 0
    /// The `/` filter text (empty = no filter).
    public var filter = TextField()
    /// True while the rep types the filter.
    public var isEditingFilter = false
    /// What the typed filter text stands for before it is folded, when a list reads it in its own terms
    /// (the Calls list: a whole phone number typed in any spelling stands for its E.164 form); nil: as typed.
    var filterMeaning: (@Sendable (String) -> String)?
    /// Indices into `items` of the rows that pass the filters; nil when nothing filters the list.
    public private(set) var matches: [Int]?
    /// What `matches` was computed with, so typing more of the same text narrows them.
    private var filteredWith: (needle: String, predicate: PredicateKey?, count: Int) = ("", nil, 0)
    /// Set while the list is a window over a longer answer kept elsewhere (the local mirror of the rep's
    /// calls): `items` are its rows `offset ..< offset + items.count` of `total`, already filtered, and
    /// row numbers count rows of the whole answer.
    public private(set) var window: (offset: Int, total: Int)?
    /// False while a window's `total` is only a lower bound (the rows held, before the answer is counted).
    public private(set) var windowTotalIsExact = true

    public init() {}

    /// Rows shown.
    public var count: Int { window?.total ?? matches?.count ?? items.count }
    /// The index into `items` of row `row`; nil when out of range (or, in a window, not held).
    public func sourceIndex(_ row: Int) -> Int? {
        if let w = window {
            let i = row - w.offset
            return i >= 0 && i < items.count ? i : nil
        }
        if let m = matches { return row >= 0 && row < m.count ? m[row] : nil }
        return row >= 0 && row < items.count ? row : nil
    }
    /// The item of row `row`.
    public func item(atRow row: Int) -> Item? { sourceIndex(row).map { items[$0] } }
    /// The item under the cursor.
    public var selected: Item? { item(atRow: cursor) }
    /// The row showing the item with `id`, if it shows.
    func row(of id: String) -> Int? {
        guard let i = items.firstIndex(where: { $0.listID == id }) else { return nil }
        if let w = window { return w.offset + i }
        if let m = matches { return m.firstIndex(of: i) }
        return i
    }

    /// The tab bar's count: `12` loaded, `12+` more to load, `3/12` filtered; `…` before a first page.
    func countLabel(ellipsis: Character) -> String {
        guard isLoaded else { return String(ellipsis) }
        if let w = window { return "\(w.total)" + (windowTotalIsExact ? "" : "+") }
        return (matches.map { "\($0.count)/" } ?? "") + "\(items.count)" + (next != nil ? "+" : "")
    }

    // MARK: Items arriving

    /// What to do with the cursor when a reload no longer holds the selected item.
    enum LostSelection { case firstRow, sameRow }

    /// Takes a page: a first page replaces the items (keeping the selected item under the cursor when it
    /// is still there), a next page is appended. `searchText` gives an item's text for the `/` filter.
    mutating func receive(_ page: Page<Item>, replacing: Bool, lost: LostSelection, rows: Int,
                          searchText text: (Item) -> String, predicate: ListPredicate<Item>?) {
        isLoading = false
        error = nil
        next = page.next
        if replacing {
            let selectedID = selected?.listID
            items = page.items
            searchText = page.items.map { Array(foldForSearch(text($0)).utf8) }
            isLoaded = true
            refilter(predicate: predicate, rows: rows)
            if let id = selectedID, let row = row(of: id) { cursor = row } else if lost == .firstRow { cursor = 0 }
            seekingEnd = false
        } else {
            let start = items.count
            items.append(contentsOf: page.items)
            searchText += page.items.map { Array(foldForSearch(text($0)).utf8) }
            if matches != nil {
                let needle = needleBytes
                for i in start..<items.count where passes(i, needle, predicate) { matches!.append(i) }
                filteredWith.count = items.count
            }
            if seekingEnd {
                cursor = count - 1
                if next == nil { seekingEnd = false }
            }
        }
        clamp(rows: rows)
    }

    /// Puts `item` first (a call just logged), keeping the cursor on the item it was on, or on the new one
    /// with `select`.
    mutating func prepend(_ item: Item, select: Bool, rows: Int, searchText text: String, predicate: ListPredicate<Item>?) {
        let keepID = select ? item.listID : selected?.listID
        items.insert(item, at: 0)
        searchText.insert(Array(foldForSearch(text).utf8), at: 0)
        if matches != nil { refilter(predicate: predicate, rows: rows) }
        if let id = keepID, let row = row(of: id) { cursor = row }
        clamp(rows: rows)
    }

    /// Removes the items `shouldRemove` picks (a task completed by a log). The cursor stays on the item it
    /// was on; when that item goes, on its row (the item after it).
    mutating func removeAll(where shouldRemove: (Item) -> Bool, rows: Int, predicate: ListPredicate<Item>?) {
        let keep = items.indices.filter { !shouldRemove(items[$0]) }
        guard keep.count != items.count else { return }
        let selectedID = selected?.listID
        items = keep.map { items[$0] }
        searchText = keep.map { searchText[$0] }
        refilter(predicate: predicate, rows: rows)
        if let id = selectedID, let row = row(of: id) { cursor = row; clamp(rows: rows) }
    }

    /// Puts the items in the order `areInIncreasingOrder` gives (stable: equal items keep their order),
    /// keeping the cursor on its item. Returns false when the order was already right (nothing changed).
    @discardableResult
    mutating func sort(by areInIncreasingOrder: (Item, Item) -> Bool, rows: Int, predicate: ListPredicate<Item>?) -> Bool {
        let order = items.indices.sorted { a, b in
            areInIncreasingOrder(items[a], items[b]) || (!areInIncreasingOrder(items[b], items[a]) && a < b)
        }
        guard order != Array(items.indices) else { return false }
        let selectedID = selected?.listID
        items = order.map { items[$0] }
        searchText = order.map { searchText[$0] }
        if matches != nil { refilter(predicate: predicate, rows: rows) }
        if let id = selectedID, let row = row(of: id) { cursor = row }
        clamp(rows: rows)
        return true
    }

    /// Inserts `new` at the front (call backs), each with its search text; the cursor stays on its item.
    mutating func insertAtFront(_ new: [Item], rows: Int, searchText text: (Item) -> String, predicate: ListPredicate<Item>?) {
        guard !new.isEmpty else { return }
        let selectedID = selected?.listID
        items.insert(contentsOf: new, at: 0)
        searchText.insert(contentsOf: new.map { Array(foldForSearch(text($0)).utf8) }, at: 0)
        refilter(predicate: predicate, rows: rows)
        if let id = selectedID, let row = row(of: id) { cursor = row }
        clamp(rows: rows)
    }

    /// Takes a window of a longer answer kept elsewhere: `items` are its rows `offset ..< offset +
    /// items.count` of `total` (see `window`). A nil `total` (not counted yet) keeps the count known
    /// for the same answer (`sameAnswer`), else counts the rows up to the window's end as a lower bound.
    /// The cursor keeps its row number (clamped).
    mutating func receiveWindow(_ new: [Item], offset: Int, total: Int?, sameAnswer: Bool, rows: Int) {
        items = new
        searchText = []
        matches = nil
        next = nil
        let lowerBound = max(0, offset) + new.count
        if let total {
            window = (max(0, offset), max(total, lowerBound))
            windowTotalIsExact = true
        } else if sameAnswer, let known = window, windowTotalIsExact {
            window = (max(0, offset), max(known.total, lowerBound))
        } else {
            window = (max(0, offset), lowerBound)
            windowTotalIsExact = false
        }
        isLoaded = true
        isLoading = false
        error = nil
        seekingEnd = false
        clamp(rows: rows)
    }

    /// The answer of the window was counted: `total` rows.
    mutating func windowCounted(_ total: Int, rows: Int) {
        guard let w = window else { return }
        window = (w.offset, max(total, w.offset + items.count))
        windowTotalIsExact = true
        clamp(rows: rows)
    }

    /// True when the rows `from ..< to` are held (in a window), or the list is not a window.
    func holds(rows from: Int, _ to: Int) -> Bool {
        guard let w = window else { return true }
        let lo = max(0, from), hi = min(w.total, to)
        return lo >= hi || (lo >= w.offset && hi <= w.offset + items.count)
    }

    /// Replaces every item (a list that is not paged, such as the outbox), keeping the cursor's row.
    mutating func replaceAll(_ new: [Item], rows: Int, searchText text: (Item) -> String) {
        items = new
        searchText = new.map { Array(foldForSearch(text($0)).utf8) }
        isLoaded = true
        refilter(predicate: nil, rows: rows)
    }

    /// Folds every item's search text again (its inputs changed, e.g. disposition names arrived).
    mutating func reindex(searchText text: (Item) -> String) {
        searchText = items.map { Array(foldForSearch(text($0)).utf8) }
    }

    // MARK: Filtering

    private func passes(_ i: Int, _ needle: [UInt8], _ predicate: ListPredicate<Item>?) -> Bool {
        (needle.isEmpty || foldedContains(searchText[i], needle)) && (predicate?.passes(items[i]) ?? true)
    }

    /// The `/` text as searched: its meaning (see `filterMeaning`), folded.
    var needle: String { foldForSearch(filterMeaning?(filter.text) ?? filter.text) }
    var needleBytes: [UInt8] { Array(needle.utf8) }

    /// True when item `i` holds the folded `/` text.
    func matchesText(_ i: Int, _ needle: [UInt8]) -> Bool { needle.isEmpty || foldedContains(searchText[i], needle) }

    /// Recomputes the matches of the `/` text and `predicate`. With `typing` (only the text changed), text
    /// that grew from the last only narrows the current matches.
    mutating func refilter(typing: Bool = false, predicate: ListPredicate<Item>?, rows: Int) {
        if window != nil { return }  // the answer is filtered where it is kept
        let needle = self.needle
        let bytes = Array(needle.utf8)
        let narrowing = typing && matches != nil && predicate?.key == filteredWith.predicate
            && !filteredWith.needle.isEmpty && needle.hasPrefix(filteredWith.needle) && filteredWith.count == items.count
        if needle.isEmpty && predicate == nil { matches = nil }
        else if narrowing { matches = matches!.filter { foldedContains(searchText[$0], bytes) } }
        else { matches = items.indices.filter { passes($0, bytes, predicate) } }
        filteredWith = (needle, predicate?.key, items.count)
        clamp(rows: rows)
    }

    // MARK: Cursor

    /// Keeps the cursor on a row and in view (`rows` rows visible).
    mutating func clamp(rows: Int) {
        let n = count
        cursor = max(0, min(cursor, n - 1))
        if cursor < top { top = cursor }
        if cursor >= top + rows { top = cursor - rows + 1 }
        top = max(0, min(top, max(0, n - rows)))
    }

    /// Moves the cursor by `delta` rows, scrolling by `scroll` rows as well (a page); then clamps.
    mutating func move(by delta: Int, scroll: Int = 0, rows: Int) {
        cursor += delta
        top = max(0, top + scroll)
        clamp(rows: rows)
    }

    /// Puts the cursor on `row` (clamped).
    mutating func moveTo(row: Int, rows: Int) {
        cursor = row
        clamp(rows: rows)
    }

    /// The next page to fetch — when the cursor is within `distance` rows of the loaded end, a next page
    /// exists and nothing is loading — marked as loading. Later pages are fetched ahead of the cursor,
    /// never all at once.
    /// `rows` is how many rows the window shows: a list shorter than its window plus `distance` fetches
    /// on until the window is full, whatever its height.
    mutating func pageToPrefetch(distance: Int, rows: Int = 0) -> String? {
        guard let next, !isLoading, isLoaded,
              seekingEnd || cursor >= count - 1 - distance || count < top + rows + distance else { return nil }
        isLoading = true
        return next
    }
}
