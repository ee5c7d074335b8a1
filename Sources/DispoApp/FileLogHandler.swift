import Foundation
import Logging

/// A swift-log handler that appends lines to a file (0600) under the state directory. The terminal is
/// owned by the UI, so dispo never logs to stdout/stderr while it runs. Writes are serialised by a lock.
public struct FileLogHandler: LogHandler {
    final class Sink: @unchecked Sendable {
        let lock = NSLock()
        let fd: Int32
        init?(path: String) {
            let dir = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            if fd < 0 { return nil }
        }
        func write(_ line: String) {
            lock.lock(); defer { lock.unlock() }
            var bytes = Array(line.utf8)
            bytes.append(0x0A)
            _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        }
    }

    let label: String
    let sink: Sink
    /// Messages below this level are not written.
    public var logLevel: Logger.Level = .info
    /// Metadata added to every line of this handler.
    public var metadata: Logger.Metadata = [:]

    /// One metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Bootstraps swift-log to append to `path`; when the file cannot be opened, logs are dropped
    /// (the app must still run). Call once, before any logger is made.
    public static func bootstrap(path: String, level: Logger.Level) {
        guard let sink = Sink(path: path) else {
            LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
            return
        }
        LoggingSystem.bootstrap { label in
            var h = FileLogHandler(label: label, sink: sink)
            h.logLevel = level
            return h
        }
    }

    /// Appends one line: time stamp, level, label, message and metadata (`key=value`, sorted), controls
    /// escaped.
    public func log(event: LogEvent) {
        let meta = metadata.merging(event.metadata ?? [:]) { $1 }
        let metaText = meta.isEmpty ? "" : " " + meta.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        // Messages can carry server text (ids, errors): escape controls so `tail -f dispo.log` is safe.
        sink.write(Self.escapeControls("\(APIDateStamp.now()) \(event.level) \(label): \(event.message)\(metaText)"))
    }
}

extension FileLogHandler {
    /// Replaces C0/C1 controls, DEL and bidi controls with `\u{…}` escapes, so a log line is one inert
    /// line of text whatever the server sent.
    static func escapeControls(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let isControl = v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F
            if isControl { out += "\\u{" + String(v, radix: 16) + "}" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}

enum APIDateStamp {
    static func now() -> String { Date().formatted(.iso8601) }
}
