import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Per Amplemarket API: `GET /calls/{id}/recording` — 200 with the raw audio (`audio/mpeg`) of a dialer
/// call. 404 `not_found` (`source.pointer: "/id"`) for an unknown call, an external call or one without a
/// recording; 413 `content_too_large` for a recording too big to download; 429 with `Retry-After` past the
/// per-hour download limit (50 by default, see `SandboxConfiguration.recordingsPerHour`; the window runs on
/// the real clock, the header's form follows `SandboxFaults.retryAfterAsDate`), checked first.
struct RecordingsController {
    let workspace: SandboxWorkspace
    let state: SandboxServerState
    let time: ServerTime
    /// The key downloads are counted under (the sandbox accepts one).
    let apiKey: String
    let recordingsPerHour: Int
    let responses: WireResponses

    /// Registers `GET :id/recording` on `group` (the `/calls` group).
    func addRoutes(to group: RouterGroup<SandboxRequestContext>) {
        group.get(":id/recording") { _, context in
            await responses.answer { () async throws(APIError) in try await recording(callID: context.pathParameter("id")) }
        }
    }

    private func recording(callID: String) async throws(APIError) -> Response {
        if let wait = await state.admitRecording(key: apiKey, now: Date()) {
            throw APIError.rateLimited(retryAfter: time.retryAfter(seconds: wait), "Recording download limit of \(recordingsPerHour) per hour exceeded")
        }
        guard let call = await workspace.call(id: callID) else {
            throw APIError.notFound("Call not found", pointer: "/id")
        }
        guard call.hasDownloadableRecording else {
            throw APIError.notFound(call.external ? "External calls have no downloadable recording"
                                                  : "This call has no recording", pointer: "/id")
        }
        if call.recordingTooLarge {
            throw APIError(status: 413, code: "content_too_large", title: "Content Too Large",
                           detail: "The recording is too large to download through the API")
        }
        var headers = HTTPFields()
        headers[.contentType] = "audio/mpeg"
        return Response(status: .ok, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: FakeAudio.mp3(for: call.id))))
    }
}
