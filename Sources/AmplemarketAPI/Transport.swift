import AmplemarketModels
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension AmplemarketClient {
    /// Headers sent with every request (amplemarket-api.md §1). The Authorization value is never logged;
    /// without `sendKey` (a link to another host) there is none.
    func headers(recording: Bool, sendKey: Bool = true) -> HTTPHeaders {
        var h = HTTPHeaders()
        if sendKey { h.add(name: "Authorization", value: "Bearer \(configuration.apiKey)") }
        h.add(name: "Content-Type", value: "application/json")
        h.add(name: "Accept", value: recording ? "audio/mpeg, audio/*;q=0.9, application/json;q=0.5" : "application/json")
        h.add(name: "User-Agent", value: configuration.userAgent)
        return h
    }

    /// Sends a request expecting a JSON answer; returns the 2xx status, the body bytes (any content type,
    /// §7.3; invalid UTF-8 replaced by U+FFFD, see `APIJSON.repairingUTF8`) and the exchange's times. An empty 2xx body throws `.badResponse` unless `allowEmpty`.
    /// `attempts` overrides `configuration.retry.maxAttempts`; `timeout` (seconds) the request timeout.
    func json(method: HTTPMethod, url: String, body: Data?, allowEmpty: Bool = false, attempts: Int? = nil,
              timeout: Double? = nil) async throws -> JSONAnswer {
        let apiKey = configuration.apiKey
        return try await perform(method: method, url: url, body: body, recording: false,
                                 timeout: timeout ?? configuration.requestTimeout, attempts: attempts) { response, exchange in
            let status = Int(response.status.code)
            let buffer: ByteBuffer
            do { buffer = try await response.body.collect(upTo: Self.maxJSONBytes) } catch is NIOTooManyBytesError {
                throw APIFailure(kind: .badResponse, status: status, message: "The server's answer was too large to read")
            }
            // Bytes that are not UTF-8 become U+FFFD instead of making the whole answer unreadable.
            let data = APIJSON.repairingUTF8(Data(buffer.readableBytesView))
            if data.isEmpty, !allowEmpty {
                throw APIFailure(kind: .badResponse, status: status,
                                 message: FailureMapping.clean("The server answered HTTP \(status) with an empty body", apiKey: apiKey))
            }
            return JSONAnswer(status: status, data: data, exchange: exchange)
        }
    }

    /// Sends one request with pacing and retries, hands a 2xx response to `handle`, and maps everything
    /// else onto `APIFailure`.
    ///
    /// Retries (policy in `configuration.retry`, `attempts` overriding its `maxAttempts`): a GET after
    /// `.notSent`, `.uncertain`, `.server` or `.rateLimited` (waiting the answer's `Retry-After`, capped,
    /// when given; exponential backoff with jitter otherwise); any other method only after `.notSent`.
    /// Nothing is retried once the task is cancelled. `timeout` is in seconds, for the whole exchange.
    /// Every answer's `Date` header goes to `serverClock`. `sendKey` false leaves the API key out (a
    /// request to another host). `passRedirects` hands a 3xx with a `Location` to `handle` too (redirects
    /// are never followed by the HTTP client itself: the caller decides where the key may go).
    func perform<T: Sendable>(method: HTTPMethod, url: String, body: Data?, recording: Bool, sendKey: Bool = true,
                              passRedirects: Bool = false, timeout: Double, attempts: Int? = nil,
                              handle: @Sendable (HTTPClientResponse, Exchange) async throws -> T) async throws -> T {
        let policy = configuration.retry
        let maxAttempts = max(1, attempts ?? policy.maxAttempts)
        let path = URLBuilding.pathForLog(url)
        var attempt = 0
        while true {
            attempt += 1
            let tickets = try await pace(recording: recording, path: path)
            var answered = false
            let failure: APIFailure
            do {
                var request = HTTPClientRequest(url: url)
                request.method = method
                request.headers = headers(recording: recording, sendKey: sendKey)
                if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
                let started = configuration.clock()
                let sentAt = Date()
                let deadline = NIODeadline.now() + .milliseconds(Int64(max(0.1, timeout) * 1000))
                logger.debug("\(method.rawValue) \(path) sent", metadata: ["attempt": "\(attempt)"])
                let response = try await http.execute(request, deadline: deadline)
                answered = true
                let dateHeader = response.headers.first(name: "Date")
                let exchange = Exchange(sentAt: sentAt, receivedAt: Date(), serverDate: dateHeader.flatMap(HTTPDate.parse))
                if sendKey { serverClock.observe(dateHeader: dateHeader, sentAt: exchange.sentAt, receivedAt: exchange.receivedAt) }
                let status = Int(response.status.code)
                if (200..<300).contains(status)
                    || passRedirects && (300..<400).contains(status) && response.headers.first(name: "Location") != nil {
                    let result = try await handle(response, exchange)
                    await finish(tickets, answered: true)
                    logger.debug("\(method.rawValue) \(path) → \(status)",
                                 metadata: ["seconds": "\(String(format: "%.3f", configuration.clock() - started))"])
                    return result
                }
                let errorBody = try? await response.body.collect(upTo: Self.maxErrorBytes)
                // A Retry-After date is in the server's clock: read it against the same answer's Date.
                let serverNow = exchange.serverDate ?? serverClock.serverTime(at: exchange.receivedAt) ?? exchange.receivedAt
                failure = FailureMapping.failure(status: status, headers: response.headers, body: errorBody,
                                                 apiKey: configuration.apiKey, now: serverNow,
                                                 retryAfterCap: policy.retryAfterCap)
            } catch {
                failure = FailureMapping.failure(networkError: error, apiKey: configuration.apiKey)
            }
            await finish(tickets, answered: answered)

            let retryable: Bool
            if method == .GET && recording {
                // Recordings have their own budget of 50 an hour: only a request that never left is
                // retried; the rep can press `r` again for anything else.
                retryable = failure.kind == .notSent
            } else if method == .GET {
                retryable = [.notSent, .uncertain, .server, .rateLimited].contains(failure.kind)
            } else {
                retryable = failure.kind == .notSent
            }
            guard retryable, attempt < maxAttempts, !Task.isCancelled else {
                logger.warning("\(method.rawValue) \(path) failed",
                               metadata: ["kind": "\(failure.kind.rawValue)", "status": "\(failure.status.map(String.init) ?? "-")",
                                          "attempts": "\(attempt)"])
                throw failure
            }
            var delay = policy.backoff(afterAttempt: attempt, jitter: configuration.jitter())
            if failure.kind == .rateLimited || failure.kind == .server, let after = failure.retryAfter {
                delay = min(after, policy.retryAfterCap)
            }
            logger.notice("\(method.rawValue) \(path) will be retried",
                          metadata: ["kind": "\(failure.kind.rawValue)", "status": "\(failure.status.map(String.init) ?? "-")",
                                     "attempt": "\(attempt)", "delay": "\(String(format: "%.2f", delay))"])
            configuration.onRetry?(RetryNotice(method: method.rawValue, path: path, failedAttempt: attempt,
                                               delay: delay, failure: failure))
            do { try await configuration.sleep(delay) } catch { throw failure }
        }
    }

    /// Waits for a recording slot (when `recording`) and then a request slot; returns their tickets, to
    /// be handed to `finish` once the request is over. Throws `.notSent` when cancelled while waiting
    /// (nothing was sent; the slots are given back).
    func pace(recording: Bool, path: String) async throws -> [Pacer.Ticket] {
        var tickets: [Pacer.Ticket] = []
        do {
            if recording { tickets.append(try await slot(recording: true, path: path)) }
            tickets.append(try await slot(recording: false, path: path))
            return tickets
        } catch {
            for t in tickets { await pacer.release(t) }
            throw error
        }
    }

    /// The request is over: its slots count until now (`answered`), or a little after (see `Pacer`).
    func finish(_ tickets: [Pacer.Ticket], answered: Bool) async {
        for t in tickets { await pacer.finish(t, now: configuration.clock(), answered: answered) }
    }

    /// Takes one slot of the request budget (or the recording budget) and waits until it comes.
    private func slot(recording: Bool, path: String) async throws -> Pacer.Ticket {
        let what = recording ? "recording budget" : "request budget"
        while true {
            guard !Task.isCancelled else { throw Self.cancelledBeforeSending }
            let now = configuration.clock()
            if let (ticket, at) = await pacer.reserve(recording: recording, now: now) {
                do { try await pacingWait(at - now, path: path, what: what) } catch {
                    await pacer.release(ticket)
                    throw error
                }
                return ticket
            }
            // Every slot of the window is held by a request still in flight: wait for one to finish.
            logger.notice("pacing: waiting for a request in flight before \(path)", metadata: ["budget": "\(what)"])
            let pacer = self.pacer
            await withTaskCancellationHandler {
                await pacer.waitForAFinish()
            } onCancel: {
                Task { await pacer.wakeWaiters() }
            }
        }
    }

    private static let cancelledBeforeSending = APIFailure(kind: .notSent, message: "The request was cancelled before it was sent")

    private func pacingWait(_ seconds: Double, path: String, what: String) async throws {
        guard seconds > 0 else { return }
        logger.notice("pacing: waiting before \(path)", metadata: ["seconds": "\(String(format: "%.2f", seconds))", "budget": "\(what)"])
        configuration.onPacingWait?(seconds)
        do { try await configuration.sleep(seconds) } catch { throw Self.cancelledBeforeSending }
    }
}

