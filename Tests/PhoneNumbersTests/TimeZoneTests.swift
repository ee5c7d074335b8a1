import Foundation
import Testing
import PhoneNumbers

@Suite("timeZone: a country's only zone in zone1970.tab")
struct TimeZoneTests {
    /// A small zone1970.tab in tzdata's format: a country column of comma-separated codes, tabs.
    static let tab = """
        # tzdb timezone descriptions, a test excerpt
        #
        #codes\tcoordinates\tTZ\tcomments
        GB,GG,IM,JE\t+513030-0000731\tEurope/London
        PT\t+3843-00908\tEurope/Lisbon\tPortugal (mainland)
        PT\t+3238-01654\tAtlantic/Madeira\tMadeira Islands
        PT\t+3744-02540\tAtlantic/Azores\tAzores
        CH,DE,LI\t+4723+00832\tEurope/Zurich\tBüsingen
        DE,DK,NO,SE,SJ\t+5230+01322\tEurope/Berlin\tmost of Germany
        JP,AU\t+353916+1394441\tAsia/Tokyo\tEyre Bird Observatory
        IN\t+2232+08822\tAsia/Kolkata
        US\t+404251-0740023\tAmerica/New_York\tEastern (most areas)
        US\t+340308-1181434\tAmerica/Los_Angeles\tPacific

        broken line without tabs
        """

    /// Writes `tab` to a new temporary file and returns its path.
    private func writeTab() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("zone1970-\(UUID().uuidString).tab").path
        try Self.tab.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func number(_ text: String) throws -> PhoneNumber {
        try PhoneNumbers.parse(text, defaultRegion: nil).get()
    }

    @Test func countsZonesPerCountryAcrossSharedLines() {
        let zones = ZoneTab(contents: Self.tab)
        #expect(zones.zonesByCountry["GB"] == ["Europe/London"])
        #expect(zones.zonesByCountry["JE"] == ["Europe/London"])
        #expect(zones.zonesByCountry["PT"] == ["Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores"])
        #expect(zones.zonesByCountry["DE"] == ["Europe/Zurich", "Europe/Berlin"])
        #expect(zones.zonesByCountry["AU"] == ["Asia/Tokyo"])
        #expect(zones.onlyZone(ofCountry: "gb") == "Europe/London")
        #expect(zones.onlyZone(ofCountry: "CH") == "Europe/Zurich")
        #expect(zones.onlyZone(ofCountry: "PT") == nil)
        #expect(zones.onlyZone(ofCountry: "DE") == nil)
        #expect(zones.onlyZone(ofCountry: "FR") == nil)
    }

    @Test func fromATemporaryTab() throws {
        let path = try writeTab()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(PhoneNumbers.timeZone(of: try number("+44 20 7946 0958"), zoneTab: path) == "Europe/London")
        #expect(PhoneNumbers.timeZone(of: try number("+81 3-1234-5678"), zoneTab: path) == "Asia/Tokyo")
        #expect(PhoneNumbers.timeZone(of: try number("+91 98765 43210"), zoneTab: path) == "Asia/Kolkata")
        #expect(PhoneNumbers.timeZone(of: try number("+351 912 345 678"), zoneTab: path) == nil)  // 3 zones
        #expect(PhoneNumbers.timeZone(of: try number("+49 30 901820"), zoneTab: path) == nil)     // 2 zones
        #expect(PhoneNumbers.timeZone(of: try number("+1 415 555 0142"), zoneTab: path) == nil)   // 2 zones
        #expect(PhoneNumbers.timeZone(of: try number("+33 1 23 45 67 89"), zoneTab: path) == nil) // FR absent
        #expect(PhoneNumbers.timeZone(of: try number("+800 1234 5678"), zoneTab: path) == nil)    // 001
        #expect(PhoneNumbers.timeZone(of: try number("+44 7700 900123"), zoneTab: path) == nil)   // no region
    }

    @Test func anUnreadableTabGivesNil() throws {
        #expect(PhoneNumbers.timeZone(of: try number("+44 20 7946 0958"), zoneTab: "/nonexistent/zone1970.tab") == nil)
    }

    /// The system's tzdata, as installed here (Debian tzdata).
    @Test func fromTheSystemTab() throws {
        #expect(PhoneNumbers.timeZone(of: try number("+44 20 7946 0958")) == "Europe/London")
        #expect(PhoneNumbers.timeZone(of: try number("+351 21 234 5678")) == nil)  // Lisbon, Madeira, Azores
        #expect(PhoneNumbers.timeZone(of: try number("+1 415 555 0142")) == nil)
        #expect(PhoneNumbers.timeZone(of: try number("+55 11 91234-5678")) == nil)
        #expect(PhoneNumbers.timeZone(of: try number("+49 30 901820")) == nil)     // Berlin and Zurich (Büsingen)
        #expect(PhoneNumbers.timeZone(of: try number("+91 98765 43210")) == "Asia/Kolkata")
    }
}
