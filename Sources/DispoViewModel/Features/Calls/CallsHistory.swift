import Foundation
import AmplemarketModels

/// The Calls list as a window over the local mirror of the rep's calls (config `history`): only the rows
/// around the cursor are held; the `/` text and the filters are a query the store answers over the whole
/// history, with true counts. Rows are asked for as the cursor moves; a window that answers an older
/// query is dropped.
struct CallsHistoryWindow: Sendable, Hashable {
    /// Rows held beyond the visible ones, on each side.
    static let margin = 60
    /// The query of the rows held (nil before a first window arrived).
    var heldQuery: CallHistoryQuery?
    /// The last window asked for, while it has not arrived: its query and first row.
    var asked: (query: CallHistoryQuery, offset: Int)?
    /// The call to put the cursor on when the next window for the current query arrives (a reload keeps
    /// the cursor on its call).
    var anchorID: String?

    static func == (a: Self, b: Self) -> Bool {
        a.heldQuery == b.heldQuery && a.asked?.query == b.asked?.query && a.asked?.offset == b.asked?.offset
            && a.anchorID == b.anchorID
    }
    func hash(into h: inout Hasher) { h.combine(heldQuery); h.combine(asked?.offset); h.combine(anchorID) }
}

extension CallsState {
    /// True when the Calls list reads the local mirror (config `history`, and the rep is known).
    func readsHistory(_ context: FeatureContext) -> Bool {
        context.environment.keepsHistory && context.session.user != nil
    }

    /// The mirror query the `/` text and the filters stand for now.
    func historyQuery(_ context: FeatureContext) -> CallHistoryQuery? {
        guard let user = context.session.user else { return nil }
        let typed = list.filter.text
        let text = list.filterMeaning.map { $0(typed) } ?? typed
        let f = filter.filter
        var q = CallHistoryQuery(userID: user.id, text: text)
        switch f.answered {
        case .any: break
        case .answered: q.answered = true
        case .unanswered: q.answered = false
        }
        switch f.party {
        case .any: break
        case .human: q.human = true
        case .voicemail: q.human = false
        }
        switch f.disposition {
        case .any: break
        case .none: q.disposition = .none
        case .id(let id): q.disposition = .id(id)
        }
        q.since = f.since(now: context.now, zone: context.zone)
        return q
    }

    /// The window to ask for now, if any: the current query's rows around the visible ones, unless they
    /// are held or already asked for. Marks it asked.
    mutating func historyWindowToAsk(_ context: FeatureContext, anchorID: String? = nil) -> [Effect] {
        guard readsHistory(context), let query = historyQuery(context) else { return [] }
        let rows = visibleRows(context)
        let margin = CallsHistoryWindow.margin
        let limit = rows + 2 * margin
        if let anchorID {
            history.anchorID = anchorID
            history.asked = (query, 0)
            return [.io(.load(.historyWindow(query, offset: 0, limit: limit, anchorID: anchorID)))]
        }
        let sameQuery = history.heldQuery == query
        let top = sameQuery ? list.top : 0
        // Held with room to spare on both sides (or up to an end of the answer): nothing to ask.
        if sameQuery, list.holds(rows: top - margin / 2, top + rows + margin / 2) { return [] }
        let offset = max(0, top - margin)
        if let asked = history.asked, asked.query == query, abs(asked.offset - offset) < margin / 2 { return [] }
        history.asked = (query, offset)
        return [.io(.load(.historyWindow(query, offset: offset, limit: limit,
                                         anchorID: sameQuery ? nil : history.anchorID)))]
    }

    /// A window of the mirror arrived. A window of an older query is dropped (a newer one is on its way).
    /// A new query's first window puts the cursor on its first row, or on the anchor call when one was
    /// asked for and found.
    mutating func receiveHistory(_ window: HistoryWindow, _ context: FeatureContext) {
        guard readsHistory(context), window.query == historyQuery(context) else { return }
        let newQuery = history.heldQuery != window.query
        if history.asked?.query == window.query { history.asked = nil }
        let rows = visibleRows(context)
        let screenRow = list.cursor - list.top
        list.receiveWindow(window.calls, offset: window.offset, total: window.total, sameAnswer: !newQuery, rows: rows)
        if let anchorRow = window.anchorRow, history.anchorID != nil {
            list.cursor = anchorRow
            list.top = max(0, anchorRow - max(0, min(screenRow, rows - 1)))
            list.clamp(rows: rows)
        } else if newQuery && history.heldQuery != nil {
            list.cursor = 0
            list.top = 0
            list.clamp(rows: rows)
        }
        history.anchorID = nil
        history.heldQuery = window.query
    }

    /// The answer of the rows held was counted.
    mutating func receiveCount(_ query: CallHistoryQuery, total: Int, _ context: FeatureContext) {
        guard readsHistory(context), query == history.heldQuery else { return }
        list.windowCounted(total, rows: visibleRows(context))
    }

    /// The mirror holds new or changed calls: the rows around the cursor are read again, the cursor
    /// staying on its call.
    mutating func historyChanged(_ context: FeatureContext) -> [Effect] {
        guard readsHistory(context) else { return [] }
        history.asked = nil
        return historyWindowToAsk(context, anchorID: history.anchorID ?? list.selected?.id ?? "")
    }
}
