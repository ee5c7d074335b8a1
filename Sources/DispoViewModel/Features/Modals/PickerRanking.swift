import Foundation

/// How well one of an item's names matches a picker's filter, best first. Both sides are compared folded
/// (`foldForSearch`: case and accents ignored).
enum PickerMatch: Int, Comparable, Sendable {
    /// The whole name is the filter (`interested` for "Interested").
    case exact
    /// The name starts with the filter (`int` for "Interested").
    case prefix
    /// A word of the name starts with it (`int` for "Not interested", `vo` for `no_answer_voicemail`).
    case wordPrefix
    /// It occurs anywhere else in the name (`swer` for "No answer").
    case substring

    static func < (a: PickerMatch, b: PickerMatch) -> Bool { a.rawValue < b.rawValue }

    /// How `name` matches `needle` (both folded; `needle` not empty), or nil when it does not hold it.
    static func of(_ name: String, _ needle: String) -> PickerMatch? {
        if name == needle { return .exact }
        if name.hasPrefix(needle) { return .prefix }
        guard name.contains(needle) else { return nil }
        // A word starts after anything that is not a letter or a digit: space, `_`, `-`, `.`, `@`, `(`.
        var previousIsWordCharacter = false
        var index = name.startIndex
        while index < name.endIndex {
            let isWordCharacter = name[index].isLetter || name[index].isNumber
            if isWordCharacter && !previousIsWordCharacter && name[index...].hasPrefix(needle) { return .wordPrefix }
            previousIsWordCharacter = isWordCharacter
            index = name.index(after: index)
        }
        return .substring
    }
}

/// The items whose names hold `filter`, best match first (exact, then prefix, then word prefix, then
/// substring), and in the given (the workspace's) order within each kind. An item ranks by the best of
/// its `names`; at the same kind, a match on an earlier name (the shown name before a slug or e-mail)
/// comes first, so `no` lists "No answer" before "Left voicemail" (slug `no_answer_voicemail`). An empty
/// filter keeps every item in order.
func rankedForPicker<Item>(_ items: [Item], filter: String, names: (Item) -> [String?]) -> [Item] {
    let needle = foldForSearch(filter.trimmingCharacters(in: .whitespaces))
    if needle.isEmpty { return items }
    var ranked: [(match: PickerMatch, nameIndex: Int, index: Int, item: Item)] = []
    for (index, item) in items.enumerated() {
        var best: (match: PickerMatch, nameIndex: Int)?
        for (nameIndex, name) in names(item).enumerated() {
            guard let name, let match = PickerMatch.of(foldForSearch(name), needle) else { continue }
            if best.map({ (match, nameIndex) < ($0.match, $0.nameIndex) }) ?? true { best = (match, nameIndex) }
        }
        if let best { ranked.append((best.match, best.nameIndex, index, item)) }
    }
    ranked.sort { ($0.match, $0.nameIndex, $0.index) < ($1.match, $1.nameIndex, $1.index) }
    return ranked.map(\.item)
}