/// One request's exchange with the server: our wall clock when it was sent and when the answer's head
/// arrived, and the answer's `Date` header (the server's clock), when it had a readable one.
struct Exchange: Sendable {
    var sentAt: Date
    var receivedAt: Date
    var serverDate: Date?
}

/// A 2xx JSON answer: its status, body bytes and exchange.
struct JSONAnswer: Sendable {
    var status: Int
    var data: Data
    var exchange: Exchange
}

/// Writing a recording to disk without ever leaving a partial file; downloads are mode 0600 (owner only).
enum RecordingFile {
    /// Streams `body` into a temporary file next to `destination` (mode 0600), syncs it and renames it onto
    /// `destination`; returns the bytes written. On any error the temporary file is removed. File errors
    /// throw `APIFailure(kind: .configuration)`; errors of the body stream are rethrown as they are.
    static func write<S: AsyncSequence>(_ body: S, to destination: URL) async throws -> Int where S.Element == ByteBuffer {
        let directory = destination.deletingLastPathComponent().path
        let temp = directory + "/." + destination.lastPathComponent + ".dispo-" + UUID().uuidString.prefix(8) + ".part"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fileFailure("create a file in \(directory)") }
        var open = true
        var done = false
        defer {
            if open { close(fd) }
            if !done { unlink(temp) }
        }
        guard fchmod(fd, 0o600) == 0 else { throw fileFailure("set the recording file's mode") }
        var total = 0
        for try await buffer in body {
            try buffer.withUnsafeReadableBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw fileFailure("write the recording")
                    }
                    offset += n
                }
            }
            total += buffer.readableBytes
        }
        guard fsync(fd) == 0 else { throw fileFailure("write the recording to disk") }
        open = false
        guard close(fd) == 0 else { throw fileFailure("finish the recording file") }
        guard rename(temp, destination.path) == 0 else { throw fileFailure("move the recording to \(destination.path)") }
        done = true
        return total
    }

    private static func fileFailure(_ what: String) -> APIFailure {
        APIFailure(kind: .configuration, message: "Could not \(what): \(String(cString: strerror(errno)))")
    }
}
