/// A key (or paste) as the front end decodes it. The keymap turns keys into actions per screen.
public enum Key: Hashable, Sendable {
    /// A printable character (already decoded from UTF-8).
    case char(Character)
    /// Ctrl plus a letter, lower-case (`.ctrl("a")` for Ctrl-A).
    case ctrl(Character)
    /// Alt (Meta/ESC-prefixed) plus a character.
    case alt(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, tab, backTab, backspace, delete, insert
    /// Function key F1…F12.
    case function(Int)
    /// A bracketed paste, delivered whole.
    case paste(String)
    /// A mouse event (only when mouse support is on): button 1 press / wheel, at (col, row).
    case mouse(MouseEvent)
}

/// A mouse event in cell coordinates.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, wheelUp, wheelDown }
    public var kind: Kind
    public var col: Int
    public var row: Int
    public init(kind: Kind, col: Int, row: Int) { self.kind = kind; self.col = col; self.row = row }
}

extension Key {
    /// True for a printable character (`.char`), which a text field would take.
    var isCharacter: Bool { if case .char = self { true } else { false } }
}
