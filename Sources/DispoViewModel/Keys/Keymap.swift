import Foundation

/// A problem in the `[keys]` configuration; `action` is the entry's name (so the caller can name the
/// line), `message` says what is wrong in words.
public struct KeymapError: Error, Sendable, Hashable, CustomStringConvertible {
    public var action: String
    public var message: String
    public init(action: String, message: String) { self.action = action; self.message = message }
    public var description: String { message }
}

/// Which key does which action (by default the conventions of the terminal tools reps know: `j`/`k`,
/// `g`/`G`, Ctrl-D/U, `/`, `?`, `q`…). Lives in `AppEnvironment`; the binding tables look keys up here,
/// and the hint line and the help overlay show the effective keys.
public struct Keymap: Sendable, Hashable {
    /// The configurable keys of each action (defaults, or what `[keys]` set).
    public private(set) var bindings: [KeyAction: [Key]]
    private var listLookup: [Key: KeyAction] = [:]
    private var formLookup: [Key: KeyAction] = [:]
    /// `primary` and `label` of every action, worked out once per keymap: the hint line and the binding
    /// tables ask for them on every key and every frame. Indexed by `KeyAction.index`, Unicode then ASCII.
    private var primaryLabels: [[String]] = [[], []]
    private var fullLabels: [[String]] = [[], []]

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
    /// screens reserve (Esc, Ctrl-C, Ctrl-L). A key an entry takes from another action's defaults leaves
    /// that action (which keeps its other keys).
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
        // A key given to an action takes it from the default keys of actions the file leaves alone
        // (`down = "n"` moves `n` off `no_answer`); two entries of the file still cannot share a key.
        let taken = Set(overrides.keys.compactMap(KeyAction.init(rawValue:)).flatMap { bindings[$0] ?? [] })
        for action in KeyAction.allCases where overrides[action.rawValue] == nil {
            bindings[action] = (bindings[action] ?? []).filter { key in
                !taken.contains(key) || !KeyAction.allCases.contains { other in
                    overrides[other.rawValue] != nil && other.isFormAction == action.isFormAction && (bindings[other] ?? []).contains(key)
                }
            }
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
        for (i, unicode) in [true, false].enumerated() {
            primaryLabels[i] = KeyAction.allCases.map { makePrimary($0, unicode: unicode) }
            fullLabels[i] = KeyAction.allCases.map { makeLabel($0, unicode: unicode) }
        }
    }

    /// The list-screen action of `key`, if any.
    public func listAction(_ key: Key) -> KeyAction? { listLookup[key] }
    /// The log-form action of `key`, if any.
    public func formAction(_ key: Key) -> KeyAction? { formLookup[key] }

    /// Every key of `action`, configurable first.
    public func keys(_ action: KeyAction) -> [Key] { (bindings[action] ?? []) + action.fixedKeys }

    /// The keys of `action` as shown in hints and help: configurable keys then fixed ones, each once,
    /// joined by `/` (e.g. `j/↓`). `unicode` false spells arrows as words.
    public func label(_ action: KeyAction, fixed: Bool = true, unicode: Bool = true) -> String {
        fixed ? fullLabels[unicode ? 0 : 1][action.index] : makeLabel(action, fixed: false, unicode: unicode)
    }

    /// The first configurable key of `action` (else its first fixed key), for short hints.
    public func primary(_ action: KeyAction, unicode: Bool = true) -> String {
        primaryLabels[unicode ? 0 : 1][action.index]
    }

    private func makeLabel(_ action: KeyAction, fixed: Bool = true, unicode: Bool) -> String {
        var keys: [Key] = []
        for k in (bindings[action] ?? []) + (fixed ? action.fixedKeys : []) where !keys.contains(k) { keys.append(k) }
        return keys.map { keyLabel($0, unicode: unicode) }.joined(separator: "/")
    }

    private func makePrimary(_ action: KeyAction, unicode: Bool) -> String {
        guard let k = (bindings[action] ?? []).first ?? action.fixedKeys.first else { return "" }
        return keyLabel(k, unicode: unicode)
    }
}

extension KeyAction {
    /// The action's place in `allCases` (an array index for per-action tables).
    var index: Int { Self.indices[self]! }
    private static let indices: [KeyAction: Int] = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
}
