/// One row of a screen's binding table: an action with its keys, what it does, how the hint line and the
/// help overlay describe it, and, where it applies, why it does nothing right now. Dispatch, hints and help
/// all read the same rows, so a `[keys]` rebinding shows everywhere.
///
/// Tables are built from the state and the context each time they are read (a key, a frame), so hint
/// words and reasons can follow the state. `State` is what the handler may change: a feature's own state,
/// or `AppState` for the root's rows.
struct Binding<State> {
    /// The configurable actions this row answers (their keys come from the keymap, fixed keys included).
    var actions: [KeyAction]
    /// Keys outside the keymap this row answers too (Esc, Ctrl-C, `J`/`K`).
    var keys: [Key]
    /// The hint's words after the keys (`move`); nil when the row shows no hint now.
    var hint: String?
    /// Where the hint stands in the hint line (lower first: a narrow line is cut from the right).
    var rank: Int
    /// How the keys are written in the hint, when not the primary key of each action joined by `/`.
    var hintKeys: String?
    /// The help overlay's text for this row; nil keeps it out of the overlay.
    var help: String?
    /// How the keys are written in the help overlay, when not every key of each action.
    var helpKeys: String?
    /// Why the row does nothing now (said on the status line instead of running it); nil when it applies.
    var disabled: String?
    /// What the row does; nil for rows that only document keys handled elsewhere (a text field's keys).
    var run: ((inout State, FeatureContext, Key) -> Reply)?

    init(_ actions: [KeyAction] = [], keys: [Key] = [], hint: String? = nil, rank: Int = 50, hintKeys: String? = nil,
         help: String? = nil, helpKeys: String? = nil, disabled: String? = nil,
         run: ((inout State, FeatureContext, Key) -> Reply)?) {
        self.actions = actions; self.keys = keys; self.hint = hint; self.rank = rank; self.hintKeys = hintKeys
        self.help = help; self.helpKeys = helpKeys; self.disabled = disabled; self.run = run
    }

    /// The same row with a hint (`words` after its keys) at `rank`.
    func hinted(_ words: String?, rank: Int, keys: String? = nil) -> Binding {
        var b = self
        b.hint = words; b.rank = rank
        if let keys { b.hintKeys = keys }
        return b
    }

    /// True when `key` belongs to this row under `keymap`.
    func answers(_ key: Key, keymap: Keymap) -> Bool {
        if keys.contains(key) { return true }
        guard !actions.isEmpty else { return false }
        // Form actions and list actions live in separate lookups (one key may serve both kinds of screen).
        let action = actions.contains(where: \.isFormAction) ? keymap.formAction(key) : keymap.listAction(key)
        return action.map(actions.contains) ?? false
    }

    /// This row lifted to a larger state: the handler changes only the part at `path`.
    func scoped<Root>(_ path: WritableKeyPath<Root, State>) -> Binding<Root> {
        Binding<Root>(actions, keys: keys, hint: hint, rank: rank, hintKeys: hintKeys, help: help, helpKeys: helpKeys,
                      disabled: disabled, run: run.map { run in { root, c, k in run(&root[keyPath: path], c, k) } })
    }
}

/// How keys are written for the rep, from the effective keymap.
struct KeyLabels {
    let keymap: Keymap
    let unicode: Bool

    /// The first key of each action joined by `/` (`j/k`): the short form for hints.
    func primary(_ actions: KeyAction...) -> String { primary(actions) }
    func primary(_ actions: [KeyAction]) -> String {
        actions.map { keymap.primary($0, unicode: unicode) }.joined(separator: "/")
    }
    /// Every key of each action, actions separated by a space (`j/↓ k/↑`): the full form for help.
    func all(_ actions: KeyAction...) -> String { all(actions) }
    func all(_ actions: [KeyAction]) -> String {
        actions.map { keymap.label($0, unicode: unicode) }.joined(separator: " ")
    }
    /// A key outside the keymap as written (`Esc`, `Space`; arrows in words without Unicode).
    func key(_ key: Key) -> String { keyLabel(key, unicode: unicode) }
}

/// A screen's binding table: its rows in help order.
struct BindingTable<State> {
    var rows: [Binding<State>]

    init(_ rows: [Binding<State>]) { self.rows = rows }

    /// Runs the row that answers `key`: its handler, or (when disabled now) a status message saying why.
    /// Nil when no row answers.
    func dispatch(_ key: Key, _ state: inout State, _ context: FeatureContext) -> Reply? {
        guard let row = rows.first(where: { $0.run != nil && $0.answers(key, keymap: context.keymap) }),
              let run = row.run else { return nil }
        if let why = row.disabled { return .status(why) }
        return run(&state, context, key)
    }

    /// The hint line: each hinted row's keys and words, by rank, two spaces apart.
    func hints(_ labels: KeyLabels) -> String {
        rows.enumerated()
            .compactMap { i, row -> (rank: Int, index: Int, text: String)? in
                guard let words = row.hint else { return nil }
                let keys = row.hintKeys ?? (row.actions.isEmpty ? row.keys.map(labels.key).joined(separator: "/")
                                                                : labels.primary(row.actions))
                // An action left without keys (a rebinding took them) has no hint.
                if keys.isEmpty && !row.actions.isEmpty { return nil }
                return (row.rank, i, keys.isEmpty ? words : keys + " " + words)
            }
            .sorted { ($0.rank, $0.index) < ($1.rank, $1.index) }
            .map(\.text).joined(separator: "  ")
    }

    /// The help overlay's lines, (keys, what they do), in table order.
    func helpLines(_ labels: KeyLabels) -> [(String, String)] {
        rows.compactMap { row in
            guard let help = row.help else { return nil }
            let keys = row.helpKeys
                ?? ([labels.all(row.actions)].filter { !$0.isEmpty } + row.keys.map(labels.key)).joined(separator: " ")
            return (keys, help)
        }
    }

    /// This table lifted to a larger state.
    func scoped<Root>(_ path: WritableKeyPath<Root, State>) -> BindingTable<Root> {
        BindingTable<Root>(rows.map { $0.scoped(path) })
    }

    static func + (a: BindingTable, b: BindingTable) -> BindingTable { BindingTable(a.rows + b.rows) }
}
