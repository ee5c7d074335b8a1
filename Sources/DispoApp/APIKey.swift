import Foundation

/// Where the API key came from, never the key itself (so it can be shown).
public enum APIKeySource: Sendable, Equatable {
    /// `AMPLEMARKET_API_KEY`.
    case environment
    /// `api_key_file`, at this path (`~/` expanded).
    case file(String)
    /// `api_key_command`'s output.
    case command
}

/// Reads the API key: `AMPLEMARKET_API_KEY`, else the config's `api_key_file` (refused
/// when group- or world-readable, like ssh does), else `api_key_command`'s standard output.
/// Returns nil when no key is configured at all (dispo then runs against the built-in sandbox).
/// Errors: `ConfigurationError` for an unreadable or too-open key file or a failing command.
public func resolveAPIKey(environment: [String: String], config: ConfigFile) throws -> (key: String, source: APIKeySource)? {
    if let key = environment["AMPLEMARKET_API_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty {
        return (key, .environment)
    }
    if let rawPath = config.apiKeyFile {
        let path = expandTilde(rawPath, environment: environment)
        return (try readAPIKeyFile(path), .file(path))
    }
    if let command = config.apiKeyCommand {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch {
            throw ConfigurationError("api_key_command could not be started: \(error.localizedDescription)")
        }
        // A password manager waiting for a PIN on another terminal must not leave a blank screen forever.
        if finished.wait(timeout: .now() + apiKeyCommandTimeout) == .timedOut {
            process.terminate()
            throw ConfigurationError("api_key_command did not finish within \(Int(apiKeyCommandTimeout)) s: \(command)")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        guard process.terminationStatus == 0 else {
            throw ConfigurationError("api_key_command exited with status \(process.terminationStatus)")
        }
        guard let key = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty else {
            throw ConfigurationError("api_key_command printed nothing")
        }
        return (key, .command)
    }
    return nil
}

/// The key in the file at `path` (`~/` already expanded), trimmed. Throws `ConfigurationError` when the
/// file cannot be read, is readable by its group or others (like ssh, the key must be `chmod 600`), or
/// holds no text.
func readAPIKeyFile(_ path: String) throws -> String {
    var info = stat()
    guard stat(path, &info) == 0 else {
        throw ConfigurationError("api_key_file \(path): cannot be read (\(String(cString: strerror(errno))))")
    }
    if info.st_mode & 0o077 != 0 {
        throw ConfigurationError("api_key_file \(path) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); run: chmod 600 \(path)")
    }
    guard let data = FileManager.default.contents(atPath: path),
          let key = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
          !key.isEmpty else {
        throw ConfigurationError("api_key_file \(path) is empty or not text")
    }
    return key
}

/// Seconds `api_key_command` may take before dispo gives up on it with a message.
let apiKeyCommandTimeout: Double = 30
