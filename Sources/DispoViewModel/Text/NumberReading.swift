import Foundation
import AmplemarketModels
import PhoneNumbers

/// What a typed number is, per libphonenumber read in the rep's default region.
public enum NumberCheck: Sendable, Equatable {
    /// A number known to be valid.
    case valid(PhoneNumber)
    /// A number of a possible length that libphonenumber does not know as assigned (a new range, an
    /// internal extension): sent only once the rep confirms it.
    case possible(PhoneNumber)
    /// Not a number that can exist: the reason, naming what is wrong.
    case problem(String)

    /// The number, valid or only possible.
    public var number: PhoneNumber? {
        switch self { case .valid(let n), .possible(let n): n; case .problem: nil }
    }
}

/// Reads `typed` (spaces, dashes, dots, parentheses, `00`/`011` prefixes, full-width digits, an
/// extension as `x12` / `ext. 12`) as a phone number, national numbers in `defaultRegion` (an ISO code
/// such as `US`; nil: only numbers with a `+` country code parse).
public func checkNumber(_ typed: String, defaultRegion: String?) -> NumberCheck {
    switch NumberBook.shared.parse(typed, defaultRegion) {
    case .success(let n): return n.isValid ? .valid(n) : .possible(n)
    case .failure(.noRegion):
        return .problem("no country code: start with + (e.g. +1 415 555 0142), or set default_region in the config")
    case .failure(let error):
        // A number read in the rep's country that does not fit it may be another country's national
        // spelling: say how to write it, not only that it is wrong here.
        switch error {
        case .tooLong(_, _, let code?), .tooShort(_, _, let code?), .wrongLength(_, _, let code):
            if !typed.contains("+"), code == PhoneNumbers.countryCode(ofRegion: defaultRegion ?? "") {
                return .problem(error.description + "; from another country? type + and its country code")
            }
        default: break
        }
        return .problem(error.description)
    }
}

/// Why `typed` cannot be sent as a phone number, or nil when it can (possibly only after a
/// confirmation: see `checkNumber`).
public func phoneNumberProblem(_ typed: String, defaultRegion: String?) -> String? {
    if case .problem(let why) = checkNumber(typed, defaultRegion: defaultRegion) { return why }
    return nil
}

/// A number as shown everywhere: international format (`+1 415-555-0142`, ` ext. 12` after it), or, when
/// it does not read as a valid number (a national spelling from another country than `defaultRegion`),
/// as stored: never rewritten into a number it may not be (the caller sanitises it like any server text).
public func shownNumber(_ raw: String, defaultRegion: String?) -> String {
    guard let n = try? NumberBook.shared.parse(raw, defaultRegion).get(), n.isValid else { return raw }
    return n.international + (n.extension.map { " ext. \($0)" } ?? "")
}

/// The key two spellings of one number share (E.164 and any extension, `+14155550142;ext=12`), or nil
/// when `raw` does not read as a valid number.
public func numberKey(_ raw: String, defaultRegion: String?) -> String? {
    guard let n = try? NumberBook.shared.parse(raw, defaultRegion).get(), n.isValid else { return nil }
    return n.wire
}

/// What the Calls `/` filter and `dispo calls search` search for `typed`: for a number query (see
/// `PhoneDigits.searchDigits`: digits and phone punctuation only, 3 digits or more) its digits, a leading
/// `+` or `00` dropped; and when libphonenumber reads it (national spellings in `defaultRegion`) as a
/// valid number, only its national significant number (`+1 415 555 0142`, `0014155550142` from PT,
/// `011 1 415 555 0142` from the US → `4155550142`), so that a call stored in a national spelling its
/// region could not read (`(415) 555-0142` kept by a rep in Portugal) is found too. Any other text as typed.
public func callSearchText(_ typed: String, defaultRegion: String?) -> String {
    guard let digits = PhoneDigits.searchDigits(typed) else { return typed }
    if let n = try? NumberBook.shared.parse(typed, defaultRegion).get(), n.isValid {
        let national = String(PhoneDigits.digits(of: n.e164).dropFirst(String(n.countryCode).count))
        if national.count >= PhoneDigits.minimumDigits, digits.hasSuffix(national) { return national }
    }
    return digits
}

