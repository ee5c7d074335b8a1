import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore

/// A request as a hand-made test server saw it.
struct SeenRequest: Sendable {
    var method: String
    /// The raw request target (path and query, as sent on the wire).
    var target: String
    /// Header names lower-cased.
    var headers: [String: String]
    var body: Data

    var path: String { String(target.prefix(while: { $0 != "?" })) }
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What a hand-made test server answers.
struct Reply: Sendable {
    var status: Int
    var contentType: String?
    var headers: [(String, String)]
    var body: Data

    init(status: Int = 200, contentType: String? = "application/json", headers: [(String, String)] = [], body: String) {
        self.status = status; self.contentType = contentType; self.headers = headers; self.body = Data(body.utf8)
    }
    init(status: Int = 200, contentType: String?, bytes: Data) {
        self.status = status; self.contentType = contentType; self.headers = []; self.body = bytes
    }
}

/// A minimal Hummingbird server whose answers each test writes by hand: the "server that is not ours"
/// (odd but documented-compatible behaviour) that the client must cope with.
final class HandMadeServer: Sendable {
    let port: Int
    private let task: Task<Void, Error>
    private let log: RequestLog

    actor RequestLog {
        var requests: [SeenRequest] = []
        func append(_ r: SeenRequest) { requests.append(r) }
    }

    /// `http://127.0.0.1:<port>` plus an optional path prefix.
    func baseURL(prefix: String = "") -> String { "http://127.0.0.1:\(port)\(prefix)" }

    /// Requests received so far, in order.
    func requests() async -> [SeenRequest] { await log.requests }

    private init(port: Int, task: Task<Void, Error>, log: RequestLog) {
        self.port = port; self.task = task; self.log = log
    }

    /// Starts on a free loopback port; `handler` answers every request.
    static func start(_ handler: @escaping @Sendable (SeenRequest) async -> Reply) async throws -> HandMadeServer {
        let log = RequestLog()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let buffer = try await request.body.collect(upTo: 10_000_000)
            let seen = SeenRequest(method: request.method.rawValue, target: request.uri.string, headers: headers,
                                   body: Data(buffer.readableBytesView))
            await log.append(seen)
            let reply = await handler(seen)
            var fields = HTTPFields()
            if let ct = reply.contentType { fields[.contentType] = ct }
            for (name, value) in reply.headers {
                if let n = HTTPField.Name(name) { fields[n] = value }
            }
            return Response(status: .init(code: reply.status), headers: fields,
                            body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
        }
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(responder: responder,
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  continuation.yield(channel.localAddress?.port ?? 0)
                                  continuation.finish()
                              },
                              logger: { var l = Logger(label: "handmade"); l.logLevel = .critical; return l }())
        let task = Task { try await app.runService() }
        var port = 0
        for await p in stream { port = p }
        guard port > 0 else { task.cancel(); throw CancellationError() }
        return HandMadeServer(port: port, task: task, log: log)
    }

    /// Stops the server and waits for it to finish.
    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// A raw TCP server on loopback for failures Hummingbird will not produce on purpose: closing after the
/// request without answering, answering half a body, or never answering. One thread per connection.
final class RawSocketServer: @unchecked Sendable {
    enum Behaviour: Sendable {
        /// Read the request head, then close without a byte of answer.
        case closeAfterRequest
        /// Read the request head, then send `head` and `body`, then close (a short body if the head
        /// announces more).
        case answer(head: String, body: Data)
        /// Read the request head and say nothing until stopped.
        case hang
        /// Read the request head; `answer` (given it and the connection's number, from 1) writes the
        /// whole answer, head and body, every header included; then close.
        case script(@Sendable (_ head: String, _ connection: Int) -> (head: String, body: Data))
    }

    let port: Int
    private let listenFD: Int32
    private let lock = NSLock()
    private var connections = 0
    private var clientFDs: [Int32] = []
    private var stopped = false
    private var _heads: [String] = []

    /// Request heads received so far (request line and headers), in arrival order.
    var heads: [String] { lock.withLock { _heads } }

    /// Number of connections accepted so far.
    var connectionCount: Int { lock.withLock { connections } }

    init(_ behaviour: Behaviour) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard ok == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listenFD = fd
        let thread = Thread { [self] in self.acceptLoop(behaviour) }
        thread.start()
    }

    private func acceptLoop(_ behaviour: Behaviour) {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 { return }
            let isStopped = lock.withLock { () -> Bool in
                connections += 1; clientFDs.append(client); return stopped
            }
            if isStopped { close(client); return }
            let number = lock.withLock { connections }
            Thread { [self] in
                let head = Self.serve(client, behaviour, connection: number)
                lock.withLock { _heads.append(head) }
            }.start()
        }
    }

    private static func serve(_ fd: Int32, _ behaviour: Behaviour, connection: Int) -> String {
        var received = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while !received.containsHeadEnd {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { return String(decoding: received, as: UTF8.self) }
            received += buf[0..<n]
        }
        let head = String(decoding: received, as: UTF8.self)
        switch behaviour {
        case .closeAfterRequest:
            shutdown(fd, Int32(SHUT_RDWR))
        case .answer(let head, let body):
            let bytes = Array(head.utf8) + Array(body)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            shutdown(fd, Int32(SHUT_RDWR))
        case .hang:
            break
        case .script(let answer):
            // Read the body too: closing with unread bytes resets the connection before the answer is read.
            let length = head.components(separatedBy: "\r\n").compactMap { line -> Int? in
                let kv = line.split(separator: ":", maxSplits: 1)
                return kv.count == 2 && kv[0].lowercased() == "content-length" ? Int(kv[1].trimmingCharacters(in: .whitespaces)) : nil
            }.first ?? 0
            var bodyBytes = received.count - (received.headEndOffset ?? received.count)
            while bodyBytes < length {
                let n = read(fd, &buf, buf.count)
                if n <= 0 { break }
                bodyBytes += n
            }
            let (head, body) = answer(head, connection)
            let bytes = Array(head.utf8) + Array(body)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            shutdown(fd, Int32(SHUT_RDWR))
        }
        return head
    }

    /// Stops accepting and closes every connection.
    func stop() {
        let fds = lock.withLock { () -> [Int32] in stopped = true; return clientFDs }
        for c in fds { shutdown(c, Int32(SHUT_RDWR)); close(c) }
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
    }
}

private extension Array where Element == UInt8 {
    /// The index just past the first CRLF CRLF, if any.
    var headEndOffset: Int? {
        guard count >= 4 else { return nil }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 {
            return i + 4
        }
        return nil
    }

    var containsHeadEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 {
            return true
        }
        return false
    }
}

/// A loopback port with nothing listening (bound, then closed), for "connection refused".
func closedLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    close(fd)
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// Records sleeps instead of sleeping, and serves as a fake monotonic clock that the sleeps advance.
final class FakeTime: @unchecked Sendable {
    private let lock = NSLock()
    private var _now: Double = 1000
    private var _sleeps: [Double] = []
    private var _pacingWaits: [Double] = []

    var sleeps: [Double] { lock.withLock { _sleeps } }
    var pacingWaits: [Double] { lock.withLock { _pacingWaits } }
    var now: Double { lock.withLock { _now } }

    /// Advance the clock by `seconds` when sleeping (true), or leave it standing (false).
    let advances: Bool
    init(advances: Bool = true) { self.advances = advances }

    func sleep(_ s: Double) { lock.withLock { _sleeps.append(s); if advances { _now += s } } }
    func pacingWait(_ s: Double) { lock.withLock { _pacingWaits.append(s) } }
}
