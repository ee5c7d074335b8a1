/// Keys go to what has focus: below the minimum size only quitting; then a modal; the log form; the
/// filter being typed; the tab's screen (its binding table, the mouse over the tab bar or the body).
extension AppState {
    mutating func handleKey(_ key: Key) -> [Effect] {
        if key == .ctrl("l") { return [.terminal(.repaint)] }
        let context = self.context
        if context.frame.isTooSmall {
            // Only "terminal too small" is on screen: nothing the rep cannot see may happen. Quit still
            // works (its confirmation, if any, is drawn once the terminal is big enough again).
            guard key == .ctrl("c") || context.keymap.listAction(key) == .quit else { return [] }
            switch modal {
            case .confirm(.quit)?: return []
            case .userPicker?: return [.terminal(.quit)]  // nothing to lose before a user is chosen
            default: return requestQuit()
            }
        }
        if let modal { return modalKey(modal, key, context) }
        if logForm.form != nil {
            let table = LogFormKeys.bindings(logForm, context)
            let reply = table.dispatch(key, &logForm, context) ?? logForm.input(key, context)
            return apply(reply)
        }
        let screen = tab.screen
        if screen.filter(self).isEditing { return apply(screen.editFilter(key, &self, context)) }
        if case .mouse(let event) = key {
            if event.kind == .press, context.frame.tabBar.contains(col: event.col, row: event.row) {
                guard let hit = TabBar.layout(self, context.labels, ellipsis: "…").first(where: {
                    event.col >= $0.col && event.col < $0.col + $0.width
                }) else { return [] }
                switchTab(to: hit.tab)
                return tab.screen.prefetch(&self, context)
            }
            return apply(screen.mouse(event, &self, context))
        }
        return screen.bindings(self, context).dispatch(key, &self, context).map { apply($0) } ?? []
    }

    /// A key while `modal` is drawn over the screen.
    mutating func modalKey(_ modal: Modal, _ key: Key, _ context: FeatureContext) -> [Effect] {
        switch modal {
        case .help(let top):
            // Keys that scroll scroll when not every key fits; any other key closes help and does nothing else.
            let count = helpLines(context).count
            if let newTop = HelpView.scrolled(top: top, by: key, keymap: context.keymap, lineCount: count,
                                              size: context.frame.size) {
                self.modal = .help(top: newTop)
            } else {
                self.modal = nil
            }
            return []
        case .confirm(.completeTask(let task)) where key == .char("l") || key == .char("L"):
            self.modal = nil
            return changeTask(task, .complete(lead: true))
        case .confirm(let question):
            guard let yes = Confirmation.answer(key) else { return [] }
            self.modal = nil
            return answer(question, yes: yes)
        case .dispositionPicker(var picker):
            let items = PickerState.dispositions(session.dispositions.list, matching: picker.filter)
            switch picker.handle(key, count: items.count) {
            case .cancelled: self.modal = nil
            case .choosing: self.modal = .dispositionPicker(picker)
            case .chosen(let i):
                self.modal = nil
                guard var form = logForm.form else { return [] }
                form.choose(items[i])
                logForm.form = form
                return [.io(.saveDraft(form.draft))]
            }
            return []
        case .filterMenu(var menu):
            let before = calls.filter.filter
            switch menu.handle(key, &calls, context) {
            case .open:
                self.modal = .filterMenu(menu)
                let changed = calls.filter.filter != before
                return tab.screen.prefetch(&self, context) + (changed ? FilterMenuState.facetsLoad(calls, context) : [])
            case .closed: self.modal = nil; return tab.screen.prefetch(&self, context)
            case .quit: self.modal = nil; return requestQuit()
            }
            return []
        case .regionPicker(var picker):
            let items = RegionChoices.matching(picker.filter)
            switch picker.handle(key, count: items.count) {
            case .choosing: self.modal = .regionPicker(picker)
            case .cancelled:
                self.modal = nil
                session.setStatus("No country chosen: type numbers with + and the country code (or set default_region in the config).",
                                  isError: false)
            case .chosen(let i):
                self.modal = nil
                let r = items[i]
                environment.rememberedRegion = r.code
                session.setStatus("Numbers without + are read as \(r.name) (+\(r.callingCode)); remembered for next time.", isError: false)
                return [.io(.rememberRegion(r.code))]
            }
            return []
        case .taskFilterMenu(var menu):
            switch menu.handle(key) {
            case .open: self.modal = .taskFilterMenu(menu)
            case .closed:
                self.modal = nil
                return applyTaskFilter(menu.filter)
            case .quit: self.modal = nil; return requestQuit()
            }
            return []
        case .userPicker(var picker):
            if key == .ctrl("c") { return [.terminal(.quit)] }
            // `?` and F1 are not typed into the filter (no name or e-mail holds them): say where help is.
            // A letter bound to help is typed: names hold letters.
            if context.keymap.listAction(key) == .help, key == .char("?") || !key.isCharacter {
                session.setStatus("Help (\(keyLabel(key))) opens once you have picked who you are.", isError: false)
                return []
            }
            let items = PickerState.users(session.users ?? [], matching: picker.filter)
            switch picker.handle(key, count: items.count) {
            case .cancelled: self.modal = .userPicker(PickerState())
            case .choosing: self.modal = .userPicker(picker)
            case .chosen(let i): return chooseUser(items[i], remember: true)
            }
            return []
        }
    }
}
