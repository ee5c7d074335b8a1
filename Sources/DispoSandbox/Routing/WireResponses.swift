import HTTPTypes
import Hummingbird
import NIOCore

/// Writes the sandbox's answers: JSON bodies with the configured `Content-Type`, and `APIError`s as
/// `{"_errors": [...], "object": "error"}` bodies with their status and extra headers (per Amplemarket
/// API: errors).
struct WireResponses: Sendable {
    /// `Content-Type` of JSON answers (`application/json`, or the vendor type `application/vnd.amp+json`).
    let mediaType: String

    /// `value` serialized, with `status` (200 unless told).
    func json(_ value: JSON, status: Int = 200) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = mediaType
        return Response(status: .init(code: status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    /// The error body of `error`, with its status and headers (e.g. `Retry-After`).
    func error(_ error: APIError) -> Response {
        var response = json(error.json, status: error.status)
        for (name, value) in error.headers {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }

    /// Runs `handler`; the `APIError` it throws, if any, is answered as its error body.
    func answer(_ handler: () async throws(APIError) -> Response) async -> Response {
        do {
            return try await handler()
        } catch {
            return self.error(error)
        }
    }
}
