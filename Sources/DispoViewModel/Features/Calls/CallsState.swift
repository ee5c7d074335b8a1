import Foundation
import AmplemarketModels

/// The Calls tab: the rep's calls page by page (newest first), their filters, the call detail, and the
/// notes the local journal kept for calls whose notes the server did not store.
public struct CallsState: Sendable, ListFeature {
    /// Page size asked of `GET /calls`.
    static let pageSize = 50
    /// A next page is fetched when the cursor comes within this many rows of the loaded end.
    static let prefetchDistance = 10

    public var list = PagedList<Call>()
    /// Answered, person/voicemail, disposition and date filters.
    public var filter = CallFilterState()
    /// Whether the detail is open over the list (narrow terminals) and how far it is scrolled.
    public var detail = CallDetailState()
    /// Notes kept only in the local journal (the server did not store them), by call id.
    public var journalNotes: [String: String] = [:]
    /// With the local mirror: what the window over it holds and has asked for.
    var history = CallsHistoryWindow()
    /// Why the server's calls could not be loaded, until a page arrives or the rep reloads. Kept apart
    /// from the list's own error: with the mirror the list shows the local calls, and an empty mirror
    /// after a refusal must not read as "no calls yet".
    var serverFailure: String?

    public init() {}

    /// The query of the Calls tab: the rep's calls (per Amplemarket API: GET /calls?user_id=…).
    static func query(userID: String) -> CallListQuery { CallListQuery(pageSize: pageSize, userID: userID) }

    /// The text the `/` filter searches: contact name and e-mail, numbers as stored and in E.164 (read in
    /// `region`), each number's digit forms (`numberDigitForms`), notes, disposition name.
    static func searchText(_ c: Call, _ dispositions: Dispositions, region: String?) -> String {
        let numbers = [c.to, c.from].compactMap { $0 }
        let texts = [c.contact?.name, c.contact?.email] + numbers.map { Optional($0) }
            + numbers.map { numberKey($0, defaultRegion: region) }
            + numbers.flatMap { numberDigitForms($0, defaultRegion: region) }.map { Optional($0) }
            + [c.notes, dispositions.name(id: c.dispositionID, fallback: c.dispositionName)]
        return texts.compactMap { $0 }.joined(separator: "\n")
    }

    /// The region the calls' national spellings are read in: the rep's (config, or their From number),
    /// else that of the first From number of `calls`.
    static func region(_ context: FeatureContext, _ calls: [Call]) -> String? {
        context.defaultRegion ?? calls.lazy.compactMap { $0.from.flatMap(numberRegion) }.first
    }

    mutating func refilter(_ context: FeatureContext, typing: Bool) {
        // A number typed in `/`, in any spelling or a part of it, is searched by its digits, which the
        // search text holds in each of the number's digit forms (the mirror's index the same way).
        let region = Self.region(context, list.items)
        list.filterMeaning = { text in callSearchText(text, defaultRegion: region) }
        filter.since = filter.filter.since(now: context.now, zone: context.zone)
        list.refilter(typing: typing, predicate: filter.predicate, rows: context.frame.listRows.height)
    }

    mutating func prefetch(_ context: FeatureContext) -> [Effect] {
        if readsHistory(context) { return historyWindowToAsk(context) }
        // Calls come newest first: once a loaded call is older than the date filter, no later page can
        // hold a match.
        if let since = filter.since, let last = list.items.last?.startDate, last < since { return [] }
        return list.pageToPrefetch(distance: Self.prefetchDistance, rows: context.frame.listRows.height).map { [.io(.load(.callsPage(href: $0)))] } ?? []
    }

    func itemRows(_ context: FeatureContext) -> Rect? {
        let frame = context.frame
        if detail.isOpen && !frame.isSideBySide { return nil }  // the detail covers the list
        return frame.itemRows(of: frame.listBesideDetail)
    }

    /// Asks for the first page again.
    /// With the local mirror the first page still comes from the server (it starts the mirror's sync of
    /// the newest calls) and the rows around the cursor are read again from the mirror, the cursor staying
    /// on its call.
    mutating func reload(userID: String, _ context: FeatureContext) -> [Effect] {
        if list.window == nil { list.isLoading = true }
        list.error = nil
        serverFailure = nil
        let server: [Effect] = [.io(.load(.calls(Self.query(userID: userID))))]
        guard readsHistory(context) else { return server }
        history.asked = nil
        return server + historyWindowToAsk(context, anchorID: list.selected?.id ?? "")
    }

    /// A page arrived. On a reload the cursor stays on its call, or goes to the first row when that call
    /// is gone.
    mutating func receive(_ page: Page<Call>, replacing: Bool, _ context: FeatureContext) {
        // Reading the mirror, the server's pages only stand in until its first window arrives.
        serverFailure = nil
        if list.window != nil { list.isLoading = false; list.error = nil; return }
        if replacing { filter.since = filter.filter.since(now: context.now, zone: context.zone) }
        let dispositions = context.session.dispositions
        // The page's own From numbers first: no copy of the whole list per page.
        let region = Self.region(context, page.items) ?? Self.region(context, list.items)
        list.receive(page, replacing: replacing, lost: .firstRow, rows: context.frame.listRows.height,
                     searchText: { Self.searchText($0, dispositions, region: region) }, predicate: filter.predicate)
    }

    /// A load failed (already said on the status line).
    mutating func failed(_ message: String?) {
        list.isLoading = false
        serverFailure = message
        if let message, list.window == nil { list.error = message }
    }

    /// A call was just logged: it heads the list (once). With `select` the cursor moves onto it (logged
    /// from another tab); else the cursor stays on the call it was on.
    mutating func logged(_ call: Call, select: Bool, _ context: FeatureContext) {
        if list.window != nil {
            // The mirror gets the call before the log is reported; its window is read again then.
            history.anchorID = select ? call.id : list.selected?.id
            return
        }
        guard !list.items.contains(where: { $0.id == call.id }) else { return }
        list.prepend(call, select: select, rows: context.frame.listRows.height,
                     searchText: Self.searchText(call, context.session.dispositions, region: Self.region(context, [call])),
                     predicate: filter.predicate)
    }

    /// Disposition names are part of each call's search text: fold it again once they arrive.
    mutating func dispositionsArrived(_ context: FeatureContext) {
        if list.window != nil { return }
        let dispositions = context.session.dispositions
        let region = Self.region(context, list.items)
        list.reindex { Self.searchText($0, dispositions, region: region) }
        if list.matches != nil { refilter(context) }
    }

    /// Refilters after the filters changed, keeping the selected call under the cursor when it still shows
    /// (else the first row).
    mutating func applyFilterChange(_ context: FeatureContext) {
        let selectedID = list.selected?.id
        refilter(context)
        if list.window != nil {
            // The mirror answers the new query; the cursor stays on its call when it still shows.
            history.anchorID = selectedID
            return
        }
        if let id = selectedID, let row = list.row(of: id) {
            list.cursor = row
        } else {
            list.cursor = 0
            list.top = 0
        }
        list.clamp(rows: context.frame.listRows.height)
    }
}

/// The call detail's place: open over the list (narrow terminals), and the first line drawn.
public struct CallDetailState: Sendable, Hashable {
    /// Narrow terminals: the detail is open over the list.
    public var isOpen = false
    /// The first line of the detail drawn; back to 0 when another call is selected.
    public var scroll = 0
}
