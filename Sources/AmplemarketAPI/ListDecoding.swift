import AmplemarketModels
import Foundation

/// Decoding of list responses: `{"<plural>": [...], "_links": {"self"|"next"|"prev": {"href": "..."}}}`
/// (amplemarket-api.md §2), tolerant per §7.1: items that cannot be decoded (e.g. without an `id`) are
/// skipped and counted rather than failing the page; `_links` or any link may be missing or null; a link
/// given as a plain string is accepted too.
struct ListEnvelope<Item: Decodable & Sendable & Hashable>: Decodable {
    var items: [Item]
    var skipped: Int
    var next: String?
    var prev: String?
    var selfHref: String?

    static var itemsKeyInfo: CodingUserInfoKey { CodingUserInfoKey(rawValue: "dispo.listKey")! }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Wraps one element so a bad element yields nil instead of failing the array.
    struct Lossy: Decodable {
        var value: Item?
        init(from decoder: Decoder) throws { value = try? Item(from: decoder) }
    }

    /// A link as `{"href": "..."}`, `"..."` or null.
    struct LinkValue: Decodable {
        var href: String?
        init(from decoder: Decoder) throws {
            if let s = try? decoder.singleValueContainer().decode(String.self) { href = s; return }
            let c = try? decoder.container(keyedBy: AnyKey.self)
            href = (try? c?.decodeIfPresent(String.self, forKey: AnyKey("href"))) ?? nil
        }
    }

    init(from decoder: Decoder) throws {
        guard let key = decoder.userInfo[Self.itemsKeyInfo] as? String else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "list key not set"))
        }
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard c.contains(AnyKey(key)) else {
            throw DecodingError.keyNotFound(AnyKey(key), .init(codingPath: [], debugDescription: "no \(key) list"))
        }
        let raw = (try c.decodeIfPresent([Lossy].self, forKey: AnyKey(key))) ?? []
        items = raw.compactMap(\.value)
        skipped = raw.count - items.count
        let links = try? c.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("_links"))
        func link(_ name: String) -> String? {
            guard let links else { return nil }
            let v = (try? links.decodeIfPresent(LinkValue.self, forKey: AnyKey(name))) ?? nil
            guard let h = v?.href?.trimmingCharacters(in: .whitespacesAndNewlines), !h.isEmpty else { return nil }
            return h
        }
        next = link("next"); prev = link("prev"); selfHref = link("self")
    }

    /// Decodes a list body whose items live under `key`; throws `DecodingError` when the body is not a
    /// JSON object with that key.
    static func decode(_ data: Data, key: String) throws -> ListEnvelope<Item> {
        let d = APIJSON.decoder()
        d.userInfo[itemsKeyInfo] = key
        return try d.decode(ListEnvelope<Item>.self, from: data)
    }
}
