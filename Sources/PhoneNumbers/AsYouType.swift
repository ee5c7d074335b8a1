import CPhoneNumbers

extension PhoneNumbers {
    /// `text` formatted the way libphonenumber's AsYouTypeFormatter shows it after each character was
    /// typed, for a rep dialling from `region` ("US"): "4155" → "415-5", "4155550142" → "(415) 555-0142",
    /// "+442079460958" → "+44 20 7946 0958".
    ///
    /// Spaces and punctuation in `text` are dropped first, so the formatter's grouping replaces
    /// whatever was typed or pasted ("415.555.0142" → "(415) 555-0142"); fed to libphonenumber they would
    /// make it stop formatting and echo the text. Digits (any script, full-width ones come back ASCII),
    /// "+" and letters are kept; a letter makes libphonenumber stop formatting, so vanity numbers and
    /// extensions come back as typed, without the dropped characters. An unknown region formats only
    /// numbers that start with "+". Empty text gives "".
    public static func formatAsYouType(_ text: String, region: String) -> String {
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.filter {
            $0 == "+" || $0 == "\u{FF0B}" || $0.properties.numericType == .decimal || $0.properties.isAlphabetic
        })
        let input = String(kept)
        if input.isEmpty { return "" }
        return takeCString(cpn_format_as_you_type(input, region.uppercased())) ?? input
    }
}
