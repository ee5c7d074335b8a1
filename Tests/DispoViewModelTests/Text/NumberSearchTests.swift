import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Calls found by a number in any spelling or a run of its digits: which queries are numbers and what
/// digits they stand for, the digit forms a number is found by, and the Calls `/` filter with them.
@Suite("Number search") struct NumberSearchTests {
    @Test func aQueryOfDigitsAndPhonePunctuationIsSearchedByItsDigits() {
        #expect(PhoneDigits.searchDigits("(415) 555-0142") == "4155550142")
        #expect(PhoneDigits.searchDigits("415-555-0142") == "4155550142")
        #expect(PhoneDigits.searchDigits("415.555.0142") == "4155550142")
        #expect(PhoneDigits.searchDigits("+1 415 555 0142") == "14155550142")
        #expect(PhoneDigits.searchDigits("0014155550142") == "14155550142", "the 00 international prefix is dropped")
        #expect(PhoneDigits.searchDigits(" 912 345 678 ") == "912345678")
        #expect(PhoneDigits.searchDigits("5550142") == "5550142")
        #expect(PhoneDigits.searchDigits("+1 (415) 555/0142") == "14155550142")
        #expect(PhoneDigits.searchDigits("４１５５５５０１４２") == "4155550142", "full-width digits")
        #expect(PhoneDigits.searchDigits("555") == "555")
    }

    @Test func otherQueriesAreText() {
        #expect(PhoneDigits.searchDigits("42") == nil, "fewer than 3 digits")
        #expect(PhoneDigits.searchDigits("00 1") == nil, "fewer than 3 digits once 00 is dropped")
        #expect(PhoneDigits.searchDigits("Ana 555") == nil)
        #expect(PhoneDigits.searchDigits("415 555 0142 x12") == nil)
        #expect(PhoneDigits.searchDigits("1,000") == nil)
        #expect(PhoneDigits.searchDigits("") == nil)
        #expect(PhoneDigits.searchDigits("+-()") == nil)
    }

    @Test func indexWordsAreEverySuffixOfThreeDigitsOrMore() {
        #expect(PhoneDigits.indexWords(["14155", "4155"]) == ["14155", "4155", "155"])
        #expect(PhoneDigits.indexWords(["12"]).isEmpty)
    }

    @Test func aNumberIsFoundByItsE164NationalAndStoredDigits() {
        #expect(numberDigitForms("+14155550142", defaultRegion: "PT") == ["14155550142", "4155550142"])
        #expect(numberDigitForms("+351912345678", defaultRegion: "PT") == ["351912345678", "912345678"])
        #expect(numberDigitForms("+442079460958", defaultRegion: "PT") == ["442079460958", "2079460958", "02079460958"],
                "the national format keeps the trunk 0")
        #expect(numberDigitForms("020 7946 0958", defaultRegion: "GB") == ["02079460958", "442079460958", "2079460958"])
        #expect(numberDigitForms("12", defaultRegion: "PT") == ["12"], "not a number: its digits as stored")
    }

    @Test func aValidNumberIsSearchedByItsNationalSignificantNumber() {
        #expect(callSearchText("011 1 415 555 0142", defaultRegion: "US") == "4155550142", "the US international prefix")
        #expect(callSearchText("+1 415 555 0142", defaultRegion: "PT") == "4155550142")
        #expect(callSearchText("0014155550142", defaultRegion: "PT") == "4155550142")
        #expect(callSearchText("+351 912 345 678", defaultRegion: "US") == "912345678")
        #expect(callSearchText("(415) 555-0142", defaultRegion: "PT") == "4155550142", "not valid in PT: its digits")
        #expect(callSearchText("+1 555 555 0142", defaultRegion: "PT") == "15555550142", "only possible, not valid: its digits")
        #expect(callSearchText("5550142", defaultRegion: "US") == "5550142")
        #expect(callSearchText("pricing 2025", defaultRegion: "PT") == "pricing 2025")
    }

    @Test func slashFindsEverySpellingAndNoOtherNumberInPortugal() {
        let at = { (i: Int) in fixtureNow.addingTimeInterval(Double(-60 * i)) }
        let calls = [
            Call(id: "us", from: "+351 210 000 000", to: "+14155550142", userID: "u-1", startDate: at(0)),
            Call(id: "other", from: "+351 210 000 000", to: "+14155550199", userID: "u-1", startDate: at(1)),
            Call(id: "pt", from: "+351 210 000 000", to: "+351912345678", userID: "u-1", startDate: at(2)),
            // Kept in a national spelling that Portugal does not read: found by its digits as stored.
            Call(id: "usn", from: "+351 210 000 000", to: "(415) 555-0142", userID: "u-1", startDate: at(3)),
        ]
        useUTF8Locale()
        var s = Fixtures.ready(calls: calls)
        s.environment.defaultRegion = "PT"
        press(&s, .char("2"), .char("/"))
        for typed in ["(415) 555-0142", "4155550142", "415-555-0142", "+1 415 555 0142", "0014155550142", "5550142"] {
            type(&s, typed)
            #expect(s.calls.list.matches?.map { s.calls.list.items[$0].id } == ["us", "usn"], "\(typed)")
            for _ in typed { press(&s, .backspace) }
        }
        type(&s, "912 345 678")
        #expect(s.calls.list.matches?.map { s.calls.list.items[$0].id } == ["pt"])
        for _ in 0..<11 { press(&s, .backspace) }
        type(&s, "415 555 01")
        #expect(s.calls.list.matches?.map { s.calls.list.items[$0].id } == ["us", "other", "usn"])
    }
}
