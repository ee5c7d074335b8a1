import Testing
import PhoneNumbers

@Suite("Parsing: fields, errors and their messages")
struct ParseTests {
    @Test func aUSNumberHasEveryField() throws {
        let n = try PhoneNumbers.parse("(415) 555-0142", defaultRegion: "US").get()
        #expect(n.e164 == "+14155550142")
        #expect(n.extension == nil)
        #expect(n.countryCode == 1)
        #expect(n.regionCode == "US")
        #expect(n.international == "+1 415-555-0142")
        #expect(n.national == "(415) 555-0142")
        #expect(n.wire == "+14155550142")
        #expect(n.isValid)
    }

    @Test func formatsLeaveTheExtensionOut() throws {
        let n = try PhoneNumbers.parse("415-555-0142 ext. 12", defaultRegion: "US").get()
        #expect(n.e164 == "+14155550142")
        #expect(n.extension == "12")
        #expect(n.international == "+1 415-555-0142")
        #expect(n.national == "(415) 555-0142")
        #expect(n.wire == "+14155550142;ext=12")
        #expect(n.description == n.wire)
    }

    @Test func otherCountriesFormatTheirOwnWay() throws {
        let uk = try PhoneNumbers.parse("020 7946 0958", defaultRegion: "GB").get()
        #expect(uk.international == "+44 20 7946 0958")
        #expect(uk.national == "020 7946 0958")
        #expect(uk.regionCode == "GB")
        let br = try PhoneNumbers.parse("+55 11 91234-5678", defaultRegion: nil).get()
        #expect(br.national == "(11) 91234-5678")
        #expect(br.regionCode == "BR")
        let jp = try PhoneNumbers.parse("+81 3-1234-5678", defaultRegion: nil).get()
        #expect(jp.national == "03-1234-5678")
        let freephone = try PhoneNumbers.parse("+800 1234 5678", defaultRegion: nil).get()
        #expect(freephone.regionCode == "001")
    }

    @Test func aPossibleButNotValidNumberParsesWithItsFlagDown() throws {
        let n = try PhoneNumbers.parse("+1 555 555 0142", defaultRegion: "US").get()
        #expect(!n.isValid)
        #expect(n.e164 == "+15555550142")
        #expect(n.regionCode == nil)  // +1 is shared by the NANP; libphonenumber cannot tell which
        let uk = try PhoneNumbers.parse("+44 7700 900123", defaultRegion: "US").get()
        #expect(!uk.isValid)
        #expect(uk.national == "07700 900123")
    }

    @Test func theWireFormReadsBackFromAnyRegion() throws {
        for input in ["(415) 555-0142", "415-555-0142 ext. 12", "020 7946 0958"] {
            for region in ["US", "GB"] {
                guard case .success(let n) = PhoneNumbers.parse(input, defaultRegion: region) else { continue }
                for other in ["US", "GB", "DE", nil] {
                    #expect(try PhoneNumbers.parse(n.wire, defaultRegion: other).get() == n)
                }
            }
        }
    }

    @Test func nationalNumbersNeedAKnownRegion() {
        #expect(PhoneNumbers.parse("415 555 0142", defaultRegion: nil) == .failure(.noRegion))
        #expect(PhoneNumbers.parse("415 555 0142", defaultRegion: "") == .failure(.noRegion))
        #expect(PhoneNumbers.parse("415 555 0142", defaultRegion: "XX") == .failure(.unknownRegion("XX")))
        #expect(PhoneNumbers.parse("415 555 0142", defaultRegion: "UK") == .failure(.unknownRegion("UK")))
        // An international number needs none, and an unknown one does not matter to it.
        #expect(Answer(PhoneNumbers.parse("+44 20 7946 0958", defaultRegion: nil)) == .valid("+442079460958"))
        #expect(Answer(PhoneNumbers.parse("＋44 20 7946 0958", defaultRegion: "XX")) == .valid("+442079460958"))
        #expect(PhoneNumbers.parse("+999 123", defaultRegion: nil) == .failure(.invalidCountryCode))
        // A bad code after the region's international prefix is a bad code, not a missing region.
        #expect(PhoneNumbers.parse("011 999 123", defaultRegion: "US") == .failure(.invalidCountryCode))
    }

    @Test func regionsAreCaseInsensitive() {
        #expect(Answer(PhoneNumbers.parse("(415) 555-0142", defaultRegion: "us")) == .valid("+14155550142"))
        #expect(PhoneNumbers.isKnownRegion("gb"))
    }

    @Test func messagesNameWhatIsWrong() {
        let cases: [(PhoneNumberError, String)] = [
            (.empty, "empty: no phone number given"),
            (.notANumber, "not a phone number: it needs at least 2 digits, and words are not a number"),
            (.invalidCountryCode, "invalid country code: no country uses the digits after + (or the international prefix)"),
            (.noRegion, "no country: a number without + needs a default region to say which country it is in"),
            (.unknownRegion("XX"), "unknown region \"XX\": a number without + needs a known default region"),
            (.tooShortAfterInternationalPrefix, "too short: too few digits after the international prefix"),
            (.tooShort(digits: 3, atLeast: 10, countryCode: 1), "too short: 3 digits, at least 10 for +1"),
            (.tooShort(digits: 3, atLeast: nil, countryCode: nil), "too short: 3 digits"),
            (.tooLong(digits: 20, atMost: 15, countryCode: nil), "too long: 20 digits, at most 15 (E.164)"),
            (.tooLong(digits: 12, atMost: 10, countryCode: 1), "too long: 12 digits, at most 10 for +1"),
            (.wrongLength(digits: 8, possible: [7, 9, 10], countryCode: 44),
             "wrong length: 8 digits, +44 numbers have 7, 9 or 10"),
        ]
        for (error, message) in cases { #expect(error.description == message) }
    }

    @Test func theMessageForWhatWasTypedIsTheOneInTheExample() {
        guard case .failure(let e) = PhoneNumbers.parse("12345678901234567890", defaultRegion: "US") else {
            Issue.record("parsed")
            return
        }
        #expect("\(e)" == "too long: 20 digits, at most 15 (E.164)")
    }

    @Test func regionsAndCountryCodes() {
        #expect(PhoneNumbers.isKnownRegion("US"))
        #expect(PhoneNumbers.isKnownRegion("PT"))
        #expect(!PhoneNumbers.isKnownRegion("UK"))
        #expect(!PhoneNumbers.isKnownRegion("ZZ"))
        #expect(!PhoneNumbers.isKnownRegion(""))
        #expect(PhoneNumbers.region(ofCountryCode: 1) == "US")
        #expect(PhoneNumbers.region(ofCountryCode: 44) == "GB")
        #expect(PhoneNumbers.region(ofCountryCode: 351) == "PT")
        #expect(PhoneNumbers.region(ofCountryCode: 800) == "001")
        #expect(PhoneNumbers.region(ofCountryCode: 999) == nil)
        #expect(PhoneNumbers.region(ofCountryCode: 0) == nil)
        #expect(PhoneNumbers.region(ofCountryCode: Int.max) == nil)
    }

    @Test func manyThreadsParseAtOnce() async {
        await withTaskGroup(of: Bool.self) { group in
            for i in 0..<200 {
                group.addTask {
                    let n = try? PhoneNumbers.parse("+1 415 555 \(fourDigits(100 + i))", defaultRegion: nil).get()
                    let place = n.flatMap { PhoneNumbers.place(of: $0) }
                    return n?.isValid == true && place == "San Francisco, CA"
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}

/// `n` as 4 digits, zero-padded.
private func fourDigits(_ n: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
}
