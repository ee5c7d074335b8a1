import DispoSandbox
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Sends one raw HTTP/1.1 request over a plain socket (so the request target is exactly as written,
/// raw brackets included) and returns the whole answer text. Blocking; for short loopback exchanges only.
private func rawExchange(port: Int, _ request: String) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let bytes = Array(request.utf8)
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        answer += buffer[0..<n]
    }
    return String(decoding: answer, as: UTF8.self)
}

@Suite struct WireTests {
    @Test func rawBracketsInTheQueryAreAccepted() async throws {
        try await withSandbox { server in
            let port = server.port
            let text = try await Task.detached {
                try rawExchange(port: port, "GET /calls?page[size]=3 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Authorization: Bearer \(SandboxConfiguration.defaultAPIKey)\r\nConnection: close\r\n\r\n")
            }.value
            #expect(text.hasPrefix("HTTP/1.1 200"))
            let body = String(text[text.range(of: "\r\n\r\n")!.upperBound...])
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
            #expect((object["calls"] as? [Any])?.count == 3)
            let recorded = await server.recordedRequests()
            #expect(recorded.last?.query == "page[size]=3")
        }
    }

    @Test func taskFiltersBySequenceLocalTimeAndOpens() async throws {
        try await withSandbox { server in
            let userID = server.workspace.primaryUserID
            let tasks = await server.workspace.tasks(userID: userID)
            let key = try #require(tasks.compactMap(\.sequenceKey).first)
            let bySequence = try await send(server, .GET, "/tasks?user_id=\(userID)&sequence_key=\(key)&page[size]=100")
            let keys = (bySequence.object["tasks"] as? [[String: Any]] ?? []).map { $0["sequence_key"] as? String }
            #expect(keys.count == tasks.filter { $0.sequenceKey == key }.count)
            #expect(keys.allSatisfy { $0 == key })

            // A 0…23 window holds every task with a contact; a bad hour is rejected.
            let allDay = try await send(server, .GET, "/tasks?user_id=\(userID)&contact_local_time_from=0&contact_local_time_to=23&page[size]=100")
            #expect((allDay.object["tasks"] as? [Any])?.count == tasks.filter { $0.contact != nil }.count)
            let badHour = try await send(server, .GET, "/tasks?user_id=\(userID)&contact_local_time_from=24")
            #expect(badHour.status == 400)
            #expect((badHour.firstError["source"] as? [String: Any])?["parameter"] as? String == "contact_local_time_from")

            let opened = try await send(server, .GET, "/tasks?user_id=\(userID)&message_opens=3&page[size]=100")
            #expect((opened.object["tasks"] as? [Any])?.count == tasks.filter { $0.messageOpens >= 3 }.count)
        }
    }

    @Test func stringsAreEscapedAsJSONAndSurviveARoundTrip() async throws {
        try await withSandbox { server in
            let task = await server.workspace.tasks(userID: server.workspace.primaryUserID)
                .first { $0.status == "scheduled" && !$0.automatic && $0.type == "phone_call" }!
            let notes = "Line 1\nLine 2 \"quoted\" \\ tab\t bell\u{07} esc\u{1B}[31m 王秀英 🚀 דוד"
            let answer = try await send(server, .POST, "/calls", body: logBody(task: task, userID: task.userID, dispositionID: nil, notes: notes))
            #expect(answer.status == 201)
            #expect(answer.object["notes"] as? String == notes)
            let raw = String(decoding: answer.body, as: UTF8.self)
            #expect(!raw.contains("\u{1B}") && !raw.contains("\u{07}"), "control characters are escaped on the wire")
        }
    }
}