/// The digit strings a call with number `raw` is found by (see `PhoneDigits`): the digits as stored and,
/// when libphonenumber reads it (national spellings in `defaultRegion`), its E.164 digits
/// (`14155550142`), its national significant number (`4155550142`) and the digits of its national
/// format (`(415) 555-0142` → `4155550142`; `020 7946 0958` → `02079460958`), without repeats.
public func numberDigitForms(_ raw: String, defaultRegion: String?) -> [String] {
    var forms = [PhoneDigits.digits(of: raw)]
    if let n = try? NumberBook.shared.parse(raw, defaultRegion).get() {
        let e164 = PhoneDigits.digits(of: n.e164)
        forms += [e164, String(e164.dropFirst(String(n.countryCode).count)), PhoneDigits.digits(of: n.national)]
    }
    var seen = Set<String>()
    return forms.filter { !$0.isEmpty && seen.insert($0).inserted }
}

/// Where a number belongs, from libphonenumber's offline geocoder (`London`, `San Francisco, CA`,
/// `Portugal`); nil when unknown or when `raw` does not parse.
public func numberPlace(_ raw: String, defaultRegion: String?) -> String? {
    guard let n = try? NumberBook.shared.parse(raw, defaultRegion).get() else { return nil }
    return NumberBook.shared.place(n)
}

/// The contact's time zone when the number's country has exactly one (per the system's
/// `zone1970.tab`); nil otherwise: a time is never guessed.
public func numberTimeZone(_ raw: String, defaultRegion: String?) -> TimeZone? {
    guard let n = try? NumberBook.shared.parse(raw, defaultRegion).get() else { return nil }
    return NumberBook.shared.zone(n)
}

/// `typed` as libphonenumber's as-you-type formatter shows it in `region` (`4155550142` →
/// `(415) 555-0142`); with no region, only numbers starting with `+` are formatted.
public func formatNumberAsTyped(_ typed: String, region: String?) -> String {
    PhoneNumbers.formatAsYouType(typed, region: region ?? "ZZ")
}

/// The region (ISO code) a number with a country code belongs to, e.g. the rep's own From number.
public func numberRegion(_ raw: String) -> String? {
    guard let n = try? NumberBook.shared.parse(raw, nil).get(), let r = n.regionCode, r != "001" else { return nil }
    return r
}

/// Parses, places and zones numbers once per spelling and region (lists redraw the same numbers on every
/// frame); bounded, so a long session's distinct numbers cannot grow it without end.
final class NumberBook: @unchecked Sendable {
    static let shared = NumberBook()
    private let lock = NSLock()
    private struct Key: Hashable { let raw: String; let region: String? }
    private var parsed: [Key: Result<PhoneNumber, PhoneNumberError>] = [:]
    private var places: [String: String?] = [:]
    private var zones: [String: TimeZone?] = [:]
    private var zoneTab: ZoneTab?
    private static let limit = 50_000

    func parse(_ raw: String, _ region: String?) -> Result<PhoneNumber, PhoneNumberError> {
        let key = Key(raw: raw, region: region)
        if let hit = lock.withLock({ parsed[key] }) { return hit }
        let result = PhoneNumbers.parse(raw, defaultRegion: region)
        lock.withLock {
            if parsed.count >= Self.limit { parsed.removeAll(keepingCapacity: true) }
            parsed[key] = result
        }
        return result
    }

    func place(_ n: PhoneNumber) -> String? {
        if let hit = lock.withLock({ places[n.e164] }) { return hit }
        let place = PhoneNumbers.place(of: n)
        lock.withLock { if places.count >= Self.limit { places.removeAll() }; places[n.e164] = place }
        return place
    }

    func zone(_ n: PhoneNumber) -> TimeZone? {
        guard let region = n.regionCode else { return nil }
        if let hit = lock.withLock({ zones[region] }) { return hit }
        let tab = lock.withLock { zoneTab } ?? ZoneTab(path: "/usr/share/zoneinfo/zone1970.tab")
        let zone = tab?.onlyZone(ofCountry: region).flatMap(TimeZone.init(identifier:))
        lock.withLock { zoneTab = tab; zones[region] = zone }
        return zone
    }
}
