/// Why a text is not a usable phone number, per libphonenumber. ``description`` names what is wrong in
/// words a rep can act on, e.g. "too long: 20 digits, at most 15 (E.164)".
public enum PhoneNumberError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing but white space was given.
    case empty
    /// libphonenumber found no phone number in the text: fewer than 2 digits, or words ("call me").
    case notANumber
    /// The digits after "+" or after the default region's international prefix (011 from the US, 00
    /// from most of Europe) are not a country calling code, e.g. "+999 123".
    case invalidCountryCode
    /// The text is a national number (no "+" or international prefix) and no default region was given.
    case noRegion
    /// The text is a national number and the default region (as given) is not one libphonenumber knows.
    case unknownRegion(String)
    /// The text has an international prefix ("011" from the US, "00" from GB) and too few digits after it.
    case tooShortAfterInternationalPrefix
    /// Too few digits. With a `countryCode`, `digits` counts the national significant number (after
    /// the country code and any national prefix such as a UK "0") and `atLeast` is the shortest
    /// length libphonenumber accepts for that country; a number dialable only locally (a US number
    /// without its area code) counts as too short. Without one, `digits` counts every digit in the text.
    case tooShort(digits: Int, atLeast: Int?, countryCode: Int?)
    /// Too many digits. With a `countryCode`, `digits` counts the national significant number and
    /// `atMost` is the longest length libphonenumber accepts for that country. Without one, `digits`
    /// counts every digit in the text and `atMost` is E.164's 15.
    case tooLong(digits: Int, atMost: Int, countryCode: Int?)
    /// A national significant number of `digits` digits, between the country's shortest and longest
    /// lengths but not one of the `possible` lengths (ascending) libphonenumber accepts for it.
    case wrongLength(digits: Int, possible: [Int], countryCode: Int)

    public var description: String {
        switch self {
        case .empty:
            return "empty: no phone number given"
        case .notANumber:
            return "not a phone number: it needs at least 2 digits, and words are not a number"
        case .invalidCountryCode:
            return "invalid country code: no country uses the digits after + (or the international prefix)"
        case .noRegion:
            return "no country: a number without + needs a default region to say which country it is in"
        case .unknownRegion(let region):
            return "unknown region \"\(region)\": a number without + needs a known default region"
        case .tooShortAfterInternationalPrefix:
            return "too short: too few digits after the international prefix"
        case .tooShort(let digits, let atLeast, let countryCode):
            var text = "too short: \(Self.digits(digits))"
            if let atLeast { text += ", at least \(atLeast)" }
            if let countryCode { text += " for +\(countryCode)" }
            return text
        case .tooLong(let digits, let atMost, let countryCode):
            let rule = countryCode.map { "for +\($0)" } ?? "(E.164)"
            return "too long: \(Self.digits(digits)), at most \(atMost) \(rule)"
        case .wrongLength(let digits, let possible, let countryCode):
            return "wrong length: \(Self.digits(digits)), +\(countryCode) numbers have "
                + Self.list(possible)
        }
    }

    private static func digits(_ n: Int) -> String { n == 1 ? "1 digit" : "\(n) digits" }

    private static func list(_ lengths: [Int]) -> String {
        let words = lengths.map(String.init)
        guard let last = words.last else { return "no possible length" }
        return words.count == 1 ? last : words.dropLast().joined(separator: ", ") + " or " + last
    }
}
