import AmplemarketModels
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Turning HTTP statuses, error bodies and network errors into `APIFailure` (amplemarket-api.md §1, §6,
/// §7.3, §7.4). All messages pass through `clean`, which removes the API key and control characters.
enum FailureMapping {
    /// The message for 401, and for a 403 that does not explain itself: the key was rejected.
    static let unauthorizedMessage = "The API key was rejected"
    /// What comes before the server's own words for a 403 that explains itself.
    static let refusedPrefix = "Amplemarket refused: "

    /// The server's explanation in a 403's entries: the first detail (or title) of an entry whose code is
    /// not `unauthorized` (that code means the key itself was rejected). Nil when there is none.
    static func refusalDetail(_ entries: [APIErrorEntry]) -> String? {
        for e in entries where e.code?.lowercased() != "unauthorized" {
            let text = (e.detail ?? e.title)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if !text.isEmpty { return text }
        }
        return nil
    }

    /// A one-line, terminal-safe message: the API key replaced, control characters turned into spaces,
    /// at most 300 characters.
    static func clean(_ text: String, apiKey: String) -> String {
        var s = text
        if apiKey.count >= 4 { s = s.replacingOccurrences(of: apiKey, with: "[redacted]") }
        let scalars = s.unicodeScalars.map { u -> Character in
            (u.properties.generalCategory == .control || u.properties.generalCategory == .format) ? " " : Character(u)
        }
        s = String(scalars).trimmingCharacters(in: .whitespaces)
        if s.count > 300 { s = String(s.prefix(299)) + "…" }
        return s
    }

    /// Seconds to wait from a `Retry-After` value: delta-seconds (`120`, `1.5`) or an HTTP date (RFC 1123,
    /// RFC 850 or asctime) relative to `now`, which must be the SERVER's clock for a date (the answer's
    /// own `Date` header, else the measured server time): the date is written in its clock. Nil when
    /// absent or unreadable; never negative.
    static func retryAfterSeconds(_ value: String?, now: Date = Date()) -> Double? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        if let n = Double(v), n.isFinite { return max(0, n) }
        if let d = HTTPDate.parse(v) { return max(0, d.timeIntervalSince(now)) }
        return nil
    }

    /// The failure for a non-2xx answer.
    ///
    /// - 401 → `.unauthorized` ("The API key was rejected"); 403 → `.forbidden` ("Amplemarket refused:
    ///   <detail>") when an entry explains it (see `refusalDetail`), else `.unauthorized`; 400, 422 → `.validation`;
    ///   404 → `.validation` when an entry points at a body field other than `/id`, else `.notFound`;
    ///   413 → `.tooLarge`; 429 → `.rateLimited` (with `retryAfter`); 5xx → `.server`; 3xx and the rest
    ///   → `.other`.
    /// - An error body in any shape `ErrorBodyReading` knows (`_errors`, `errors`, `error`, `message`, a
    ///   line of plain text) fills `entries` and the message (first entry's detail or title); any other
    ///   body (an HTML error page…) gives a plain message with the status code, never the body itself.
    /// - `retryAfter`: the answer's `Retry-After` read against `now` (the server's clock, see
    ///   `retryAfterSeconds`), cut to `retryAfterCap` seconds.
    static func failure(status: Int, headers: HTTPHeaders, body: ByteBuffer?, apiKey: String,
                        now: Date = Date(), retryAfterCap: Double = RetryPolicy().retryAfterCap) -> APIFailure {
        var entries: [APIErrorEntry] = []
        if let body, body.readableBytes > 0 {
            entries = ErrorBodyReading.entries(APIJSON.repairingUTF8(Data(body.readableBytesView)),
                                               contentType: headers.first(name: "Content-Type"))
        }
        let kind: APIFailure.Kind
        switch status {
        case 401: kind = .unauthorized
        case 403: kind = refusalDetail(entries) == nil ? .unauthorized : .forbidden
        case 400, 422: kind = .validation
        case 404:
            kind = entries.contains(where: { ($0.field ?? "id") != "id" }) ? .validation : .notFound
        case 413: kind = .tooLarge
        case 429: kind = .rateLimited
        case 500...599: kind = .server
        default: kind = .other
        }
        let reason = HTTPResponseStatus(statusCode: status).reasonPhrase
        let label = reason.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(reason)"
        var message: String
        if kind == .unauthorized {
            message = unauthorizedMessage
        } else if kind == .forbidden, let detail = refusalDetail(entries) {
            message = refusedPrefix + detail
        } else if let first = entries.first {
            message = first.message
            if entries.count > 1 { message += " (and \(entries.count - 1) more)" }
        } else if (300...399).contains(status) {
            message = "The server redirected the request (\(label)); check the base URL"
        } else if body == nil || body!.readableBytes == 0 {
            message = "The server answered \(label) with no explanation"
        } else {
            message = "The server answered \(label) with a body that is not an API error"
        }
        if kind == .rateLimited, entries.isEmpty { message = "Too many requests: the server asked to slow down" }
        return APIFailure(kind: kind, status: status, entries: entries, message: clean(message, apiKey: apiKey),
                          retryAfter: retryAfterSeconds(headers.first(name: "Retry-After"), now: now).map { min($0, retryAfterCap) })
    }

    /// The failure for an error thrown before a full answer arrived.
    ///
    /// `.notSent` only when the request surely never left: connection refused, host unreachable, DNS
    /// failure, connect / TLS / proxy handshake failures and timeouts, a pool that never produced a
    /// connection. Everything else (read timeout, deadline after sending, connection reset or closed,
    /// malformed answer) is `.uncertain`: a POST may have been received.
    static func failure(networkError error: Error, apiKey: String) -> APIFailure {
        if let f = error as? APIFailure { return f }
        let notSent = isSurelyNotSent(error)
        let what: String
        if notSent {
            what = "Could not reach the server: \(describe(error))"
        } else if error is CancellationError || (error as? HTTPClientError) == .cancelled {
            what = "The request was cancelled before an answer arrived"
        } else {
            what = "The connection failed before the server's answer arrived: \(describe(error))"
        }
        return APIFailure(kind: notSent ? .notSent : .uncertain, message: clean(what, apiKey: apiKey))
    }

    static func isSurelyNotSent(_ error: Error) -> Bool {
        if error is NIOConnectionError { return true }
        if let e = error as? HTTPClientError {
            let pre: [HTTPClientError] = [.connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout,
                                          .httpProxyHandshakeTimeout, .socksHandshakeTimeout, .invalidProxyResponse,
                                          .proxyAuthenticationRequired, .invalidURL, .emptyHost, .emptyScheme,
                                          .alreadyShutdown]
            return pre.contains(e)
        }
        if let e = error as? ChannelError {
            if case .connectTimeout = e { return true }
            return false
        }
        if let e = error as? IOError {
            return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL, ENETDOWN].contains(e.errnoCode)
        }
        if error is SocketAddressError { return true }
        // TLS handshake failures (NIOSSL) happen before any request byte is written.
        let text = String(reflecting: error)
        if text.contains("handshakeFailed") || text.contains("NIOSSLError") && text.contains("handshake") { return true }
        return false
    }

    /// A short description of a network error for messages (no URLs, no headers).
    static func describe(_ error: Error) -> String {
        if let e = error as? NIOConnectionError {
            if e.dnsAError != nil || e.dnsAAAAError != nil, e.connectionErrors.isEmpty {
                return "the host name \(e.host) could not be resolved"
            }
            if let first = e.connectionErrors.first { return describe(first.error) }
            return "no connection to \(e.host):\(e.port)"
        }
        if let e = error as? IOError {
            switch e.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ECONNRESET: return "connection reset by the server"
            case ENETUNREACH, EHOSTUNREACH: return "network unreachable"
            case EPIPE: return "connection closed while sending"
            default: return String(cString: strerror(e.errnoCode))
            }
        }
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout: return "connecting timed out"
            case .readTimeout, .deadlineExceeded: return "the server took too long to answer"
            case .remoteConnectionClosed: return "the server closed the connection"
            case .tlsHandshakeTimeout: return "the TLS handshake timed out"
            case .getConnectionFromPoolTimeout: return "no connection became available in time"
            default: return e.description
            }
        }
        if let e = error as? ChannelError {
            if case .connectTimeout = e { return "connecting timed out" }
            return "\(e)"
        }
        return "\(type(of: error))"
    }
}
