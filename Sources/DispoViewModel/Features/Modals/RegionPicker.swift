import Foundation
import PhoneNumbers

/// The one-time question "which country are your numbers in?", asked when a log form opens and no region
/// is known to read national numbers in (no `default_region`, no From number of the rep's yet). The answer
/// is remembered for the next runs; Esc leaves it unasked until the next run (only `+` numbers parse).
enum RegionChoices {
    /// A region the picker offers: its ISO code, English name and calling code.
    struct Region: Sendable, Hashable {
        let code: String
        let name: String
        let callingCode: Int
    }

    /// Every region libphonenumber knows, by name.
    static let all: [Region] = {
        let english = Locale(identifier: "en_US")
        return PhoneNumbers.supportedRegions().map { r in
            Region(code: r.region, name: english.localizedString(forRegionCode: r.region) ?? r.region, callingCode: r.callingCode)
        }.sorted { $0.name < $1.name }
    }()

    /// The regions whose code, name or calling code match `filter` (`pt`, `portu`, `+351`, `351`), best first.
    static func matching(_ filter: String) -> [Region] {
        let f = filter.trimmingCharacters(in: .whitespaces)
        if f.isEmpty { return all }
        let digits = f.hasPrefix("+") ? String(f.dropFirst()) : f
        if !digits.isEmpty, digits.allSatisfy(\.isNumber) {
            return all.filter { String($0.callingCode).hasPrefix(digits) }
                .sorted { (String($0.callingCode) == digits ? 0 : 1, $0.name) < (String($1.callingCode) == digits ? 0 : 1, $1.name) }
        }
        let exact = all.filter { $0.code.caseInsensitiveCompare(f) == .orderedSame }
        return exact + rankedForPicker(all.filter { !exact.contains($0) }, filter: f) { [$0.name, $0.code] }
    }
}

extension PickerView {
    /// The region question over the form.
    static func drawRegions(_ p: PickerState, _ canvas: inout Canvas) {
        let items = RegionChoices.matching(p.filter)
        draw(items.map { ($0.name, "\($0.code)  +\($0.callingCode)") }, p, title: "Which country are your numbers in?",
             emptyText: "No country matches (type a name, an ISO code such as PT, or +351).",
             notice: "Numbers typed without + are read in it; asked once (config default_region sets it too).", &canvas)
    }
}
