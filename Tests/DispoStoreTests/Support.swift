import Foundation
@testable import DispoStore
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under the system temp dir, removed (after restoring write permission) when `body` ends.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("dispo-store-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer {
        _ = chmod(dir, 0o700)
        try? FileManager.default.removeItem(atPath: dir)
    }
    return try body(dir)
}

/// The permission bits (e.g. 0o600) of `path`.
func mode(of path: String) -> mode_t {
    var info = stat()
    guard stat(path, &info) == 0 else { return 0 }
    return info.st_mode & 0o7777
}

/// A `LogCallRequest`-shaped JSON body with the given notes.
func requestJSON(to: String = "+14155550100", notes: String? = nil) -> Data {
    var object: [String: Any] = [
        "from": "+14155550199", "to": to, "duration": 62, "answered": true, "human": true,
        "task_id": "task-1", "user_id": "user-1",
    ]
    if let notes { object["notes"] = notes }
    return try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
}

let t0 = Date(timeIntervalSince1970: 1_750_000_000.125)

extension DispoStore {
    /// Enqueues a log in workspace "ws" with the given local id, created `offset` seconds after `t0`.
    @discardableResult
    func enqueueTestLog(_ localID: String, workspace: String = "ws", offset: TimeInterval = 0,
                        notes: String? = nil) throws -> OutboxRecord {
        try enqueue(NewOutboxEntry(localID: localID, workspaceKey: workspace,
                                   requestJSON: requestJSON(notes: notes), summary: "log \(localID)",
                                   createdAt: t0.addingTimeInterval(offset)))
    }

    /// A PRAGMA's value on the store's connection.
    func pragma(_ name: String) throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }
}
