import AmplemarketModels
import Foundation

/// Reading the entries of an error answer's body, in the documented shape and in the shapes other
/// servers and gateways use for the same thing.
///
/// The documented shape is `{"_errors": [{code, title, detail, source}]}`. The docs do not promise a
/// server sticks to it, so these are read too, each giving entries like the documented ones:
/// - `{"errors": [ {…entry…} | "text" ]}` (JSON:API's own key);
/// - `{"error": "text" | {…entry…}}`;
/// - `{"message": "text"}`, `{"detail": "text"}` or `{"title": "text"}` at the top (with `code` beside);
/// - a `text/plain` body: one entry whose detail is its first non-empty line.
/// An HTML page or any other body gives no entries: it explains nothing the rep can act on.
enum ErrorBodyReading {
    /// The entries of `body` (already UTF-8 repaired), answered with `contentType`; empty when it
    /// holds none of the shapes above.
    static func entries(_ body: Data, contentType: String?) -> [APIErrorEntry] {
        if let parsed = try? APIJSON.decoder().decode(APIErrorBody.self, from: body), !parsed.errors.isEmpty {
            return parsed.errors
        }
        if let root = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) {
            guard let object = root as? [String: Any] else { return [] }
            if let list = object["errors"] as? [Any] {
                let found = list.compactMap(entry)
                if !found.isEmpty { return found }
            }
            if let error = object["error"], let found = entry(error) { return [found] }
            if let found = entry(object), found.detail != nil || found.title != nil { return [found] }
            return []
        }
        let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "text/plain", let text = String(data: body, encoding: .utf8) else { return [] }
        let line = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.first(where: { !$0.isEmpty })
        return line.map { [APIErrorEntry(detail: $0)] } ?? []
    }

    /// One entry from a JSON value: a non-empty string is its detail; an object is read like a
    /// documented entry, with `message` standing in for a missing `detail`. Nil for anything else.
    private static func entry(_ value: Any) -> APIErrorEntry? {
        if let text = value as? String {
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : APIErrorEntry(detail: t)
        }
        guard let object = value as? [String: Any],
              let data = try? JSONSerialization.data(withJSONObject: object),
              var e = try? APIJSON.decoder().decode(APIErrorEntry.self, from: data) else { return nil }
        if e.detail?.isEmpty ?? true, let message = object["message"] as? String, !message.isEmpty { e.detail = message }
        guard e.detail != nil || e.title != nil || e.code != nil else { return nil }
        return e
    }
}
