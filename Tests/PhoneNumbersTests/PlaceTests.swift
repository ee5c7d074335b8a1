import Testing
import PhoneNumbers

@Suite("place (libphonenumber's offline geocoder)")
struct PlaceTests {
    private func number(_ text: String) throws -> PhoneNumber {
        try PhoneNumbers.parse(text, defaultRegion: nil).get()
    }

    @Test func citiesAndCountries() throws {
        #expect(PhoneNumbers.place(of: try number("+44 20 7946 0958")) == "London")
        #expect(PhoneNumbers.place(of: try number("+1 415 555 0142")) == "San Francisco, CA")
        #expect(PhoneNumbers.place(of: try number("+1 201 555 0123")) == "New Jersey")
        #expect(PhoneNumbers.place(of: try number("+351 912 345 678")) == "Portugal")  // a mobile
        #expect(PhoneNumbers.place(of: try number("+351 21 234 5678")) == "Lisbon")
        #expect(PhoneNumbers.place(of: try number("+49 30 901820")) == "Berlin")
        #expect(PhoneNumbers.place(of: try number("+81 3-1234-5678")) == "Tokyo")
        #expect(PhoneNumbers.place(of: try number("+55 11 91234-5678")) == "São Paulo")
        #expect(PhoneNumbers.place(of: try number("+91 98765 43210")) == "India")
        #expect(PhoneNumbers.place(of: try number("+1 800 356 9377")) == "United States")  // toll free
    }

    @Test func inTheLocalesLanguage() throws {
        #expect(PhoneNumbers.place(of: try number("+351 21 234 5678"), locale: "pt_PT") == "Lisboa")
        #expect(PhoneNumbers.place(of: try number("+91 98765 43210"), locale: "de") == "Indien")
        #expect(PhoneNumbers.place(of: try number("+91 98765 43210"), locale: "fr") == "Inde")
        #expect(PhoneNumbers.place(of: try number("+44 20 7946 0958"), locale: "en_US") == "London")
    }

    @Test func nothingForNumbersWithoutAPlace() throws {
        #expect(PhoneNumbers.place(of: try number("+800 1234 5678")) == nil)   // non-geographic
        #expect(PhoneNumbers.place(of: try number("+44 7700 900123")) == nil)  // possible, not valid
        #expect(PhoneNumbers.place(of: try number("+1 555 555 0142")) == nil)
    }
}
