import AmplemarketModels
import AsyncHTTPClient
import Foundation
import NIOCore

/// What a recording answer holds, read from its `Content-Type` (and, when that says nothing useful,
/// from its first bytes).
///
/// A recording is raw audio. A JSON answer is not a recording but may point at one (`url`,
/// `recording_url`, `download_url` or `href`, at its top or in a nested object). Anything else (an
/// HTML page, text) is not a recording: it is never saved, whatever name the file was to have.
enum RecordingContent: Equatable {
    /// `audio/*`, or a generic binary type (`application/octet-stream`, `binary/octet-stream`) / no type
    /// with audio's first bytes.
    case audio
    /// `application/json` or any `+json` type.
    case json
    /// Anything else; the string names what came back (`text/html`), ready for a message.
    case other(String)

    /// The media type of a `Content-Type` value, lower-cased, without parameters; nil when absent.
    static func mediaType(_ contentType: String?) -> String? {
        guard let raw = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased(),
              !raw.isEmpty else { return nil }
        return raw
    }

    /// Types that say only "bytes": the answer's first bytes tell what it is. `binary/octet-stream` is
    /// what file stores answer for an upload made without a type.
    static let genericBinaryTypes: Set<String> = ["application/octet-stream", "binary/octet-stream"]

    /// Classifies a `Content-Type` (nil: none sent). `start` is the answer's first bytes, looked at only
    /// when the type is missing or generic (`genericBinaryTypes`).
    static func classify(contentType: String?, start: [UInt8]) -> RecordingContent {
        let type = mediaType(contentType)
        if let type, type.hasPrefix("audio/") { return .audio }
        if let type, type == "application/json" || type.hasSuffix("+json") { return .json }
        if type.map(genericBinaryTypes.contains) ?? true {
            if looksLikeAudio(start) { return .audio }
            if start.first(where: { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }) == UInt8(ascii: "{") { return .json }
        }
        return .other(type.map { String($0.prefix(60)) } ?? "an answer without a content type")
    }

    /// True for the first bytes of MP3 (an ID3 tag or an MPEG frame sync), WAV, Ogg, FLAC or MP4 audio.
    static func looksLikeAudio(_ b: [UInt8]) -> Bool {
        func starts(_ text: String, at offset: Int = 0) -> Bool {
            let t = Array(text.utf8)
            return b.count >= offset + t.count && Array(b[offset..<offset + t.count]) == t
        }
        if starts("ID3") || starts("OggS") || starts("fLaC") || starts("ftyp", at: 4) { return true }
        if starts("RIFF"), starts("WAVE", at: 8) { return true }
        return b.count >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0
    }

    /// The first link to a recording in a JSON answer: a string value of `url`, `recording_url`,
    /// `download_url` or `href` that is an http(s) URL or a path, searched breadth first (the top level
    /// before nested objects, at most 4 levels deep). Nil when the body is not JSON or has none.
    static func link(inJSON data: Data) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        let keys = ["url", "recording_url", "download_url", "href"]
        var level: [Any] = [root]
        for _ in 0..<4 {
            var next: [Any] = []
            for value in level {
                if let object = value as? [String: Any] {
                    for key in keys {
                        if let s = object[key] as? String, isLink(s) { return s.trimmingCharacters(in: .whitespaces) }
                    }
                    next += object.keys.sorted().compactMap { object[$0] }
                } else if let list = value as? [Any] {
                    next += list
                }
            }
            level = next
        }
        return nil
    }

    private static func isLink(_ s: String) -> Bool {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        return t.hasPrefix("https://") || t.hasPrefix("http://") || (t.hasPrefix("/") && !t.hasPrefix("//"))
    }
}

/// A body whose first buffers were already read (to look at them) followed by the rest of the stream.
struct PrependedBody<Base: AsyncIteratorProtocol>: AsyncSequence where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    var head: [ByteBuffer]
    var rest: Base

    struct AsyncIterator: AsyncIteratorProtocol {
        var head: [ByteBuffer]
        var rest: Base
        mutating func next() async throws -> ByteBuffer? {
            if !head.isEmpty { return head.removeFirst() }
            return try await rest.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(head: head, rest: rest) }
}

