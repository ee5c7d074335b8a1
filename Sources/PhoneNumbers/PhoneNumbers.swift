import CPhoneNumbers

/// Phone numbers per Google's libphonenumber (Debian's libphonenumber-dev, 8.12, linked through the
/// CPhoneNumbers C target): parsing, as-you-type formatting, the offline geocoder and the contact's
/// time zone from the system tzdata. Every function may be called from any thread.
///
/// Region codes are two-letter CLDR codes ("US", "GB", "DE"), case-insensitive here.
public enum PhoneNumbers {
    /// Whether libphonenumber has numbering rules for the region ("US" yes; "UK" no, it is "GB").
    public static func isKnownRegion(_ region: String) -> Bool {
        cpn_is_known_region(region.uppercased())
    }

    /// Every region libphonenumber has numbering rules for, with its country calling code, sorted by code
    /// (`("AD", 376)`, …, `("US", 1)`, …).
    public static func supportedRegions() -> [(region: String, callingCode: Int)] {
        guard let joined = takeCString(cpn_supported_regions()) else { return [] }
        return joined.split(separator: ",").map { r in (String(r), Int(cpn_country_code_for_region(String(r)))) }
    }

    /// The country calling code of a region (1 for "US", 44 for "GB"); nil for a region libphonenumber
    /// does not know.
    public static func countryCode(ofRegion region: String) -> Int? {
        let code = Int(cpn_country_code_for_region(region.uppercased()))
        return code == 0 ? nil : code
    }

    /// The main region for a country calling code, per libphonenumber: "US" for 1 (which Canada and
    /// the rest of the NANP share), "GB" for 44, "001" for a non-geographic code such as 800; nil
    /// for a code no one uses.
    public static func region(ofCountryCode code: Int) -> String? {
        guard let code = Int32(exactly: code) else { return nil }
        return takeCString(cpn_region_for_country_code(code))
    }

    /// Whether `a` and `b` are the same number with the same extension (or both without one): their
    /// E.164 forms and extensions are equal once parsed with `defaultRegion`. False when either does not
    /// parse. "(415) 555-0142" and "+1 415 555 0142" are the same from the US; "… x12" is not.
    public static func sameNumber(_ a: String, _ b: String, defaultRegion: String?) -> Bool {
        guard case .success(let x) = parse(a, defaultRegion: defaultRegion),
              case .success(let y) = parse(b, defaultRegion: defaultRegion) else { return false }
        return x.e164 == y.e164 && x.extension == y.extension
    }

    /// The lengths (ascending) of a national significant number libphonenumber accepts as possible for a
    /// country calling code; empty for an unknown code.
    static func possibleLengths(countryCode: Int) -> [Int] {
        guard let code = Int32(exactly: countryCode) else { return [] }
        let mask = cpn_possible_lengths(code)
        return (1...17).filter { mask & (1 << UInt32($0)) != 0 }
    }
}
