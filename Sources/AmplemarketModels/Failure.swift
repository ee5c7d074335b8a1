import Foundation

/// Why an API request failed, in terms the rest of dispo acts on. Thrown by the API client; shown by
/// the view models (which never see HTTP).
///
/// 401 (and a 403 that does not explain itself) means the API key was rejected; a 403 whose body
/// explains itself is a refusal of one resource, not a bad key. Error bodies carry `_errors[]` with code,
/// detail and a source pointer; a non-JSON error body becomes a message with the status code.
public struct APIFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of failure, which decides what the app does next (retry, mark fields, ask for a key…).
    public enum Kind: String, Hashable, Sendable {
        /// 401, or a 403 without an explanation: the API key was rejected.
        case unauthorized
        /// 403 whose body explains itself (e.g. a key without access to calls): the server refused this
        /// request; `message` is "Amplemarket refused: <the server's detail>".
        case forbidden
        /// 400/422 (or 404 with a body pointer): the request was refused; see `entries` for fields.
        case validation
        /// 404 without a field pointer.
        case notFound
        /// 429: over the rate limit. `retryAfter` says for how long, when the server said.
        case rateLimited
        /// 413 `content_too_large`.
        case tooLarge
        /// 5xx.
        case server
        /// The request surely never left (connection refused, DNS failure): safe to retry even a POST.
        case notSent
        /// The request may have reached the server (timeout after sending, connection reset).
        case uncertain
        /// A 2xx whose body could not be understood.
        case badResponse
        /// A bad base URL or other local configuration problem.
        case configuration
        /// Any other status.
        case other
    }

    public var kind: Kind
    /// HTTP status, when there was a response.
    public var status: Int?
    /// Entries of the error body's `_errors`, when it had one.
    public var entries: [APIErrorEntry]
    /// A one-line, human message (already free of the API key).
    public var message: String
    /// Seconds to wait, from `Retry-After` (delta-seconds, or an HTTP date read against the server's own
    /// clock), when present; the client cuts it to its `RetryPolicy.retryAfterCap` (60 s by default), the
    /// same for every method.
    public var retryAfter: Double?

    public init(kind: Kind, status: Int? = nil, entries: [APIErrorEntry] = [], message: String,
                retryAfter: Double? = nil) {
        self.kind = kind; self.status = status; self.entries = entries; self.message = message
        self.retryAfter = retryAfter
    }

    /// Field errors keyed by the field a `source.pointer` names (`to`, `duration`, `task_id`…).
    public var fieldErrors: [String: String] {
        var out: [String: String] = [:]
        for e in entries { if let f = e.field, out[f] == nil { out[f] = e.message } }
        return out
    }

    /// True when a POST that failed this way may have created the resource on the server.
    public var mayHaveReachedServer: Bool { kind == .uncertain || kind == .server || kind == .badResponse }

    /// The message with its HTTP status, said once: not added when the message already names it.
    public var description: String {
        guard let status, !message.contains("HTTP \(status)") else { return message }
        return "\(message) (HTTP \(status))"
    }
}
