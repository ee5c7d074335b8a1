/// A phone number that libphonenumber parsed and found to have a possible length for its country.
///
/// Values come only from ``PhoneNumbers/parse(_:defaultRegion:)``. Two values are equal when every
/// field is; to compare what people typed, use ``PhoneNumbers/sameNumber(_:_:defaultRegion:)``.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number in E.164 form: "+", the country calling code, the national significant number, no
    /// spaces and never the extension, e.g. "+14155550142" (at most 15 digits).
    public let e164: String

    /// The extension's digits without any label ("12" for "ext. 12", "x12", "#12", ";ext=12"), or nil.
    public let `extension`: String?

    /// The country calling code, e.g. 1 for "+1 415…", 44 for "+44 20…".
    public let countryCode: Int

    /// The two-letter CLDR region the number belongs to ("US", "GB", "PT"), per libphonenumber; "001"
    /// for non-geographic codes such as +800; nil when libphonenumber cannot tell (a number that is
    /// possible but not valid under a code several regions share, such as +1 or +44).
    public let regionCode: String?

    /// International format per libphonenumber, without the extension: "+1 415-555-0142".
    public let international: String

    /// National format per libphonenumber, without the extension: "(415) 555-0142", "020 7946 0958".
    public let national: String

    /// True when libphonenumber knows the number as valid (its length and its number range are assigned
    /// in the region); false when it is only possible (a right length, e.g. "+1 555 555 0142"), which
    /// the UI should confirm with the rep before dialling or saving it.
    public let isValid: Bool

    init(e164: String, extension ext: String?, countryCode: Int, regionCode: String?,
         international: String, national: String, isValid: Bool) {
        self.e164 = e164
        self.extension = ext
        self.countryCode = countryCode
        self.regionCode = regionCode
        self.international = international
        self.national = national
        self.isValid = isValid
    }

    /// What to store and send: ``e164``, followed by ";ext=" and the extension when there is one, as in
    /// RFC 3966 ("+14155550142;ext=12"). ``PhoneNumbers/parse(_:defaultRegion:)`` reads it back to the
    /// same number with any default region.
    public var wire: String {
        guard let ext = `extension` else { return e164 }
        return "\(e164);ext=\(ext)"
    }

    /// The ``wire`` form.
    public var description: String { wire }
}
