import AmplemarketAPI
import Foundation

/// What `dispo config` found: the same checks the TUI makes before it takes the terminal, without
/// starting anything.
public struct ConfigurationCheck: Sendable {
    /// The configuration file's path.
    public var path: String
    /// False when there is no file (the defaults are in use).
    public var filePresent: Bool
    /// Where the API key comes from, in words (`AMPLEMARKET_API_KEY`, `api_key_file /path`, …; never the key).
    public var keySource: String
    /// The server the TUI would talk to (`built-in sandbox` without a key).
    public var server: String

    /// Runs the checks on `environment`: the config file (its syntax, known settings, `[keys]` actions
    /// and bindings, `time_zone`, …), the API key's source (a key file must exist, hold text and be
    /// readable by its owner only; `api_key_command` is not run, since it may ask for a password),
    /// `AMPLEMARKET_BASE_URL` (usable, and not set without a key), the proxy variables and
    /// `DISPO_SANDBOX_CALLS`. Throws the TUI's own error for the first problem: `ConfigurationError` or
    /// `APIFailure(kind: .configuration)`.
    public static func run(environment: [String: String]) throws -> ConfigurationCheck {
        let path = ConfigFile.defaultPath(environment: environment)
        let config = try ConfigFile.load(path: path)
        let keySource: String
        var hasKey = true
        if let key = environment["AMPLEMARKET_API_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty {
            keySource = "AMPLEMARKET_API_KEY"
        } else if let raw = config.apiKeyFile {
            let file = expandTilde(raw, environment: environment)
            _ = try readAPIKeyFile(file)
            keySource = "api_key_file \(file)"
        } else if config.apiKeyCommand != nil {
            keySource = "api_key_command (not run by this check)"
        } else {
            keySource = "none: the built-in sandbox"
            hasKey = false
        }
        let envBase = baseURLSetting(environment)
        let server: String
        if hasKey {
            server = envBase ?? ClientConfiguration.defaultBaseURL
            try AmplemarketClient.check(ClientConfiguration(baseURL: server, apiKey: "", environment: environment))
        } else {
            try refuseBaseURLWithoutKey(envBase)
            _ = try sandboxCallCount(environment)
            server = "built-in sandbox"
        }
        return ConfigurationCheck(path: path, filePresent: FileManager.default.fileExists(atPath: path),
                                  keySource: keySource, server: server)
    }
}

/// `AMPLEMARKET_BASE_URL`, nil when unset or empty.
func baseURLSetting(_ environment: [String: String]) -> String? {
    environment["AMPLEMARKET_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
}

/// Throws when a base URL is set but no API key is: the built-in sandbox would silently take its place.
func refuseBaseURLWithoutKey(_ envBase: String?) throws {
    if let envBase {
        throw ConfigurationError("AMPLEMARKET_BASE_URL is set (\(envBase)) but no API key is: set AMPLEMARKET_API_KEY, or unset AMPLEMARKET_BASE_URL to use the built-in sandbox")
    }
}

/// `DISPO_SANDBOX_CALLS`: how many calls the built-in sandbox gives the rep (0…1 000 000); nil when unset.
/// Throws `ConfigurationError` for anything else.
func sandboxCallCount(_ environment: [String: String]) throws -> Int? {
    guard let text = environment["DISPO_SANDBOX_CALLS"], !text.isEmpty else { return nil }
    guard let n = Int(text), (0...1_000_000).contains(n) else {
        throw ConfigurationError("DISPO_SANDBOX_CALLS must be a number of calls from 0 to 1000000 (got \"\(text)\")")
    }
    return n
}
