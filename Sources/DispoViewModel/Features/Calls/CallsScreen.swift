import Foundation
import AmplemarketModels

/// The Calls tab's keys: moving, the `/` search, the filter menu, the detail (opened over the list when
/// narrow, scrolled with J/K beside it), logging again, the recording, copying.
enum CallsScreen: ListTabScreen {
    static let tab = Tab.calls
    static var feature: WritableKeyPath<AppState, CallsState> { \.calls }

    static func bindings(_ state: AppState, _ context: FeatureContext) -> BindingTable<AppState> {
        let calls = state.calls
        let labels = context.labels
        let stacked = calls.detail.isOpen && !context.frame.isSideBySide && calls.list.selected != nil
        // The list's hints, or the detail's while it is open over the list.
        func hint(list: (String, Int)?, detail: (String, Int)?) -> (String?, Int) {
            let h = stacked ? detail : list
            return (h?.0, h?.1 ?? 0)
        }
        var own: [Binding<CallsState>] = []
        if stacked { own.append(scrollStacked().hinted("scroll", rank: 1, keys: labels.primary(.down, .up) + " PgDn/PgUp")) }
        own += ListKeys.navigation()
        let (searchWords, searchRank) = hint(list: ("search", 3), detail: nil)
        own.append(ListKeys.filter().hinted(searchWords, rank: searchRank))
        var actions: [Binding<CallsState>] = []
        var (words, rank) = hint(list: ("filter", 4), detail: nil)
        actions.append(Binding([.filterMenu], hint: words, rank: rank, help: "filters: answered, VM, disposition, date") { calls, c, _ in
            .request(.present(.filterMenu(FilterMenuState.counts(calls, c)))) + .effects(FilterMenuState.facetsLoad(calls, c))
        })
        (words, rank) = hint(list: ("detail", 0), detail: nil)
        actions.append(Binding([.open], hint: words, rank: rank,
                               help: "open detail (Esc back, \(labels.primary(.down, .up))/PgDn scroll)") { calls, c, _ in
            if calls.list.selected != nil { calls.detail.isOpen = true }
            return .effects(calls.prefetch(c))
        })
        let besideKeys = detailScrollKeys(context.keymap)
        actions.append(Binding(keys: besideKeys, help: besideKeys.isEmpty ? nil : "scroll the detail beside the list",
                               helpKeys: besideKeys.map(labels.key).joined(separator: " / ")) { calls, c, key in
            guard calls.list.selected != nil, stacked || c.frame.isSideBySide else { return .none }
            calls.scrollDetail(by: key == .char("J") ? 1 : -1, c)
            return .none
        })
        (words, rank) = hint(list: ("log", 1), detail: ("log again", 2))
        actions.append(Binding([.log], hint: words, rank: rank, help: "log another call for its task") { calls, _, _ in
            calls.list.selected.map { .request(.logAgain($0)) } ?? .none
        })
        (words, rank) = hint(list: ("recording", 2), detail: ("recording", 3))
        actions.append(Binding([.recording], hint: words, rank: rank, help: "download recording (external: show URL)") { calls, c, _ in
            calls.list.selected.map { Recording.fetch($0, c) } ?? .none
        })
        (words, rank) = hint(list: nil, detail: ("number", 4))
        actions.append(Binding([.copyNumber], hint: words, rank: rank, help: "copy number / call id or URL",
                               helpKeys: labels.all(.copyNumber, .copyID)) { calls, _, _ in
            guard let c = calls.list.selected else { return .none }
            if let to = c.to, !to.isEmpty { return .request(.copy(to)) }
            return .status("This call has no number.")
        })
        (words, rank) = hint(list: nil, detail: ("id", 5))
        actions.append(Binding([.copyID], hint: words, rank: rank) { calls, _, _ in
            guard let c = calls.list.selected else { return .none }
            if c.external == true, let url = c.recordingURL, !url.isEmpty { return .request(.copy(url)) }
            return .request(.copy(c.id))
        })
        let tail = CommonBindings.tail(refresh: stacked ? nil : 5, help: 6, quit: stacked ? nil : 7)
            .map { $0.keys == [.escape] && stacked ? $0.hinted("back", rank: 0) : $0 }
        return BindingTable(own).scoped(feature) + BindingTable([CommonBindings.switchTab()])
            + BindingTable(actions).scoped(feature) + BindingTable(tail)
    }