extension AmplemarketClient {
    /// Largest JSON answer read from a recording request, in bytes.
    static let maxRecordingJSONBytes = 256 * 1024

    /// Saves a 2xx recording answer to `destination` after checking what it is: audio is written (see
    /// `RecordingFile`); a redirect's `Location`, or JSON that links to a recording, is followed once
    /// (`follow`, with the rules of `followRecordingLink`); JSON without a link and anything else throw
    /// `.badResponse` naming what came back. Returns the bytes written.
    func saveRecording(_ response: HTTPClientResponse, to destination: URL, follow: Bool) async throws -> Int {
        let status = Int(response.status.code)
        if (300..<400).contains(status), let location = response.headers.first(name: "Location") {
            _ = try? await response.body.collect(upTo: Self.maxRecordingJSONBytes)
            guard follow else {
                throw APIFailure(kind: .badResponse, status: status, message: FailureMapping.clean(
                    "The recording's link was redirected again (to \(location)), not to audio; nothing was saved",
                    apiKey: configuration.apiKey))
            }
            return try await followRecordingLink(location.trimmingCharacters(in: .whitespaces), to: destination)
        }
        let contentType = response.headers.first(name: "Content-Type")
        var iterator = response.body.makeAsyncIterator()
        var head: [ByteBuffer] = []
        var start: [UInt8] = []
        while start.count < 16, let buffer = try await iterator.next() {
            head.append(buffer)
            start += buffer.readableBytesView.prefix(16 - start.count)
        }
        switch RecordingContent.classify(contentType: contentType, start: start) {
        case .audio:
            return try await RecordingFile.write(PrependedBody(head: head, rest: iterator), to: destination)
        case .other(let what):
            throw APIFailure(kind: .badResponse, status: status, message: FailureMapping.clean(
                "The server answered \(what) instead of a recording (audio); nothing was saved", apiKey: configuration.apiKey))
        case .json:
            var data = Data()
            for buffer in head { data.append(contentsOf: buffer.readableBytesView) }
            while let buffer = try await iterator.next() {
                data.append(contentsOf: buffer.readableBytesView)
                if data.count > Self.maxRecordingJSONBytes {
                    throw APIFailure(kind: .badResponse, status: status,
                                     message: "The server answered JSON instead of a recording, too large to read; nothing was saved")
                }
            }
            guard let link = RecordingContent.link(inJSON: data) else {
                throw APIFailure(kind: .badResponse, status: status,
                                 message: "The server answered JSON without a link instead of a recording; nothing was saved")
            }
            guard follow else {
                throw APIFailure(kind: .badResponse, status: status, message: FailureMapping.clean(
                    "The recording's link led to another link (\(link)), not to audio; nothing was saved", apiKey: configuration.apiKey))
            }
            return try await followRecordingLink(link, to: destination)
        }
    }

    /// Downloads the recording a JSON answer linked to, or a redirect pointed at. A path or a URL on the base URL's own origin is
    /// asked with the API key; another https URL (or http on loopback) without it — the key never goes to
    /// another host. Any other link is not followed: the failure shows it. Not retried, like any
    /// recording request.
    func followRecordingLink(_ link: String, to destination: URL) async throws -> Int {
        let url: String
        let sendKey: Bool
        if let sameOrigin = try? URLBuilding.resolve(href: link, base: base) {
            url = sameOrigin; sendKey = true
        } else if let other = URLComponents(string: link), let host = other.host, !host.isEmpty,
                  other.user == nil, other.password == nil,
                  other.scheme?.lowercased() == "https" || (other.scheme?.lowercased() == "http" && BaseURL.isLoopback(host)) {
            url = link; sendKey = false
        } else {
            throw APIFailure(kind: .badResponse, message: FailureMapping.clean(
                "The server answered a link to the recording that dispo does not follow (\(link)); nothing was saved",
                apiKey: configuration.apiKey))
        }
        logger.notice("the recording answer was a link; following it", metadata: ["same_host": "\(sendKey)"])
        return try await perform(method: .GET, url: url, body: nil, recording: false, sendKey: sendKey, passRedirects: true,
                                 timeout: configuration.downloadTimeout, attempts: 1) { [self] response, _ in
            try await saveRecording(response, to: destination, follow: false)
        }
    }
}
