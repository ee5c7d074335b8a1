import ArgumentParser
import Foundation

/// The TUI takes no positional arguments, so a first argument that is not an option and not a
/// subcommand is a mistyped command: the message names the closest subcommand (by edit distance, when
/// it is at most 2 edits away). Nil when `arguments` (without the program name) is fine.
func unknownCommandMessage(_ arguments: [String]) -> String? {
    guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
    let names = Dispo.configuration.subcommands.map { $0._commandName } + ["help"]
    guard !names.contains(first) else { return nil }
    let shown = sanitizeArgument(first)
    let closest = names.map { ($0, editDistance(first.lowercased(), $0)) }.min { $0.1 < $1.1 }
    if let (name, distance) = closest, distance <= 2 {
        return "unknown command '\(shown)'; did you mean '\(name)'?"
    }
    return "unknown command '\(shown)'; the commands are: " + names.joined(separator: ", ")
}

/// The argument as typed, with control characters shown as `?` so it cannot move the cursor.
private func sanitizeArgument(_ s: String) -> String {
    String(s.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? "?" : Character($0) })
}

/// Levenshtein distance between `a` and `b` (insertions, deletions and substitutions of characters).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}
