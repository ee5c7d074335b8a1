import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The sandbox's own endpoints under `/_sandbox/` (not Amplemarket; no auth, faults, recording or rate
/// limit):
/// - `GET /_sandbox/requests` — the recorded API requests, oldest first (`[RecordedRequest]` as JSON);
///   `DELETE` forgets them (204).
/// - `GET /_sandbox/faults` — the faults in force (`SandboxFaults` as JSON); `PUT` replaces them with the
///   body, normalized (400 `bad_request` when it is not a `SandboxFaults` object; a key left out takes its
///   default, so `{}` turns every fault off; the `failEveryNth` count restarts) and answers the new faults.
/// - `GET /_sandbox/health` — `{"ok": true}`.
///
/// JSON is Foundation-encoded with sorted keys and ISO 8601 dates.
struct AdminController {
    /// First path segment of every admin endpoint.
    static let pathPrefix = "_sandbox"
    let state: SandboxServerState
    let responses: WireResponses

    /// Registers the endpoints on `group` (the `/_sandbox` group).
    func addRoutes(to group: RouterGroup<SandboxRequestContext>) {
        group.get("requests") { _, _ in encoded(await state.recordedRequests()) }
        group.delete("requests") { _, _ in
            await state.clearRecordedRequests()
            return Response(status: .noContent)
        }
        group.get("faults") { _, _ in encoded(await state.faults) }
        group.put("faults") { _, context in await setFaults(context.body) }
        group.get("health") { _, _ in responses.json(.object([("ok", .bool(true))])) }
    }

    private func setFaults(_ body: [UInt8]) async -> Response {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let faults = try? decoder.decode(SandboxFaults.self, from: Data(body)) else {
            return responses.error(.badJSON("Body must be a JSON SandboxFaults object"))
        }
        await state.setFaults(faults, now: Date())
        return encoded(await state.faults)
    }

    private func encoded(_ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
