import AsyncHTTPClient
import DispoSandbox
import Foundation
import NIOCore
import NIOHTTP1
import Testing

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

/// Sends one request to the sandbox with `HTTPClient.shared`; gives up (throws) after `timeout`.
func send(_ server: SandboxServer, _ method: HTTPMethod, _ pathAndQuery: String, body: String? = nil,
          key: String? = SandboxConfiguration.defaultAPIKey, contentType: String? = "application/json",
          timeout: TimeAmount = .seconds(10)) async throws -> Answer {
    try await send(baseURL: server.baseURL, method, pathAndQuery, body: body, key: key, contentType: contentType,
                   timeout: timeout)
}

/// Sends one request to whatever answers at `baseURL`.
func send(baseURL: String, _ method: HTTPMethod, _ pathAndQuery: String, body: String? = nil,
          key: String? = SandboxConfiguration.defaultAPIKey, contentType: String? = "application/json",
          timeout: TimeAmount = .seconds(10)) async throws -> Answer {
    var request = HTTPClientRequest(url: baseURL + pathAndQuery)
    request.method = method
    if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
    if let body {
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        request.body = .bytes(ByteBuffer(string: body))
    }
    let response = try await HTTPClient.shared.execute(request, timeout: timeout)
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

/// Waits until `condition` holds, checking every 10 ms; records an issue and throws after `timeout` seconds.
func eventually(_ what: String, timeout: Double = 10, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("timed out waiting for: \(what)")
    throw CancellationError()
}

/// A scheduled manual phone task of the primary user (one that `POST /calls` and complete / skip accept).
func openPhoneTask(_ server: SandboxServer, skipping: Int = 0) async -> SandboxTask {
    await server.workspace.tasks(userID: server.workspace.primaryUserID)
        .filter { $0.status == "scheduled" && !$0.automatic && $0.type == "phone_call" }[skipping]
}

/// `text` read as IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) with Foundation's formatter, independent
/// of the sandbox's; nil unless it is exactly that form (formatting the date back gives `text`: weekday,
/// padding and all).
func parseIMFFixdate(_ text: String?) -> Date? {
    let f = DateFormatter()  // one per call: formatters are not safe to share across parallel tests
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "GMT")
    f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    guard let text, let date = f.date(from: text), f.string(from: date) == text else { return nil }
    return date
}

/// ISO 8601 with whole seconds, as the sandbox writes `start_date`.
func parseISO(_ text: Any?) -> Date? {
    (text as? String).flatMap { try? Date.ISO8601FormatStyle().parse($0) }
}

/// Whether a time the server stamped with whole seconds (truncated) lies between `before` and `after`
/// moved by `skew` seconds.
func stamped(_ date: Date?, between before: Date, and after: Date, skew: Double) -> Bool {
    guard let date else { return false }
    let low = before.addingTimeInterval(skew).timeIntervalSince1970.rounded(.down)
    let high = after.addingTimeInterval(skew).timeIntervalSince1970
    return (low...high).contains(date.timeIntervalSince1970)
}
