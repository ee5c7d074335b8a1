import AmplemarketModels
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension AmplemarketClient {
    /// Headers sent with every request (amplemarket-api.md §1). The Authorization value is never logged.
    func headers(recording: Bool) -> HTTPHeaders {
        var h = HTTPHeaders()
        h.add(name: "Authorization", value: "Bearer \(configuration.apiKey)")
        h.add(name: "Content-Type", value: "application/json")
        h.add(name: "Accept", value: recording ? "audio/mpeg, audio/*;q=0.9, application/json;q=0.5" : "application/json")
        h.add(name: "User-Agent", value: configuration.userAgent)
        return h
    }

    /// Sends a request expecting a JSON answer; returns the 2xx status and the body bytes (any content
    /// type, §7.3). An empty 2xx body throws `.badResponse` unless `allowEmpty`.
    func json(method: HTTPMethod, url: String, body: Data?, allowEmpty: Bool = false) async throws -> (Int, Data) {
        let apiKey = configuration.apiKey
        return try await perform(method: method, url: url, body: body, recording: false,
                                 timeout: configuration.requestTimeout) { response in
            let status = Int(response.status.code)
            let buffer: ByteBuffer
            do { buffer = try await response.body.collect(upTo: Self.maxJSONBytes) } catch is NIOTooManyBytesError {
                throw APIFailure(kind: .badResponse, status: status, message: "The server's answer was too large to read")
            }
            let data = Data(buffer.readableBytesView)
            if data.isEmpty, !allowEmpty {
                throw APIFailure(kind: .badResponse, status: status,
                                 message: FailureMapping.clean("The server answered HTTP \(status) with an empty body", apiKey: apiKey))
            }
            return (status, data)
        }
    }

    /// Sends one request with pacing and retries, hands a 2xx response to `handle`, and maps everything
    /// else onto `APIFailure`.
    ///
    /// Retries (policy in `configuration.retry`): a GET after `.notSent`, `.uncertain`, `.server` or
    /// `.rateLimited` (waiting `Retry-After`, capped, when given; exponential backoff with jitter
    /// otherwise); any other method only after `.notSent`. Nothing is retried once the task is cancelled.
    /// `timeout` is in seconds, for the whole exchange.
    func perform<T: Sendable>(method: HTTPMethod, url: String, body: Data?, recording: Bool, timeout: Double,
                              handle: @Sendable (HTTPClientResponse) async throws -> T) async throws -> T {
        let policy = configuration.retry
        let path = URLBuilding.pathForLog(url)
        var attempt = 0
        while true {
            attempt += 1
            let failure: APIFailure
            do {
                try await pace(recording: recording, path: path)
                var request = HTTPClientRequest(url: url)
                request.method = method
                request.headers = headers(recording: recording)
                if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
                let started = configuration.clock()
                let deadline = NIODeadline.now() + .milliseconds(Int64(max(0.1, timeout) * 1000))
                let response = try await http.execute(request, deadline: deadline)
                let status = Int(response.status.code)
                if (200..<300).contains(status) {
                    let result = try await handle(response)
                    logger.debug("\(method.rawValue) \(path) → \(status)",
                                 metadata: ["seconds": "\(String(format: "%.3f", configuration.clock() - started))"])
                    return result
                }
                let errorBody = try? await response.body.collect(upTo: Self.maxErrorBytes)
                failure = FailureMapping.failure(status: status, headers: response.headers, body: errorBody,
                                                 apiKey: configuration.apiKey)
            } catch {
                failure = FailureMapping.failure(networkError: error, apiKey: configuration.apiKey)
            }

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
            guard retryable, attempt < policy.maxAttempts, !Task.isCancelled else {
                logger.warning("\(method.rawValue) \(path) failed",
                               metadata: ["kind": "\(failure.kind.rawValue)", "status": "\(failure.status.map(String.init) ?? "-")",
                                          "attempts": "\(attempt)"])
                throw failure
            }
            var delay = policy.backoff(afterAttempt: attempt, jitter: configuration.jitter())
            if failure.kind == .rateLimited, let after = failure.retryAfter {
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

    /// Waits for a recording slot (when `recording`) and then a request slot. Throws `.notSent` when
    /// cancelled while waiting (nothing was sent).
    func pace(recording: Bool, path: String) async throws {
        if recording {
            let wait = await pacer.reserveRecording(now: configuration.clock())
            try await pacingWait(wait, path: path, what: "recording budget")
        }
        let wait = await pacer.reserveRequest(now: configuration.clock())
        try await pacingWait(wait, path: path, what: "request budget")
    }

    private func pacingWait(_ seconds: Double, path: String, what: String) async throws {
        guard seconds > 0 else { return }
        logger.notice("pacing: waiting before \(path)", metadata: ["seconds": "\(String(format: "%.2f", seconds))", "budget": "\(what)"])
        configuration.onPacingWait?(seconds)
        do { try await configuration.sleep(seconds) } catch {
            throw APIFailure(kind: .notSent, message: "The request was cancelled before it was sent")
        }
    }
}

/// Writing a recording to disk without ever leaving a partial file (design.md §5: downloads 0600).
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
