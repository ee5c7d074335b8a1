import Foundation

/// Parses and formats the API's date-times.
///
/// Per Amplemarket API (introduction): ISO 8601 in UTC with a trailing `Z`, second precision
/// (`2025-10-06T16:30:08Z`). Tolerance (amplemarket-api.md §1): fractional seconds, `+00:00` style
/// offsets and plain dates (`2025-10-06`, read as midnight UTC) are accepted too.
public enum APIDate {
    /// Parses an API date-time or date. Returns nil for anything unreadable (never throws).
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        if let d = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: false)) { return d }
        if let d = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
        if trimmed.count == 10,
           let d = try? Date(trimmed, strategy: Date.ISO8601FormatStyle().year().month().day()) {
            return d
        }
        return nil
    }

    /// Formats a date the way the API writes them: `yyyy-MM-ddTHH:mm:ssZ`, UTC, whole seconds.
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: TimeZone(identifier: "UTC")!))
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional API date-time, yielding nil when it is missing, null or unreadable
    /// (tolerance rule §7.1: a bad date must not make a whole page undecodable).
    func decodeAPIDate(forKey key: Key) -> Date? {
        guard let text = try? decodeIfPresent(String.self, forKey: key) else { return nil }
        return APIDate.parse(text)
    }

    /// Decodes a value that may be missing, null or of an unexpected type, yielding nil instead of throwing.
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(T.self, forKey: key)) ?? nil
    }

    /// Decodes an integer that a server may send as a number (possibly fractional) or a numeric string.
    func lenientInt(_ key: Key) -> Int? {
        if let v = try? decodeIfPresent(Int.self, forKey: key) { return v }
        if let v = try? decodeIfPresent(Double.self, forKey: key), v.isFinite { return Int(v.rounded()) }
        if let s = try? decodeIfPresent(String.self, forKey: key) { return Int(s.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    /// Decodes a boolean that a server may send as true/false, 0/1 or "true"/"false".
    func lenientBool(_ key: Key) -> Bool? {
        if let v = try? decodeIfPresent(Bool.self, forKey: key) { return v }
        if let v = try? decodeIfPresent(Int.self, forKey: key) { return v != 0 }
        if let s = try? decodeIfPresent(String.self, forKey: key) {
            switch s.lowercased() { case "true", "1": return true; case "false", "0": return false; default: return nil }
        }
        return nil
    }

    /// Decodes an id that should be a string but may arrive as a number.
    func lenientID(_ key: Key) -> String? {
        if let s = try? decodeIfPresent(String.self, forKey: key) { return s }
        if let n = try? decodeIfPresent(Int.self, forKey: key) { return String(n) }
        return nil
    }
}

/// JSON coders configured for the Amplemarket wire format.
public enum APIJSON {
    /// A decoder for API bodies. Models decode their own dates tolerantly, so no strategy is set.
    public static func decoder() -> JSONDecoder { JSONDecoder() }

    /// An encoder for request bodies: keys sorted so bodies are stable (and comparable in tests).
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
