import Foundation

/// What a key does on the list screens (Tasks, Calls, Outbox) or in the log form. The raw values are the
/// names used in the `[keys]` table of `config.toml` (design.md §2: "Keys are configurable").
public enum KeyAction: String, Sendable, Hashable, CaseIterable {
    // Lists.
    case down, up, top, bottom
    case pageDown = "page_down", pageUp = "page_up"
    case halfPageDown = "half_page_down", halfPageUp = "half_page_up"
    case nextTab = "next_tab", previousTab = "previous_tab"
    case tasksTab = "tab_tasks", callsTab = "tab_calls", outboxTab = "tab_outbox"
    case open, log, filter
    case filterMenu = "filter_menu"
    case recording
    case copyNumber = "copy_number", copyID = "copy_id"
    case refresh, help, quit, discard
    // Log form.
    case send, timer, editor

    /// True for the actions of the log form, which must be Ctrl, Alt or function keys (a printable key
    /// would be typed into the focused field instead).
    public var isFormAction: Bool { self == .send || self == .timer || self == .editor }

    /// The keys bound by default that a `[keys]` entry replaces (vim/less style letters, Ctrl keys).
    public var defaultKeys: [Key] {
        switch self {
        case .down: [.char("j")]
        case .up: [.char("k")]
        case .top: [.char("g")]
        case .bottom: [.char("G")]
        case .pageDown: [.ctrl("f")]
        case .pageUp: [.ctrl("b")]
        case .halfPageDown: [.ctrl("d")]
        case .halfPageUp: [.ctrl("u")]
        case .nextTab: [.tab]
        case .previousTab: [.backTab]
        case .tasksTab: [.char("1")]
        case .callsTab: [.char("2")]
        case .outboxTab: [.char("3")]
        case .open: []
        case .log: [.char("l")]
        case .filter: [.char("/")]
        case .filterMenu: [.char("f")]
        case .recording: [.char("r")]
        case .copyNumber: [.char("y")]
        case .copyID: [.char("Y")]
        case .refresh: [.char("R")]
        case .help: [.char("?")]
        case .quit: [.char("q")]
        case .discard: [.char("x")]
        case .send: [.ctrl("s")]
        case .timer: [.ctrl("t")]
        case .editor: [.ctrl("e")]
        }
    }

    /// Keys that always do this action whatever the configuration (arrows, Home/End, PgUp/PgDn, Enter,
    /// F1, F5, Delete), so a rebinding never leaves an action unreachable.
    public var fixedKeys: [Key] {
        switch self {
        case .down: [.down]
        case .up: [.up]
        case .top: [.home]
        case .bottom: [.end]
        case .pageDown: [.pageDown]
        case .pageUp: [.pageUp]
        case .open: [.enter]
        case .refresh: [.function(5)]
        case .help: [.function(1)]
        case .discard: [.delete]
        default: []
        }
    }
}

/// A problem in the `[keys]` configuration; `action` is the entry's name (so the caller can name the
/// line), `message` says what is wrong in words.
public struct KeymapError: Error, Sendable, Hashable, CustomStringConvertible {
    public var action: String
    public var message: String
    public init(action: String, message: String) { self.action = action; self.message = message }
    public var description: String { message }
}

/// Which key does which action (design.md §2 conventions by default: `j`/`k`, `g`/`G`, Ctrl-D/U, `/`, `?`,
/// `q`…). Lives in `AppEnvironment`; `reduce` looks keys up here and the help overlay and hints show the
/// effective keys.
public struct Keymap: Sendable, Hashable {
    /// The configurable keys of each action (defaults, or what `[keys]` set).
    public private(set) var bindings: [KeyAction: [Key]]
    private var listLookup: [Key: KeyAction] = [:]
    private var formLookup: [Key: KeyAction] = [:]

    /// The built-in bindings.
    public static let `default` = Keymap()

    /// The default bindings.
    public init() {
        bindings = Dictionary(uniqueKeysWithValues: KeyAction.allCases.map { ($0, $0.defaultKeys) })
        rebuild()
    }

