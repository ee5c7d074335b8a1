import CPhoneNumbers

extension PhoneNumbers {
    /// Where the number is, per libphonenumber's offline geocoder: a city or area for many fixed lines
    /// ("London" for +44 20…, "San Francisco, CA" for +1 415…), else the country ("Portugal" for a
    /// Portuguese mobile), in `locale`'s language when the geocoder has it ("en", "en_US", "pt_PT":
    /// "Lisboa"). Nil when the geocoder has nothing: a number that is not valid (only possible), or a
    /// non-geographic one such as +800.
    public static func place(of number: PhoneNumber, locale: String = "en") -> String? {
        guard let place = takeCString(cpn_describe_place(number.e164, "", locale)), !place.isEmpty
        else { return nil }
        return place
    }
}
