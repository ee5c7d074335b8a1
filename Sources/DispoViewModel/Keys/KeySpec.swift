import Foundation

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