    /// The defaults with `overrides` applied: action name (`down`, `page_down`, `filter_menu`… see
    /// `KeyAction`) → key specs (see `parseKeySpec`); each entry replaces that action's configurable keys
    /// (fixed keys such as the arrows stay).
    ///
    /// Errors (`KeymapError`, naming the entry): an unknown action, an unreadable key, an empty list, a
    /// printable key for a form action, a key bound to two actions of the same screen, or a key the
    /// screens reserve (Esc, Ctrl-C, Ctrl-L).
    public init(overrides: [String: [String]]) throws {
        self.init()
        let known = KeyAction.allCases.map(\.rawValue).joined(separator: ", ")
        for (name, specs) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let action = KeyAction(rawValue: name) else {
                throw KeymapError(action: name, message: "unknown key action `\(name)` (known: \(known))")
            }
            if specs.isEmpty { throw KeymapError(action: name, message: "`\(name)` needs at least one key") }
            var keys: [Key] = []
            for spec in specs {
                guard let key = parseKeySpec(spec) else {
                    throw KeymapError(action: name, message: "`\(name)`: cannot read the key \"\(spec)\" (use a "
                        + "character such as \"j\", ctrl-x, alt-x, or a name: enter, esc, tab, backtab, space, "
                        + "backspace, delete, up, down, left, right, home, end, pgup, pgdn, f1…f12)")
                }
                if Self.reserved.contains(key) {
                    throw KeymapError(action: name, message: "`\(name)`: \(keyLabel(key)) is reserved "
                        + "(Esc backs out, Ctrl-C quits, Ctrl-L redraws)")
                }
                if action.isFormAction {
                    switch key {
                    case .ctrl, .alt, .function: break
                    default:
                        throw KeymapError(action: name, message: "`\(name)` works inside the log form, so it "
                            + "must be a Ctrl, Alt or F key (\(keyLabel(key)) would be typed into the field)")
                    }
                }
                keys.append(key)
            }
            bindings[action] = keys
        }
        // One key, one action per screen.
        for form in [false, true] {
            var seen: [Key: KeyAction] = [:]
            for action in KeyAction.allCases where action.isFormAction == form {
                for key in (bindings[action] ?? []) + action.fixedKeys {
                    if let other = seen[key], other != action {
                        let culprit = overrides[action.rawValue] != nil ? action : other
                        let partner = culprit == action ? other : action
                        throw KeymapError(action: culprit.rawValue, message: "`\(culprit.rawValue)`: \(keyLabel(key)) "
                            + "is already bound to `\(partner.rawValue)` (rebind that one too)")
                    }
                    seen[key] = action
                }
            }
        }
        rebuild()
    }

    /// Keys no binding may take.
    static let reserved: Set<Key> = [.escape, .ctrl("c"), .ctrl("l")]

    private mutating func rebuild() {
        listLookup = [:]; formLookup = [:]
        for action in KeyAction.allCases {
            for key in (bindings[action] ?? []) + action.fixedKeys {
                if action.isFormAction { formLookup[key] = action } else { listLookup[key] = action }
            }
        }
    }

    /// The list-screen action of `key`, if any.
    public func listAction(_ key: Key) -> KeyAction? { listLookup[key] }
    /// The log-form action of `key`, if any.
    public func formAction(_ key: Key) -> KeyAction? { formLookup[key] }

    /// Every key of `action`, configurable first.
    public func keys(_ action: KeyAction) -> [Key] { (bindings[action] ?? []) + action.fixedKeys }

    /// The keys of `action` as shown in hints and help: configurable keys then fixed ones, joined by `/`
    /// (e.g. `j/↓`). `unicode` false spells arrows as words.
    public func label(_ action: KeyAction, fixed: Bool = true, unicode: Bool = true) -> String {
        let keys = (bindings[action] ?? []) + (fixed ? action.fixedKeys : [])
        return keys.map { keyLabel($0, unicode: unicode) }.joined(separator: "/")
    }

    /// The first configurable key of `action` (else its first fixed key), for short hints.
    public func primary(_ action: KeyAction, unicode: Bool = true) -> String {
        guard let k = (bindings[action] ?? []).first ?? action.fixedKeys.first else { return "" }
        return keyLabel(k, unicode: unicode)
    }
}

/// How a key is written for the rep: `j`, `Ctrl-D`, `Alt-b`, `Enter`, `↓`, `PgDn`, `F5`.
public func keyLabel(_ key: Key, unicode: Bool = true) -> String {
    switch key {
    case .char(" "): "Space"
    case .char(let c): String(c)
    case .ctrl(let c): "Ctrl-" + String(c).uppercased()
    case .alt(let c): "Alt-" + String(c)
    case .up: unicode ? "↑" : "Up"
    case .down: unicode ? "↓" : "Down"
    case .left: unicode ? "←" : "Left"
    case .right: unicode ? "→" : "Right"
    case .home: "Home"
    case .end: "End"
    case .pageUp: "PgUp"
    case .pageDown: "PgDn"
    case .enter: "Enter"
    case .escape: "Esc"
    case .tab: "Tab"
    case .backTab: "S-Tab"
    case .backspace: "Backspace"
    case .delete: "Delete"
    case .insert: "Insert"
    case .function(let n): "F\(n)"
    case .paste: "paste"
    case .mouse: "mouse"
    }
}

/// Reads a key as written in `config.toml`: one character (`"j"`, `"G"`, `"/"`), `ctrl-x` / `c-x` / `^x`,
/// `alt-x` / `m-x`, or a name (`enter`, `esc`, `tab`, `backtab`, `space`, `backspace`, `delete`,
/// `insert`, `up`, `down`, `left`, `right`, `home`, `end`, `pgup`, `pgdn`, `f1`…`f12`; names and
/// prefixes case-insensitive). Returns nil for anything else (a control character, several characters).
public func parseKeySpec(_ spec: String) -> Key? {
    if spec.count == 1, let c = spec.first {
        if c.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) { return nil }
        return .char(c)
    }
    let lower = spec.lowercased()
    for prefix in ["ctrl-", "ctrl+", "c-", "^"] where lower.hasPrefix(prefix) {
        let rest = lower.dropFirst(prefix.count)
        guard rest.count == 1, let c = rest.first, c.isASCII, c.isLetter else { return nil }
        return .ctrl(c)
    }
    for prefix in ["alt-", "alt+", "m-", "meta-"] where lower.hasPrefix(prefix) {
        let rest = spec.dropFirst(prefix.count)
        guard rest.count == 1, let c = rest.first, c.isASCII, !c.isWhitespace else { return nil }
        return .alt(c)
    }
    switch lower {
    case "enter", "return": return .enter
    case "esc", "escape": return .escape
    case "tab": return .tab
    case "backtab", "shift-tab", "s-tab": return .backTab
    case "space": return .char(" ")
    case "backspace", "bs": return .backspace
    case "delete", "del": return .delete
    case "insert", "ins": return .insert
    case "up": return .up
    case "down": return .down
    case "left": return .left
    case "right": return .right
    case "home": return .home
    case "end": return .end
    case "pgup", "pageup", "page_up": return .pageUp
    case "pgdn", "pagedown", "page_down": return .pageDown
    default: break
    }
    if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { return .function(n) }
    return nil
}