    /// `J` / `K` scroll the detail by a line, each unless `[keys]` gives it to an action.
    static func detailScrollKeys(_ keymap: Keymap) -> [Key] {
        [Key.char("J"), .char("K")].filter { keymap.listAction($0) == nil }
    }

    /// The mouse: the wheel scrolls the detail when it is open over the list or under the pointer beside
    /// it; otherwise the list answers.
    static func mouse(_ event: MouseEvent, _ state: inout AppState, _ context: FeatureContext) -> Reply {
        let frame = context.frame
        let overDetail = state.calls.detail.isOpen && !frame.isSideBySide
            || frame.isSideBySide && frame.detail.contains(col: event.col, row: event.row)
        guard overDetail, state.calls.list.selected != nil else { return ListKeys.mouse(&state.calls, event, context) }
        switch event.kind {
        case .wheelDown: state.calls.scrollDetail(by: 3, context)
        case .wheelUp: state.calls.scrollDetail(by: -3, context)
        case .press: break
        }
        return .none
    }

    /// With the detail open over the list, the moving keys (and Space) scroll it instead.
    static func scrollStacked() -> Binding<CallsState> {
        Binding([.down, .up, .pageDown, .pageUp, .halfPageDown, .halfPageUp], keys: [.char(" ")]) { calls, c, key in
            let page = max(1, c.frame.detailRows - 1)
            let delta: Int
            switch c.keymap.listAction(key) {
            case .down?: delta = 1
            case .up?: delta = -1
            case .pageDown?: delta = page
            case .pageUp?: delta = -page
            case .halfPageDown?: delta = max(1, page / 2)
            case .halfPageUp?: delta = -max(1, page / 2)
            default: delta = page  // Space
            }
            calls.scrollDetail(by: delta, c)
            return .none
        }
    }

    static func back(_ state: inout AppState, _ context: FeatureContext) -> Reply? {
        if state.calls.detail.isOpen { state.calls.detail.isOpen = false; return Reply.none }
        if ListKeys.clearFilter(&state.calls, context) { return Reply.none }
        guard state.calls.filter.filter.isActive else { return nil }
        state.calls.filter.filter = CallFilter()
        state.calls.applyFilterChange(context)
        return .status("Filters cleared.")
    }

    /// The active filters in words (never by colour alone).
    static func tabBarNote(_ state: AppState, _ context: FeatureContext, dot: String) -> String? {
        guard state.calls.filter.filter.isActive else { return nil }
        return "Filter: " + state.calls.filter.summary(context.session.dispositions).joined(separator: " \(dot) ")
            + "  (Esc clears)"
    }

    static func draw(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
        CallsView.draw(state.calls, context, &canvas)
    }
}

extension CallsState {
    /// Scrolls the detail of the selected call by `delta` lines, within what it holds.
    mutating func scrollDetail(by delta: Int, _ context: FeatureContext) {
        guard let call = list.selected else { return }
        let detailLines = CallDetail(call: call, localNotes: journalNotes[call.id], context: context,
                                     glyphs: context.environment.unicode ? .unicode : .ascii)
        detail.scroll = max(0, min(detail.scroll + delta, detailLines.maxScroll(from: detail.scroll, frame: context.frame)))
    }
}

/// Recordings: Amplemarket's own calls are downloaded; external calls only carry a URL, which is shown.
enum Recording {
    /// What `r` does for `call`: a download into the download directory, or a message saying why not.
    static func fetch(_ call: Call, _ context: FeatureContext) -> Reply {
        let c = call
        if c.external == true {
            if let url = c.recordingURL, !url.isEmpty {
                return .status("External call: recording at \(url) (\(context.labels.primary(.copyID)) copies it)")
            }
            return .status("External call without a recording URL: there is nothing to download.")
        }
        guard c.external == false, let url = c.recordingURL, !url.isEmpty else { return .status("This call has no recording.") }
        let safeID = String(c.id.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" }
            .map(Character.init))
        var dir = context.environment.downloadDirectory
        if dir.isEmpty { dir = "." }
        let path = (dir.hasSuffix("/") ? dir : dir + "/") + "call-\(safeID.isEmpty ? "recording" : safeID).mp3"
        return .status("Downloading the recording to \(path)…") + .effects([.io(.downloadRecording(callID: c.id, path: path))])
    }
}
