import Foundation

/// The zones of tzdata's zone1970.tab, by country. Each line that is not a comment holds
/// comma-separated country codes, coordinates, a zone name and maybe a comment, separated by tabs;
/// a zone belongs to every country its line names ("GB,GG,IM,JE … Europe/London").
public struct ZoneTab: Sendable, Equatable {
    /// Zone names by upper-case country code, in file order, each zone once.
    public let zonesByCountry: [String: [String]]

    /// Reads a zone1970.tab text. Blank lines, comments ("#") and lines without a zone column are
    /// skipped.
    public init(contents: String) {
        var zones: [String: [String]] = [:]
        for line in contents.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 3 else { continue }
            let zone = columns[2].trimmingCharacters(in: .whitespaces)
            guard !zone.isEmpty else { continue }
            for code in columns[0].split(separator: ",") {
                let country = code.trimmingCharacters(in: .whitespaces).uppercased()
                guard !country.isEmpty, zones[country]?.contains(zone) != true else { continue }
                zones[country, default: []].append(zone)
            }
        }
        zonesByCountry = zones
    }

    /// Reads the file at `path`; nil when it cannot be read as UTF-8.
    public init?(path: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        self.init(contents: text)
    }

    /// The country's zone when it has exactly one ("GB" → "Europe/London", "JP" → "Asia/Tokyo");
    /// nil when it has several ("PT": Lisbon, Madeira, Azores; "US"; "DE": Berlin and, for Büsingen,
    /// Zurich) or none.
    public func onlyZone(ofCountry country: String) -> String? {
        guard let zones = zonesByCountry[country.uppercased()], zones.count == 1 else { return nil }
        return zones[0]
    }
}

extension PhoneNumbers {
    /// The IANA time zone of the number's country ("Europe/London" for +44 20…), only when that
    /// country has exactly one zone in `zoneTab` (tzdata's zone1970.tab); nil when it has several
    /// (+1 numbers, Portugal, Brazil, Germany) or none, when the number's region is unknown (a number
    /// only possible, not valid, under a shared code) or non-geographic, or when the file cannot be
    /// read. It never guesses a zone from an area code.
    ///
    /// Reads the file on each call; to read it once, keep a ``ZoneTab`` and call
    /// ``ZoneTab/onlyZone(ofCountry:)`` with ``PhoneNumber/regionCode``.
    public static func timeZone(of number: PhoneNumber,
                                zoneTab path: String = "/usr/share/zoneinfo/zone1970.tab") -> String? {
        guard let region = number.regionCode, region != "001", let tab = ZoneTab(path: path) else { return nil }
        return tab.onlyZone(ofCountry: region)
    }
}
