import Testing
import PhoneNumbers

@Suite("sameNumber: E.164 and extension")
struct SameNumberTests {
    @Test func spellingsOfOneNumberAreTheSame() {
        let spellings = ["(415) 555-0142", "415.555.0142", "1-415-555-0142", "+1 415 555 0142",
                         "４１５５５５０１４２", "tel:+1-415-555-0142", "  415 - 555 - 0142  "]
        for a in spellings {
            for b in spellings { #expect(PhoneNumbers.sameNumber(a, b, defaultRegion: "US"), "\(a) vs \(b)") }
        }
        #expect(PhoneNumbers.sameNumber("011 44 20 7946 0958", "+44 20 7946 0958", defaultRegion: "US"))
        #expect(PhoneNumbers.sameNumber("020 7946 0958", "+44 20 7946 0958", defaultRegion: "GB"))
        #expect(PhoneNumbers.sameNumber("00 49 30 901820", "+49 (0)30 901820", defaultRegion: "GB"))
    }

    @Test func extensionsMustMatch() {
        #expect(PhoneNumbers.sameNumber("415-555-0142 ext. 12", "+1 415 555 0142 x12", defaultRegion: "US"))
        #expect(PhoneNumbers.sameNumber("+14155550142;ext=12", "4155550142#12", defaultRegion: "US"))
        #expect(PhoneNumbers.sameNumber("415-555-0142 extension 12", "+14155550142;ext=12", defaultRegion: "US"))
        #expect(!PhoneNumbers.sameNumber("415-555-0142 ext. 12", "415-555-0142", defaultRegion: "US"))
        #expect(!PhoneNumbers.sameNumber("415-555-0142 ext. 12", "415-555-0142 ext. 13", defaultRegion: "US"))
    }

    @Test func theDefaultRegionDecidesWhatNationalDigitsMean() {
        #expect(PhoneNumbers.sameNumber("(415) 555-0142", "+1 415 555 0142", defaultRegion: "US"))
        #expect(!PhoneNumbers.sameNumber("(415) 555-0142", "+1 415 555 0142", defaultRegion: "GB"))
    }

    @Test func whatDoesNotParseIsNeverTheSame() {
        #expect(!PhoneNumbers.sameNumber("call me", "call me", defaultRegion: "US"))
        #expect(!PhoneNumbers.sameNumber("", "", defaultRegion: "US"))
        #expect(!PhoneNumbers.sameNumber("123", "123", defaultRegion: "US"))
        #expect(!PhoneNumbers.sameNumber("415 555 0142", "415 555 0142", defaultRegion: nil))
        #expect(!PhoneNumbers.sameNumber("+1 415 555 0142", "call me", defaultRegion: "US"))
    }
}
