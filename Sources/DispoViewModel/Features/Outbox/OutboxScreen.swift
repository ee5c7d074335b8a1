/// The Outbox tab's keys: moving, editing a log that needs attention, discarding one not yet sent, copying.
enum OutboxScreen: ListTabScreen {
    static let tab = Tab.outbox
    static var feature: WritableKeyPath<AppState, OutboxTabState> { \.outbox }

    static func bindings(_ state: AppState, _ context: FeatureContext) -> BindingTable<AppState> {
        let labels = context.labels
        let own = BindingTable<OutboxTabState>(ListKeys.navigation(moveRank: 2) + [ListKeys.filter()])
        let actions = BindingTable<OutboxTabState>([
            Binding([.open, .log], hint: "edit failed log", rank: 0, hintKeys: labels.primary(.open),
                    help: "edit and re-send a failed log") { outbox, _, _ in
                guard let e = outbox.list.selected else { return .none }
                guard case .needsAttention = e.state else { return .status("Only entries that need attention can be edited.") }
                return .request(.editOutboxEntry(e))
            },
            Binding([.discard], hint: "discard", rank: 1, help: "discard a log not yet sent (asks)") { outbox, _, _ in
                guard let e = outbox.list.selected else { return .none }
                switch e.state {
                case .pending, .needsAttention:
                    return .request(.present(.confirm(.discardOutbox(localID: e.localID, summary: e.summary))))
                case .sending: return .status("This log is being sent right now; wait for the result.")
                case .sent, .discarded: return .status("Only logs not yet sent can be discarded.")
                }
            },
            Binding([.copyNumber, .copyID], hint: "number", rank: 3, hintKeys: labels.primary(.copyNumber),
                    help: "copy number / id") { outbox, c, key in
                guard let e = outbox.list.selected else { return .none }
                if c.keymap.listAction(key) == .copyNumber { return .request(.copy(e.request.to)) }
                if case .sent(let id) = e.state { return .request(.copy(id)) }
                return .request(.copy(e.localID))
            },
            Binding([.filterMenu], disabled: "Filters by answer, disposition and date are on the Calls tab "
                        + "(\(labels.primary(.callsTab))); \(labels.primary(.filter)) filters text here.") { _, _, _ in .none },
        ])
        return own.scoped(feature)
            + BindingTable([CommonBindings.switchTab().hinted("tabs", rank: 4, keys: CommonBindings.tabKeys(labels))])
            + actions.scoped(feature)
            + BindingTable(CommonBindings.tail(refresh: nil, help: 5, quit: 6))
    }

    static func tabLabel(_ state: AppState, ellipsis: Character) -> String { "Outbox \(state.outbox.queuedCount)" }

    /// The store's state in words, after the tabs: it cannot save, another dispo sends, a damaged file
    /// kept aside still holds what could not be read.
    static func tabBarNote(_ state: AppState, _ context: FeatureContext, dot: String) -> String? {
        let notes = OutboxView.storeNotes(context.session.store)
        return notes.isEmpty ? nil : notes.joined(separator: " \(dot) ")
    }

    static func draw(_ state: AppState, _ context: FeatureContext, _ canvas: inout Canvas) {
        OutboxView.draw(state.outbox, context, &canvas)
    }
}

/// The Outbox list: when written, state in words, attempts, the call, the last error.
enum OutboxView {
    /// What the Outbox says of the store, one sentence each.
    static func storeNotes(_ store: StoreStatus) -> [String] {
        var notes: [String] = []
        if let cannotSave = store.cannotSaveText {
            notes.append("\(cannotSave.prefix(1).uppercased() + cannotSave.dropFirst()): what was sent is kept in memory until the store can save again")
        }
        if case .anotherProcess(let pid) = store.sender {
            let who = pid.map { "Another dispo (pid \($0))" } ?? "Another dispo"
            notes.append("\(who) is sending these logs; this one takes over when it exits")
        }
        if let repaired = store.repaired { notes.append("Repaired at start: \(repaired)") }
        if let damaged = store.damagedFile {
            notes.append("Not read from the damaged file \(damaged.path): \(damaged.unread)")
        }
        return notes
    }

    static func table(_ dateStyle: DateStyle) -> Table {
        Table(columns: [
            .init(title: "Created", width: .fixed(dateStyle.width), gap: 2),
            .init(title: "State", width: .fit(max: 15), gap: 2),
            .init(title: "Try", width: .fit(max: 4), gap: 2, alignRight: true, titleAlignRight: false),
            .init(title: "Call", width: .share(45), gap: 2),
            .init(title: "Last error", width: .rest, gap: 0),
        ])
    }

    static func draw(_ outbox: OutboxTabState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let frame = context.frame
        let env = context.environment
        let list = outbox.list
        let g = canvas.glyphs
        let cells = { (e: OutboxEntry) -> [Table.Cell] in
            let (word, role): (String, ColorRole) = switch e.state {
            case .pending: ("pending", .warning)
            case .sending: ("sending" + String(g.ellipsis), .accent)
            case .sent: ("sent", .success)
            case .needsAttention: ("NEEDS ATTENTION", .danger)
            case .discarded: ("discarded", .muted)
            }
            return [.init(text: env.listDateTime(e.createdAt)),
                    .init(text: word, style: CellStyle(role: role, bold: role == .danger)),
                    .init(text: "\(e.attempts)"),
                    .init(text: e.summary),
                    .init(text: e.lastError ?? "", style: CellStyle(role: .danger))]
        }
        let visible = visibleCells(list, rows: frame.listRows, cells: cells)
        let table = table(env.dateStyle).sized(for: visible, width: frame.list.width)
        table.drawHeading(&canvas, row: frame.list.row, width: frame.list.width)
        if list.count == 0 {
            let text = !list.filter.isEmpty ? "No match for \u{201C}\(list.filter.text)\u{201D} (Esc clears the filter)"
                : context.session.store.damagedFile.map {
                    "No log in this store, but the damaged file kept at \($0.path) could not be read entirely (\($0.unread))."
                } ?? "The Outbox is empty: every log has reached the server."
            drawEmptyList(text, &canvas, rows: frame.listRows)
            return
        }
        drawListRows(list, table: table, &canvas, rows: frame.listRows, cells: visible)
    }
}
