import CLoaderPages
import Foundation
import PhoneNumbers
import Testing

/// The loader's relocation tables given back: libgeocoding's (11 MB of 460 000 relocations) leaves the
/// resident set, and the geocoder, which lives in that library, still answers.
@Suite("loader relocation tables given back")
struct LoaderPagesTests {
    /// Resident kilobytes of the mappings of files whose path contains `name`, from /proc/self/smaps.
    private func residentKiB(ofMappingsNamed name: String) throws -> Int {
        // Read to the end: procfs files say they are empty, so a read sized by stat gets nothing.
        let file = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? file.close() }
        let smaps = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
        var inside = false
        var total = 0
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), first.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
                inside = fields.count > 5 && fields[5].contains(name)
            } else if inside, fields.first == "Rss:", fields.count > 1, let kib = Int(fields[1]) {
                total += kib
            }
        }
        #expect(!smaps.isEmpty)
        return total
    }

    @Test func libgeocodingsTableLeavesTheResidentSetAndPlacesStillWork() throws {
        let london = try PhoneNumbers.parse("+44 20 7946 0958", defaultRegion: nil).get()
        #expect(PhoneNumbers.place(of: london) == "London")
        let before = try residentKiB(ofMappingsNamed: "libgeocoding")
        let released = dispo_release_relocation_tables(1 << 20)
        let after = try residentKiB(ofMappingsNamed: "libgeocoding")
        #expect(released >= 8 << 20, "libgeocoding's relocation table is about 11 MB; given back: \(released) bytes")
        #expect(before - after >= 8 * 1024, "resident KiB of libgeocoding: \(before) before, \(after) after")
        let lisbon = try PhoneNumbers.parse("+351 21 234 5678", defaultRegion: nil).get()
        #expect(PhoneNumbers.place(of: lisbon) == "Lisbon")
        #expect(PhoneNumbers.place(of: london) == "London")
        // A second call finds nothing resident to give back, and does no harm.
        #expect(dispo_release_relocation_tables(1 << 20) <= released)
    }

    @Test func smallTablesAreLeftAlone() {
        // No library in this process has a relocation table of a gigabyte.
        #expect(dispo_release_relocation_tables(1 << 30) == 0)
    }
}
