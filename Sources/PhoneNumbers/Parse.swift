import CPhoneNumbers

extension PhoneNumbers {
    /// Parses what a rep typed or pasted, per libphonenumber.
    ///
    /// - Parameters:
    ///   - text: the number as written: "+44 20 7946 0958", "(415) 555-0142", "415.555.0142",
    ///     "011 44 20 7946 0958" (an international prefix of the default region), full-width digits
    ///     ("４１５５５５０１４２"), vanity letters ("1-800-FLOWERS" is +18003569377), and an extension
    ///     after "ext.", "x", "#" or ";ext=". Spaces, dashes, dots, slashes and parentheses are ignored.
    ///   - defaultRegion: the country of a number written without "+" or an international prefix
    ///     ("US"), case-insensitive; nil when there is none (then only international numbers parse).
    ///     Note that its international prefix applies: from the US, "00 49 …" is not Germany (the US
    ///     prefix is 011) but a US national number, which is too long.
    /// - Returns: the number when its length is possible for its country; ``PhoneNumber/isValid``
    ///   then says whether libphonenumber also knows it as valid. Otherwise the reason, including
    ///   impossible lengths (``PhoneNumberError/tooShort(digits:atLeast:countryCode:)`` and its kin).
    public static func parse(_ text: String, defaultRegion: String?) -> Result<PhoneNumber, PhoneNumberError> {
        if text.allSatisfy(\.isWhitespace) { return .failure(.empty) }
        let region = defaultRegion?.uppercased() ?? ""
        var result = cpn_parse(text, region)
        defer { cpn_parse_result_release(&result) }

        switch result.error {
        case CPN_PARSE_OK:
            break
        case CPN_PARSE_INVALID_COUNTRY_CODE:
            // libphonenumber says "invalid country code" also when a national number has no region.
            if startsWithPlus(text) || isKnownRegion(region) { return .failure(.invalidCountryCode) }
            return .failure(region.isEmpty ? .noRegion : .unknownRegion(defaultRegion ?? region))
        case CPN_PARSE_TOO_SHORT_AFTER_IDD:
            return .failure(.tooShortAfterInternationalPrefix)
        case CPN_PARSE_TOO_SHORT:
            return .failure(.tooShort(digits: Int(result.input_digits), atLeast: nil, countryCode: nil))
        case CPN_PARSE_TOO_LONG:
            return .failure(.tooLong(digits: Int(result.input_digits), atMost: 15, countryCode: nil))
        default:  // CPN_PARSE_NOT_A_NUMBER
            return .failure(.notANumber)
        }

        let code = Int(result.country_code)
        let digits = Int(result.national_digits)
        switch result.possibility {
        case CPN_POSSIBLE:
            break
        case CPN_POSSIBLE_INVALID_COUNTRY_CODE:
            return .failure(.invalidCountryCode)
        case CPN_POSSIBLE_LOCAL_ONLY, CPN_POSSIBLE_TOO_SHORT:
            let longer = possibleLengths(countryCode: code).first { $0 > digits }
            return .failure(.tooShort(digits: digits, atLeast: longer, countryCode: code))
        case CPN_POSSIBLE_TOO_LONG:
            let longest = possibleLengths(countryCode: code).last ?? digits - 1
            return .failure(.tooLong(digits: digits, atMost: longest, countryCode: code))
        default:  // CPN_POSSIBLE_INVALID_LENGTH
            return .failure(.wrongLength(digits: digits, possible: possibleLengths(countryCode: code),
                                         countryCode: code))
        }

        return .success(PhoneNumber(
            e164: copyCString(result.e164) ?? "",
            extension: copyCString(result.extension),
            countryCode: code,
            regionCode: copyCString(result.region_code),
            international: copyCString(result.international) ?? "",
            national: copyCString(result.national) ?? "",
            isValid: result.is_valid))
    }

    /// Whether the number in `text` is written internationally: the first digit or plus sign in it
    /// (where libphonenumber starts reading) is "+" or a full-width "＋".
    private static func startsWithPlus(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first(where: {
            $0 == "+" || $0 == "\u{FF0B}" || $0.properties.numericType == .decimal
        }) else { return false }
        return first != "+" ? first == "\u{FF0B}" : true
    }
}
