import Testing
import CPhoneNumbers
import PhoneNumbers

@Suite("formatAsYouType (libphonenumber's AsYouTypeFormatter)")
struct AsYouTypeTests {
    @Test func wholeTexts() {
        let cases: [(String, String, String)] = [
            ("4155550142", "US", "(415) 555-0142"),
            ("4155", "US", "415-5"),
            ("415", "US", "415"),
            ("14155550142", "US", "1 (415) 555-0142"),
            ("+442079460958", "US", "+44 20 7946 0958"),
            ("01144207946", "US", "011 44 20 7946"),
            ("02079460958", "GB", "020 7946 0958"),
            ("912345678", "PT", "912 345 678"),
            ("+351912345678", "US", "+351 912 345 678"),
            ("030901820", "DE", "030 901820"),
            ("４１５５５５０１４２", "US", "(415) 555-0142"),
            ("4155550142", "us", "(415) 555-0142"),
            ("", "US", ""),
        ]
        for (text, region, expected) in cases {
            #expect(PhoneNumbers.formatAsYouType(text, region: region) == expected, "\(text) in \(region)")
        }
    }

    @Test func typedAndPastedPunctuationIsReplacedByTheFormattersOwn() {
        #expect(PhoneNumbers.formatAsYouType("415.555.0142", region: "US") == "(415) 555-0142")
        #expect(PhoneNumbers.formatAsYouType("(415) 555-01", region: "US") == "(415) 555-01")
        #expect(PhoneNumbers.formatAsYouType(" +44 20 7946-0958 ", region: "US") == "+44 20 7946 0958")
        // A "(0)" leaves a 0 after the country code, which no UK format takes: libphonenumber gives up.
        #expect(PhoneNumbers.formatAsYouType(" +44 (0)20 7946-0958 ", region: "US") == "+4402079460958")
        #expect(PhoneNumbers.formatAsYouType("--", region: "US") == "")
    }

    @Test func lettersStopTheFormatting() {
        #expect(PhoneNumbers.formatAsYouType("1-800-FLOWERS", region: "US") == "1800FLOWERS")
        #expect(PhoneNumbers.formatAsYouType("415 555 0142 x12", region: "US") == "4155550142x12")
    }

    @Test func unknownRegionsFormatOnlyInternationalNumbers() {
        #expect(PhoneNumbers.formatAsYouType("4155550142", region: "ZZ") == "4155550142")
        #expect(PhoneNumbers.formatAsYouType("+14155550142", region: "ZZ") == "+1 415-555-0142")
        #expect(PhoneNumbers.formatAsYouType("+14155550142", region: "") == "+1 415-555-0142")
    }

    /// The C formatter one keystroke at a time: what a field shows after each digit.
    @Test func keystrokeByKeystroke() {
        let f = cpn_formatter_create("US")!
        defer { cpn_formatter_destroy(f) }
        var shown: [String] = []
        for scalar in "4155550142".unicodeScalars {
            let p = cpn_formatter_input(f, scalar.value)!
            shown.append(String(cString: p))
            cpn_free(p)
        }
        #expect(shown == ["4", "41", "415", "415-5", "415-55", "415-555", "415-5550", "(415) 555-01",
                          "(415) 555-014", "(415) 555-0142"])
        cpn_formatter_clear(f)
        let p = cpn_formatter_input(f, UInt32(("7" as Unicode.Scalar).value))!
        #expect(String(cString: p) == "7")
        cpn_free(p)
    }
}
