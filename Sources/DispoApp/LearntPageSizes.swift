import AmplemarketAPI
import Foundation

/// The page sizes each server's list endpoints accepted, kept across runs in a small file of the state
/// directory (`page-sizes.json`), so a server that refused `page[size]=100` is not asked for it again on
/// every start.
///
/// Shape: `{"<workspace key>": {"/calls": "50", "/users": "none"}}` — the workspace key is the base URL
/// (or `sandbox`), each value `PageSizeLimit.text`. The file is written with mode 0600, atomically
/// (temporary file, then rename). A missing or unreadable file reads as nothing learnt: the sizes are
/// only learnt again, nothing else depends on them.
public final class LearntPageSizes: @unchecked Sendable {
    /// The file's path.
    public let path: String
    private let workspace: String
    private let lock = NSLock()

    /// The file for workspace `workspace` (base URL or `sandbox`) at `path`.
    public init(path: String, workspace: String) {
        self.path = path
        self.workspace = workspace
    }

    /// The file in `stateDirectory`.
    public convenience init(stateDirectory: String, workspace: String) {
        self.init(path: (stateDirectory as NSString).appendingPathComponent("page-sizes.json"), workspace: workspace)
    }

    /// The limits learnt for this workspace, by endpoint path; entries that do not read as a limit are
    /// skipped.
    public func load() -> [String: PageSizeLimit] {
        lock.withLock {
            (readAll()[workspace] ?? [:]).reduce(into: [:]) { out, entry in
                if let limit = PageSizeLimit(text: entry.value) { out[entry.key] = limit }
            }
        }
    }

    /// Remembers that `endpoint` accepts at most `limit`, keeping what other workspaces learnt. A file
    /// that cannot be written is left as it was (the size is relearnt next run).
    public func record(endpoint: String, limit: PageSizeLimit) {
        lock.withLock {
            var all = readAll()
            all[workspace, default: [:]][endpoint] = limit.text
            write(all)
        }
    }

    /// Points `configuration` at this file: its learnt limits to start from, and each new one saved.
    public func install(into configuration: inout ClientConfiguration) {
        configuration.pageSizeLimits = load()
        configuration.onPageSizeLearnt = { [self] endpoint, limit in record(endpoint: endpoint, limit: limit) }
    }

    private func readAll() -> [String: [String: String]] {
        guard let data = FileManager.default.contents(atPath: path),
              let all = try? JSONDecoder().decode([String: [String: String]].self, from: data) else { return [:] }
        return all
    }

    private func write(_ all: [String: [String: String]]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(all) else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
        else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }
}
