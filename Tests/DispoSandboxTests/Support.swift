import AsyncHTTPClient
import DispoSandbox
import Foundation
import NIOCore
import NIOHTTP1

/// A decoded HTTP answer from the sandbox.
struct Answer {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    /// The body parsed with Foundation (independent of the sandbox's own JSON code).
    var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    /// The first `_errors` entry.
    var firstError: [String: Any] { (object["_errors"] as? [[String: Any]])?.first ?? [:] }
    var errors: [[String: Any]] { object["_errors"] as? [[String: Any]] ?? [] }
}

/// Sends one request to the sandbox with `HTTPClient.shared`.
func send(_ server: SandboxServer, _ method: HTTPMethod, _ pathAndQuery: String, body: String? = nil,
          key: String? = SandboxConfiguration.defaultAPIKey, contentType: String? = "application/json") async throws -> Answer {
    var request = HTTPClientRequest(url: server.baseURL + pathAndQuery)
    request.method = method
    if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
    if let body {
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        request.body = .bytes(ByteBuffer(string: body))
    }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    let buffer = try await response.body.collect(upTo: 10 << 20)
    return Answer(status: Int(response.status.code), headers: response.headers, body: Data(buffer: buffer))
}

/// Starts a sandbox, runs `body`, shuts the sandbox down (also when `body` throws).
func withSandbox<T>(_ configuration: SandboxConfiguration = SandboxConfiguration(now: fixedNow),
                    _ body: (SandboxServer) async throws -> T) async throws -> T {
    let server = try await SandboxServer.start(configuration)
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// A fixed clock anchor so seeded data is the same in every run.
let fixedNow = Date(timeIntervalSince1970: 1_760_000_000)  // 2025-10-09T08:53:20Z

/// A valid `POST /calls` body for `task` (a scheduled manual phone task) of `userID`.
func logBody(task: SandboxTask, userID: String, dispositionID: String?, notes: String? = nil) -> String {
    var object: [String: Any] = [
        "from": "+1 415 555 0100", "to": task.contact?.phone ?? "+1 415 555 0000", "duration": 95,
        "answered": true, "human": true, "task_id": task.id, "user_id": userID,
    ]
    if let dispositionID { object["disposition_id"] = dispositionID }
    if let notes { object["notes"] = notes }
    return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}
