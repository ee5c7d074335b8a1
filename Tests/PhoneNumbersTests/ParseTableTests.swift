import Foundation
import Testing
import PhoneNumbers

@Suite("Parse table (libphonenumber's answers, two default regions)")
struct ParseTableTests {
    @Test(arguments: numberTable.map(\.input))
    func fromTheUS(_ input: String) {
        let row = numberTable.first { $0.input == input }!
        #expect(Answer(PhoneNumbers.parse(input, defaultRegion: "US")) == row.us, "\(String(reflecting: input))")
    }

    @Test(arguments: numberTable.map(\.input))
    func fromGB(_ input: String) {
        let row = numberTable.first { $0.input == input }!
        #expect(Answer(PhoneNumbers.parse(input, defaultRegion: "GB")) == row.gb, "\(String(reflecting: input))")
    }

    @Test func fromDE() {
        for row in numberTable {
            guard let de = row.de else { continue }
            #expect(Answer(PhoneNumbers.parse(row.input, defaultRegion: "DE")) == de, "\(String(reflecting: row.input))")
        }
    }

    @Test func tableIsLargeAndDistinct() {
        #expect(numberTable.count >= 30)
        #expect(Set(numberTable.map(\.input)).count == numberTable.count)
    }

    /// docs/phone-numbers.md shows this table; with DISPO_UPDATE_SNAPSHOTS=1 the test rewrites it there.
    @Test func docsShowTheTable() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/phone-numbers.md")
        let start = "<!-- number-table:start -->\n", end = "<!-- number-table:end -->"
        let text = try String(contentsOf: doc, encoding: .utf8)
        guard let a = text.range(of: start), let b = text.range(of: end, range: a.upperBound..<text.endIndex) else {
            Issue.record("docs/phone-numbers.md has no table markers")
            return
        }
        let table = numberTableMarkdown()
        if ProcessInfo.processInfo.environment["DISPO_UPDATE_SNAPSHOTS"] == "1" {
            try text.replacingCharacters(in: a.upperBound..<b.lowerBound, with: table)
                .write(to: doc, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(text[a.upperBound..<b.lowerBound]) == table,
                "docs/phone-numbers.md's table differs (run with DISPO_UPDATE_SNAPSHOTS=1 and review it)")
    }
}
