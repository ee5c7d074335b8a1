/// The spellings one number takes in a real workspace, where every rep and dialer writes it their own
/// way: international with spaces, dashes or dots, no separators, the `00` prefix, national with its
/// trunk `0` (or `(415) 555-0142` in North America). Matching a contact's calls by number must see
/// through all of them.
enum Spellings {
    /// Country codes of the seeded numbers, longest first so `+351` is not read as `+35`.
    private static let countryCodes = ["351", "972", "971", "44", "49", "33", "34", "81", "86", "55", "61", "1"]

    /// Other spellings of `number` when it is written `+<country code> <groups…>`; empty otherwise.
    static func of(_ number: String) -> [String] {
        guard number.hasPrefix("+") else { return [] }
        let digits = number.filter { $0.isASCII && $0.isNumber }
        guard let cc = countryCodes.first(where: { digits.hasPrefix($0) }), digits.count > cc.count + 6 else { return [] }
        let national = String(digits.dropFirst(cc.count))
        // The groups as first written, without the country code ("+44 20 7946 0958" → ["20", "7946", "0958"]).
        var groups = number.dropFirst().split { !$0.isNumber }.map(String.init)
        if groups.first == cc { groups.removeFirst() } else { groups = [national] }
        var out = ["+" + digits,
                   "00 " + cc + " " + groups.joined(separator: " "),
                   "+" + cc + "-" + groups.joined(separator: "-"),
                   "+" + cc + "." + groups.joined(separator: ".")]
        if cc == "1", national.count == 10 {
            let a = national.prefix(3), b = national.dropFirst(3).prefix(3), c = national.suffix(4)
            out.append("(\(a)) \(b)-\(c)")
            out.append("1-\(a)-\(b)-\(c)")
        } else if cc != "351" {
            // A national number with its trunk 0 (Portugal has none).
            out.append("0" + groups.joined(separator: " "))
        }
        return out.filter { $0 != number }
    }
}
