import Foundation

/// A one-line text field with readline editing (Ctrl-A/E/B/F/K/U/W/Y, Alt-B/F/D, Home/End, Delete,
/// Backspace, arrows, bracketed paste).
///
/// The cursor counts grapheme clusters (0…`count`), so one Backspace removes one user-perceived
/// character, whatever its bytes. The text is kept exactly as typed; it is sanitised only when drawn.
public struct TextField: Sendable, Hashable {
    /// The text, one element per grapheme cluster.
    public private(set) var characters: [Character]
    /// Cursor position in grapheme clusters, 0…`characters.count`.
    public private(set) var cursor: Int
    /// The last killed text (Ctrl-K/U/W, Alt-D), yanked back by Ctrl-Y.
    public private(set) var killBuffer: String = ""
    /// False (the default) turns pasted newlines into spaces.
    public var allowsNewlines: Bool

    /// A field holding `text`, cursor at its end.
    public init(_ text: String = "", allowsNewlines: Bool = false) {
        characters = Array(text); cursor = characters.count; self.allowsNewlines = allowsNewlines
    }

    /// The text as a string.
    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    /// Replaces the whole text; cursor at the end.
    public mutating func set(_ text: String) { characters = Array(text); cursor = characters.count }

    /// Inserts `s` at the cursor (newlines become spaces unless `allowsNewlines`).
    public mutating func insert(_ s: String) {
        var piece = s
        if !allowsNewlines {
            piece = s.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
                .replacingOccurrences(of: "\r", with: " ")
        }
        // Text typed a scalar at a time (a flag's two regional indicators, a letter then its combining
        // mark) arrives as separate keys: the clusters next to the cursor are formed again with it, so
        // the field never holds half a grapheme that scrolling, Backspace or the cursor could split.
        let previous = cursor > 0 ? String(characters[cursor - 1]) : ""
        let next = cursor < characters.count ? String(characters[cursor]) : ""
        let joined = Array(previous + piece + next)
        let start = cursor - (previous.isEmpty ? 0 : 1)
        characters.replaceSubrange(start..<(cursor + (next.isEmpty ? 0 : 1)), with: joined)
        cursor = start + min(Array(previous + piece).count, joined.count)
    }

    /// The outcome of a key: whether the field used it and whether the text changed.
    public enum KeyResult: Sendable, Hashable {
        /// Not an editing key; the caller may use it.
        case ignored
        /// Cursor moved, text unchanged.
        case moved
        /// Text changed.
        case edited
    }

    /// Applies one key. Returns `.ignored` for keys that are not editing keys (Enter, Tab, Esc, Ctrl-S…).
    @discardableResult
    public mutating func handle(_ key: Key) -> KeyResult {
        let before = characters
        switch key {
        case .char(let c): insert(String(c))
        case .paste(let s): insert(s)
        case .ctrl("a"), .home: cursor = 0
        case .ctrl("e"), .end: cursor = characters.count
        case .ctrl("b"), .left: cursor = max(0, cursor - 1)
        case .ctrl("f"), .right: cursor = min(characters.count, cursor + 1)
        case .backspace, .ctrl("h"):
            if cursor > 0 { characters.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .ctrl("d"):
            if cursor < characters.count { characters.remove(at: cursor) }
        case .ctrl("k"): kill(cursor..<characters.count)
        case .ctrl("u"): kill(0..<cursor)
        case .ctrl("w"):
            // Unix word rubout: back over spaces, then over non-spaces.
            var i = cursor
            while i > 0 && characters[i - 1].isWhitespace { i -= 1 }
            while i > 0 && !characters[i - 1].isWhitespace { i -= 1 }
            kill(i..<cursor)
        case .ctrl("y"): insert(killBuffer)
        case .alt("b"): cursor = wordStart(before: cursor)
        case .alt("f"): cursor = wordEnd(after: cursor)
        case .alt("d"): kill(cursor..<wordEnd(after: cursor))
        default: return .ignored
        }
        return characters == before ? .moved : .edited
    }

    private mutating func kill(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        killBuffer = String(characters[range])
        characters.removeSubrange(range)
        cursor = range.lowerBound
    }

    private func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }

    /// Emacs/readline word motion: start of the word before `i`.
    private func wordStart(before i: Int) -> Int {
        var j = i
        while j > 0 && !isWordCharacter(characters[j - 1]) { j -= 1 }
        while j > 0 && isWordCharacter(characters[j - 1]) { j -= 1 }
        return j
    }

    /// End of the word after `i`.
    private func wordEnd(after i: Int) -> Int {
        var j = i
        while j < characters.count && !isWordCharacter(characters[j]) { j += 1 }
        while j < characters.count && isWordCharacter(characters[j]) { j += 1 }
        return j
    }

    /// What to draw in a box `width` columns wide: the visible slice (sanitised, at most `width` columns,
    /// the last column kept free for the cursor at the end) and the cursor's column inside the box.
    /// Scrolls horizontally by display width so the cursor is always visible.
    public func visible(width: Int) -> (text: String, cursorColumn: Int) {
        guard width > 0 else { return ("", 0) }
        let widths = characters.map { displayWidth(String($0)) }
        // First visible cluster: as far left as possible while the cursor still fits.
        var start = 0
        var upToCursor = widths[0..<cursor].reduce(0, +)
        while upToCursor > width - 1 && start < cursor { upToCursor -= widths[start]; start += 1 }
        var out = ""
        var used = 0
        var i = start
        while i < characters.count && used + widths[i] <= width {
            out += sanitize(String(characters[i])); used += widths[i]; i += 1
        }
        return (out, upToCursor)
    }
}
