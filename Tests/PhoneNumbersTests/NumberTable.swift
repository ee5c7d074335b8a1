import PhoneNumbers

/// What `PhoneNumbers.parse` answered for one input and default region.
enum Answer: Equatable, Sendable {
    /// Parsed and valid per libphonenumber; the `wire` form.
    case valid(String)
    /// Parsed with a possible length but not valid per libphonenumber; the `wire` form.
    case possible(String)
    case error(PhoneNumberError)

    init(_ result: Result<PhoneNumber, PhoneNumberError>) {
        switch result {
        case .success(let n): self = n.isValid ? .valid(n.wire) : .possible(n.wire)
        case .failure(let e): self = .error(e)
        }
    }

    /// How docs/phone-numbers.md shows it.
    var markdown: String {
        switch self {
        case .valid(let wire): return "`\(wire)`"
        case .possible(let wire): return "`\(wire)` possible, not valid"
        case .error(let e): return "error: \(e)"
        }
    }
}

/// One input and what libphonenumber 8.12.57 answered with the default regions US and GB (and DE for a
/// few rows). Every answer here was checked against the library (the tests assert them).
struct NumberRow: Sendable {
    let input: String
    let us: Answer
    let gb: Answer
    var de: Answer? = nil
    var note: String = ""
}

let numberTable: [NumberRow] = [
    // US national numbers, however punctuated or pasted.
    NumberRow(input: "(415) 555-0142", us: .valid("+14155550142"), gb: .possible("+444155550142"),
              note: "from GB the same digits are a UK national number"),
    NumberRow(input: "415.555.0142", us: .valid("+14155550142"), gb: .possible("+444155550142")),
    NumberRow(input: "1-415-555-0142", us: .valid("+14155550142"),
              gb: .error(.tooLong(digits: 11, atMost: 10, countryCode: 44)),
              note: "the leading 1 is the US country code, typed as a trunk prefix"),
    NumberRow(input: "  415 - 555 - 0142  ", us: .valid("+14155550142"), gb: .possible("+444155550142"),
              note: "pasted with spaces and dashes"),
    NumberRow(input: "415 555 0142\n", us: .valid("+14155550142"), gb: .possible("+444155550142"),
              note: "pasted with a newline"),
    NumberRow(input: "４１５５５５０１４２", us: .valid("+14155550142"), gb: .possible("+444155550142"),
              note: "full-width digits"),
    NumberRow(input: "tel:+1-415-555-0142", us: .valid("+14155550142"), gb: .valid("+14155550142")),
    NumberRow(input: "+1 555 555 0142", us: .possible("+15555550142"), gb: .possible("+15555550142"),
              note: "a right length but 555 is not an assigned area code"),
    NumberRow(input: "555-0142", us: .error(.tooShort(digits: 7, atLeast: 10, countryCode: 1)),
              gb: .possible("+445550142"),
              note: "US: dialable only locally (IS_POSSIBLE_LOCAL_ONLY), no area code"),
    NumberRow(input: "+1 415 555 01423", us: .error(.tooLong(digits: 11, atMost: 10, countryCode: 1)),
              gb: .error(.tooLong(digits: 11, atMost: 10, countryCode: 1))),
    // International prefixes: the default region's own, not any.
    NumberRow(input: "00 49 30 901820", us: .error(.tooLong(digits: 12, atMost: 10, countryCode: 1)),
              gb: .valid("+4930901820"), de: .valid("+4930901820"),
              note: "from the US the international prefix is 011, so 00… is a US national number (too long)"),
    NumberRow(input: "011 44 20 7946 0958", us: .valid("+442079460958"),
              gb: .error(.tooLong(digits: 14, atMost: 10, countryCode: 44)),
              note: "011 is the US international prefix; from GB it is national digits"),
    NumberRow(input: "011 44", us: .error(.tooShortAfterInternationalPrefix),
              gb: .error(.tooShort(digits: 5, atLeast: 7, countryCode: 44))),
    NumberRow(input: "00 44", us: .error(.tooShort(digits: 4, atLeast: 10, countryCode: 1)),
              gb: .error(.tooShortAfterInternationalPrefix)),
    // UK.
    NumberRow(input: "+44 20 7946 0958", us: .valid("+442079460958"), gb: .valid("+442079460958")),
    NumberRow(input: "＋44 20 7946 0958", us: .valid("+442079460958"), gb: .valid("+442079460958"),
              note: "full-width plus"),
    NumberRow(input: "020 7946 0958", us: .error(.tooLong(digits: 11, atMost: 10, countryCode: 1)),
              gb: .valid("+442079460958"), note: "GB: the national prefix 0 is dropped"),
    NumberRow(input: "+44 7700 900123", us: .possible("+447700900123"), gb: .possible("+447700900123"),
              note: "07700 900xxx is kept for drama, so not valid"),
    NumberRow(input: "07700 900123", us: .error(.tooLong(digits: 11, atMost: 10, countryCode: 1)),
              gb: .possible("+447700900123")),
    NumberRow(input: "+44 20 7946 09", us: .error(.tooShort(digits: 8, atLeast: 9, countryCode: 44)),
              gb: .error(.tooShort(digits: 8, atLeast: 9, countryCode: 44)),
              note: "8 digits is a UK length only for local dialling (IS_POSSIBLE_LOCAL_ONLY)"),
    NumberRow(input: "+44 1", us: .error(.tooShort(digits: 3, atLeast: nil, countryCode: nil)),
              gb: .error(.tooShort(digits: 3, atLeast: nil, countryCode: nil)),
              note: "libphonenumber's TOO_SHORT_NSN: under 2 national digits"),
    // Germany.
    NumberRow(input: "030 901820", us: .error(.tooShort(digits: 9, atLeast: 10, countryCode: 1)),
              gb: .possible("+44030901820"), de: .valid("+4930901820"),
              note: "GB keeps the 0: 30901820 is no UK number, so it is not a national prefix"),
    NumberRow(input: "+49 30 901820", us: .valid("+4930901820"), gb: .valid("+4930901820")),
    NumberRow(input: "+49 (0)30 901820", us: .valid("+4930901820"), gb: .valid("+4930901820"),
              de: .valid("+4930901820"), note: "the (0) national prefix written inside an international number"),
    // Elsewhere.
    NumberRow(input: "+351 21 234 5678", us: .valid("+351212345678"), gb: .valid("+351212345678")),
    NumberRow(input: "+351 912 345 678", us: .valid("+351912345678"), gb: .valid("+351912345678")),
    NumberRow(input: "+81 3-1234-5678", us: .valid("+81312345678"), gb: .valid("+81312345678")),
    NumberRow(input: "+55 11 91234-5678", us: .valid("+5511912345678"), gb: .valid("+5511912345678")),
    NumberRow(input: "+91 98765 43210", us: .valid("+919876543210"), gb: .valid("+919876543210")),
    NumberRow(input: "+7 912 345 67 890",
              us: .error(.wrongLength(digits: 11, possible: [10, 14], countryCode: 7)),
              gb: .error(.wrongLength(digits: 11, possible: [10, 14], countryCode: 7)),
              note: "Russia uses 10 and 14 digits, nothing between (INVALID_LENGTH)"),
    NumberRow(input: "+800 1234 5678", us: .valid("+80012345678"), gb: .valid("+80012345678"),
              note: "non-geographic (International Freephone), region 001"),
    // Extensions.
    NumberRow(input: "415-555-0142 ext. 12", us: .valid("+14155550142;ext=12"),
              gb: .possible("+444155550142;ext=12")),
    NumberRow(input: "+1 415 555 0142 x12", us: .valid("+14155550142;ext=12"), gb: .valid("+14155550142;ext=12")),
    NumberRow(input: "4155550142#12", us: .valid("+14155550142;ext=12"), gb: .possible("+444155550142;ext=12")),
    NumberRow(input: "+1 (415) 555-0142;ext=12", us: .valid("+14155550142;ext=12"),
              gb: .valid("+14155550142;ext=12"), note: "the wire form reads back"),
    // Letters.
    NumberRow(input: "call me", us: .error(.notANumber), gb: .error(.notANumber)),
    NumberRow(input: "1-800-FLOWERS", us: .valid("+18003569377"),
              gb: .error(.tooLong(digits: 11, atMost: 10, countryCode: 44)),
              note: "vanity letters become keypad digits (FLOWERS = 3569377)"),
    // Lengths and nothing.
    NumberRow(input: "123", us: .error(.tooShort(digits: 3, atLeast: 10, countryCode: 1)),
              gb: .error(.tooShort(digits: 3, atLeast: 7, countryCode: 44))),
    NumberRow(input: "1", us: .error(.notANumber), gb: .error(.notANumber),
              note: "libphonenumber needs at least 2 digits to call it a number"),
    NumberRow(input: "12345678901234567890", us: .error(.tooLong(digits: 20, atMost: 15, countryCode: nil)),
              gb: .error(.tooLong(digits: 20, atMost: 15, countryCode: nil))),
    NumberRow(input: "+999 123", us: .error(.invalidCountryCode), gb: .error(.invalidCountryCode)),
    NumberRow(input: "", us: .error(.empty), gb: .error(.empty)),
    NumberRow(input: "   ", us: .error(.empty), gb: .error(.empty)),
]

/// The table as docs/phone-numbers.md shows it, between its table markers.
func numberTableMarkdown() -> String {
    var lines = ["| Input | Default US | Default GB | Default DE | Note |", "|---|---|---|---|---|"]
    for row in numberTable {
        let input = "`" + String(reflecting: row.input) + "`"
        lines.append("| \(input) | \(row.us.markdown) | \(row.gb.markdown) | \(row.de?.markdown ?? "") | \(row.note) |")
    }
    return lines.joined(separator: "\n") + "\n"
}
