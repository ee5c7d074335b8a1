import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `write(2)`, named apart from `SandboxStateFile.write`.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }

/// What API requests changed in a seeded workspace, as kept in `SandboxConfiguration.stateFile`: the calls
/// logged through `POST /calls` and the final state of every task a request changed (completed or skipped,
/// `finished_on`, the sequence-lead-completed flag). Replayed on top of the seeded workspace at start.
///
/// Wire form (JSON, snake_case keys, ISO 8601 whole-second dates):
/// `{"format":"dispo-sandbox-workspace","version":1,"seed":"<decimal UInt64>","saved_at":…,
///   "calls":[{"id","from","to","duration","answered","human","transcription","notes","recording_url",
///             "disposition_id","task_id","user_id","start_date"}…],
///   "tasks":[{"id","status","finished_on","lead_completed"}…]}`. Calls are in the order they were logged.
struct PersistedWorkspace: Codable, Sendable, Equatable {
    static let formatName = "dispo-sandbox-workspace"
    static let currentVersion = 1

    /// Always `formatName`; anything else is not our file.
    var format: String
    /// `currentVersion`.
    var version: Int
    /// The seed the ids belong to, in decimal (a string, so no JSON reader rounds it).
    var seed: String
    /// When the file was last written.
    var savedAt: Date
    /// Calls logged through `POST /calls`, oldest first.
    var calls: [Call]
    /// Tasks changed by requests (directly or as a sibling of a completed sequence lead).
    var tasks: [TaskState]

    /// A logged call; its contact is the task's (derived again on replay).
    struct Call: Codable, Sendable, Equatable {
        var id: String
        var from: String
        var to: String
        var duration: Int
        var answered: Bool
        var human: Bool
        var transcription: String?
        var notes: String?
        var recordingUrl: String?
        var dispositionId: String?
        var taskId: String
        var userId: String
        var startDate: Date
    }

    /// The state of one changed task.
    struct TaskState: Codable, Sendable, Equatable {
        var id: String
        var status: String
        var finishedOn: Date?
        var leadCompleted: Bool
    }

    init(seed: UInt64, savedAt: Date, calls: [Call], tasks: [TaskState]) {
        format = PersistedWorkspace.formatName
        version = PersistedWorkspace.currentVersion
        self.seed = String(seed)
        self.savedAt = savedAt
        self.calls = calls
        self.tasks = tasks
    }
}

extension PersistedWorkspace.Call {
    init(_ call: SandboxCall) {
        self.init(id: call.id, from: call.from, to: call.to, duration: call.duration, answered: call.answered,
                  human: call.human, transcription: call.transcription, notes: call.notes,
                  recordingUrl: call.recordingURL, dispositionId: call.dispositionID, taskId: call.taskID,
                  userId: call.userID, startDate: call.startDate)
    }
}

/// Why a state file could not be used (it is then moved aside and the sandbox starts fresh).
struct StateFileProblem: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reading, writing and moving aside the sandbox's state file. Writes are atomic (a `0600` temporary
/// file in the same directory, `fsync`, `rename`) and serialized across processes by `flock` on
/// `<path>.lock`, so a TUI and a scripting command sharing one file do not lose each other's calls.
enum SandboxStateFile {
    /// Reads and decodes the file at `path`. Returns nil when there is no file. Throws `StateFileProblem`
    /// when it exists but cannot be read, is not JSON of our format and version, or belongs to another seed.
    static func read(path: String, seed: UInt64) throws(StateFileProblem) -> PersistedWorkspace? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { throw StateFileProblem("it is a directory") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = errnoOf(error).map { String(cString: strerror($0)) } ?? error.localizedDescription
            throw StateFileProblem("it cannot be read (\(reason))")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        let state: PersistedWorkspace
        do {
            state = try decoder.decode(PersistedWorkspace.self, from: data)
        } catch {
            throw StateFileProblem("it is not a valid sandbox state file (\(data.count) bytes)")
        }
        guard state.format == PersistedWorkspace.formatName else {
            throw StateFileProblem("its format is \"\(state.format)\", not \"\(PersistedWorkspace.formatName)\"")
        }
        guard state.version == PersistedWorkspace.currentVersion else {
            throw StateFileProblem("it has version \(state.version); this dispo reads version \(PersistedWorkspace.currentVersion)")
        }
        guard state.seed == String(seed) else {
            throw StateFileProblem("it belongs to sandbox seed \(state.seed), not \(seed)")
        }
        return state
    }

    /// Renames the file at `path` to `<path>.bad-<UTC yyyyMMdd'T'HHmmss'Z'>[-n]` and returns the new path.
    /// Throws `StateFileProblem` when the rename fails.
    static func moveAside(path: String, now: Date = Date()) throws(StateFileProblem) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let base = path + ".bad-" + formatter.string(from: now)
        var target = base
        var n = 1
        while FileManager.default.fileExists(atPath: target) {
            n += 1
            target = base + "-\(n)"
        }
        guard rename(path, target) == 0 else {
            throw StateFileProblem("could not move it aside to \(target) (\(String(cString: strerror(errno))))")
        }
        return target
    }

    /// Encodes `state` and replaces the file at `path` atomically (parent directory created `0700` if
    /// missing; file mode `0600`). Throws `StateFileProblem` on any file-system error.
    static func write(_ state: PersistedWorkspace, to path: String) throws(StateFileProblem) {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data: Data
        do { data = try encoder.encode(state) } catch { throw StateFileProblem("could not encode the state (\(error))") }

        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw StateFileProblem("could not create \(directory) (\(error.localizedDescription))")
            }
        }
        let name = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StateFileProblem("could not create \(temporary) (\(String(cString: strerror(errno))))") }
        var failure: String?
        if fchmod(fd, 0o600) != 0 { failure = "chmod" }
        if failure == nil {
            data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
                var offset = 0
                while offset < buffer.count {
                    let n = posixWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = "write"
                        return
                    }
                    offset += n
                }
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = "fsync" }
        let savedErrno = errno
        close(fd)
        if let failure {
            unlink(temporary)
            throw StateFileProblem("could not save \(path): \(failure) failed (\(String(cString: strerror(savedErrno))))")
        }
        guard rename(temporary, path) == 0 else {
            let e = errno
            unlink(temporary)
            throw StateFileProblem("could not save \(path): rename failed (\(String(cString: strerror(e))))")
        }
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)  // make the rename itself durable; best effort
            close(dirFD)
        }
    }

    /// Runs `body` holding an exclusive `flock` on `<path>.lock` (created `0600`). When the lock file cannot
    /// be opened, runs `body` unlocked (the write is still atomic).
    static func withLock<T>(path: String, _ body: () throws(StateFileProblem) -> T) throws(StateFileProblem) -> T {
        let lockPath = path + ".lock"
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }

    private static func errnoOf(_ error: any Error) -> Int32? {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileReadNoPermissionError: return EACCES
            case NSFileReadNoSuchFileError: return ENOENT
            default: return nil
            }
        }
        return nil
    }
}
