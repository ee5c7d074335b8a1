import Foundation
import Synchronization

/// List dates as already written, by their second, the date style and the time zone: a list
/// redraws the same rows' dates on every frame, and working one out (the zone's offset at that instant,
/// the civil date) costs more than looking it up. Bounded: emptied when it holds `limit` dates.
final class ListDates: Sendable {
    static let shared = ListDates()
    private struct Key: Hashable {
        let second: Int64
        let style: DateStyle
        let zone: String
    }
    private let texts = Mutex<[Key: String]>([:])
    private static let limit = 8_192

    /// `style.listDateTime(d, zone: zone)`.
    func text(_ d: Date, style: DateStyle, zone: TimeZone) -> String {
        // List forms go down to the minute, and zone offsets are whole seconds: every instant in one
        // second is written the same.
        let key = Key(second: Int64(d.timeIntervalSince1970.rounded(.down)), style: style, zone: zone.identifier)
        if let hit = texts.withLock({ $0[key] }) { return hit }
        let text = style.formatListDateTime(d, zone: zone)
        texts.withLock {
            if $0.count >= Self.limit { $0.removeAll(keepingCapacity: true) }
            $0[key] = text
        }
        return text
    }
}
