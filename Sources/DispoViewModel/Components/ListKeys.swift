/// A feature whose screen is a `PagedList`: it gives the list, what filters it besides its `/` text, and
/// how it fetches ahead of the cursor. `ListKeys` serves every such feature with the same keys.
protocol ListFeature {
    associatedtype Item: ListItem
    var list: PagedList<Item> { get set }
    /// Recomputes the list's matches after its `/` text (with `typing`, only the text) or what else filters
    /// it changed.
    mutating func refilter(_ context: FeatureContext, typing: Bool)
    /// After the cursor or the rows changed: the next page ahead of the cursor, if one is due.
    mutating func prefetch(_ context: FeatureContext) -> [Effect]
    /// The rows the list's items are drawn in now (nil while something covers them).
    func itemRows(_ context: FeatureContext) -> Rect?
    /// Asks for the rep's first page again (nothing for a list that updates by itself).
    mutating func reload(userID: String, _ context: FeatureContext) -> [Effect]
    /// How many items the window shows at most without scrolling (the list's rows, less any headings).
    func visibleRows(_ context: FeatureContext) -> Int
    /// The list row drawn on screen row `screenRow` of `rows` (nil on a heading or past the end).
    func listRow(atScreenRow screenRow: Int, in rows: Rect, _ context: FeatureContext) -> Int?
}

extension ListFeature {
    /// Applies a change to the list and fetches ahead of the cursor.
    mutating func moving(_ context: FeatureContext, _ change: (inout PagedList<Item>, Int) -> Void) -> Reply {
        list.seekingEnd = false
        change(&list, visibleRows(context))
        return .effects(prefetch(context))
    }

    /// How many items the window shows at most without scrolling (the list's rows, less any headings).
    func visibleRows(_ context: FeatureContext) -> Int { context.frame.listRows.height }

    /// The list row drawn on screen row `screenRow` of `rows` (nil on a heading or past the end).
    func listRow(atScreenRow screenRow: Int, in rows: Rect, _ context: FeatureContext) -> Int? {
        list.top + (screenRow - rows.row)
    }

    /// A list filtered by its `/` text only.
    mutating func refilter(_ context: FeatureContext, typing: Bool) {
        list.refilter(typing: typing, predicate: nil, rows: context.frame.listRows.height)
    }
    mutating func refilter(_ context: FeatureContext) { refilter(context, typing: false) }
}

/// The keys every list answers the same way: moving, the `/` filter being typed, the mouse.
enum ListKeys {
    /// Moving rows, in help order: down/up (hinted as "move" at `moveRank`), first/last, page, half page.
    static func navigation<F: ListFeature>(moveRank: Int? = nil) -> [Binding<F>] {
        [Binding([.down, .up], help: "move down / up") { f, c, key in
             let delta = c.keymap.listAction(key) == .down ? 1 : -1
             return f.moving(c) { list, rows in list.move(by: delta, rows: rows) }
         }.hinted(moveRank.map { _ in "move" }, rank: moveRank ?? 0),
         Binding([.top, .bottom], help: "first / last (loading every page)") { f, c, key in
             let last = c.keymap.listAction(key) == .bottom
             var reply = f.moving(c) { list, rows in list.moveTo(row: last ? Int.max / 2 : 0, rows: rows) }
             if last, f.list.next != nil {
                 // The real end: later pages load one after another and the cursor follows them.
                 f.list.seekingEnd = true
                 reply += .effects(f.prefetch(c))
             }
             return reply
         },
         Binding([.pageDown, .pageUp], help: "page down / up") { f, c, key in
             let down = c.keymap.listAction(key) == .pageDown
             return f.moving(c) { list, rows in list.move(by: down ? rows : -rows, scroll: down ? rows : -rows, rows: rows) }
         },
         Binding([.halfPageDown, .halfPageUp], help: "half page down / up") { f, c, key in
             let down = c.keymap.listAction(key) == .halfPageDown
             return f.moving(c) { list, rows in
                 let half = max(1, rows / 2)
                 list.move(by: down ? half : -half, scroll: down ? half : -half, rows: rows)
             }
         }]
    }

    /// `/`: the rep starts typing the list's filter.
    static func filter<F: ListFeature>() -> Binding<F> {
        Binding([.filter], help: "search text (Esc clears)") { f, c, _ in
            f.moving(c) { list, _ in list.isEditingFilter = true }
        }
    }

    /// A key while the filter is being typed: Enter keeps it, Esc clears it, ↓/↑ move, the rest edits the
    /// text (the list narrows as it grows).
    static func editFilter<F: ListFeature>(_ f: inout F, _ key: Key, _ context: FeatureContext) -> Reply {
        let rows = f.visibleRows(context)
        switch key {
        case .enter:
            f.list.isEditingFilter = false
            if f.list.filter.isEmpty { f.refilter(context) }
        case .escape:
            f.list.isEditingFilter = false
            f.list.filter = TextField()
            f.refilter(context)
        case .down, .ctrl("n"): f.list.move(by: 1, rows: rows)
        case .up, .ctrl("p"): f.list.move(by: -1, rows: rows)
        case .ctrl("c"): return .request(.quit)
        default:
            if f.list.filter.handle(key) == .edited {
                f.list.cursor = 0
                f.list.top = 0
                f.refilter(context, typing: true)
            }
        }
        return .effects(f.prefetch(context))
    }

    /// Esc on a list with `/` text: the text goes. False when there was none.
    static func clearFilter<F: ListFeature>(_ f: inout F, _ context: FeatureContext) -> Bool {
        guard !f.list.filter.isEmpty else { return false }
        f.list.filter = TextField()
        f.refilter(context)
        return true
    }

    /// The mouse over a list: the wheel moves the cursor 3 rows, a press on a row selects it.
    static func mouse<F: ListFeature>(_ f: inout F, _ event: MouseEvent, _ context: FeatureContext) -> Reply {
        switch event.kind {
        case .wheelDown: return f.moving(context) { list, n in list.move(by: 3, rows: n) }
        case .wheelUp: return f.moving(context) { list, n in list.move(by: -3, rows: n) }
        case .press:
            guard let rows = f.itemRows(context), rows.contains(col: event.col, row: event.row) else { return .none }
            guard let row = f.listRow(atScreenRow: event.row, in: rows, context) else { return .none }
            return f.moving(context) { list, n in list.moveTo(row: row, rows: n) }
        }
    }
}
