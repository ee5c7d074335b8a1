/// The rows every tab screen shares, handled by the root: switching tabs, refresh, Esc, redraw, help
/// and quit. Each screen places them in its table and gives the hints it shows.
enum CommonBindings {
    /// Tab / S-Tab and each tab's own key.
    static func switchTab() -> Binding<AppState> {
        Binding([.nextTab, .previousTab] + Tab.allCases.map(\.keyAction), help: "switch tab") { s, c, key in
            let action = c.keymap.listAction(key)
            switch action {
            case .nextTab?: s.switchTab(to: s.tab.moved(by: 1))
            case .previousTab?: s.switchTab(to: s.tab.moved(by: -1))
            default: if let tab = Tab.allCases.first(where: { $0.keyAction == action }) { s.switchTab(to: tab) }
            }
            return .effects(s.tab.screen.prefetch(&s, c))
        }
    }

    /// The hint's keys for switching tabs: `1-3` while the tab keys are the digits in order, else each key.
    static func tabKeys(_ labels: KeyLabels) -> String {
        let keys = Tab.allCases.map { labels.primary($0.keyAction) }
        return keys == (1...keys.count).map(String.init) ? "1-\(keys.count)" : keys.joined(separator: "/")
    }

    /// Refresh, Esc, redraw, help and quit, in help order; hints at the ranks given (nil: no hint).
    static func tail(refresh refreshRank: Int?, help helpRank: Int?, quit quitRank: Int?) -> [Binding<AppState>] {
        [refresh().hinted(refreshRank.map { _ in "refresh" }, rank: refreshRank ?? 0),
         escape(),
         resumeDraft(),
         Binding(keys: [.ctrl("l")], help: "redraw the screen", run: nil),
         Binding([.help], help: "this help") { s, c, _ in
             s.modal = .help(top: 0)
             return .effects(s.tab.screen.prefetch(&s, c))
         }.hinted(helpRank.map { _ in "help" }, rank: helpRank ?? 0),
         quit().hinted(quitRank.map { _ in "quit" }, rank: quitRank ?? 0)]
    }

    /// `R`: the tab's list again, and whatever the session still misses. A failure that blocked every pane
    /// is tried again from the start (account, users, dispositions), whatever the tab: its next answer
    /// confirms or clears it.
    static func refresh() -> Binding<AppState> {
        Binding([.refresh], help: "refresh") { s, c, _ in
            let blocked = s.session.paneError != nil
            s.session.paneError = nil
            var effects = s.tab.screen.reload(&s, c)
            if s.session.user == nil {
                effects = AppState.startLoads  // nothing loaded yet (or it failed): start over
            } else if blocked {
                effects = AppState.startLoads + effects
            } else if !s.session.dispositions.isLoaded {
                effects.append(.io(.load(.dispositions)))
            }
            return .effects(effects) + .status(effects.isEmpty ? "The \(s.tab.title) updates by itself." : "Refreshing…")
        }
    }

    /// Esc: an error on the status line goes first; then the screen backs out (detail, filters); else the
    /// status line clears.
    static func escape() -> Binding<AppState> {
        Binding(keys: [.escape], help: "dismiss error / back / clear filters") { s, c, _ in
            var reply = Reply.none
            if let status = s.session.status, status.isError { s.session.status = nil }
            else if let backed = s.tab.screen.back(&s, c) { reply = backed }
            else { s.session.status = nil }
            return reply + .effects(s.tab.screen.prefetch(&s, c))
        }
    }

    /// `d`: the kept draft (closed with Esc, or left from the last run) back in the form.
    static func resumeDraft() -> Binding<AppState> {
        Binding([.resumeDraft], help: "resume the unsent draft") { s, c, _ in
            s.logForm.resumeKept(c)
        }
    }

    /// `q` and Ctrl-C: quit, asking first when something would be left unsent.
    static func quit() -> Binding<AppState> {
        Binding([.quit], keys: [.ctrl("c")], help: "quit (asks when a draft is unsent)") { _, _, _ in
            .request(.quit)
        }
    }
}
