import Foundation
import Testing

/// `dispo config` checks what the TUI checks before it starts, with the TUI's own messages: a key file
/// others can read, an unknown key action and a bad time zone are each an error (exit 2).
@Suite("dispo config")
struct ConfigCommandTests {
    /// A fresh state and config home; `config` is written to its `config.toml` when given.
    static func home(config: String? = nil) throws -> (env: [String: String], dir: String) {
        let dir = NSTemporaryDirectory() + "dispo-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/config/dispo", withIntermediateDirectories: true)
        if let config { try config.write(toFile: dir + "/config/dispo/config.toml", atomically: true, encoding: .utf8) }
        return (["XDG_STATE_HOME": dir + "/state", "HOME": dir, "XDG_CONFIG_HOME": dir + "/config"], dir)
    }

    static let secret = "am-key-4f0c2e9b"

    /// A home whose config names a key file with `mode`.
    static func keyFileHome(mode: Int) throws -> (env: [String: String], keyPath: String) {
        let (env, dir) = try home()
        let keyPath = dir + "/amplemarket.key"
        #expect(FileManager.default.createFile(atPath: keyPath, contents: Data((secret + "\n").utf8),
                                               attributes: [.posixPermissions: mode]))
        try "api_key_file = \"\(keyPath)\"\n".write(toFile: dir + "/config/dispo/config.toml", atomically: true, encoding: .utf8)
        return (env, keyPath)
    }

    @Test func aKeyFileOthersCanReadIsAnError() async throws {
        let (env, keyPath) = try Self.keyFileHome(mode: 0o644)
        let result = try await LogCommandTests.dispo(["config"], environment: env)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("api_key_file \(keyPath) is readable by others (mode 644); run: chmod 600 \(keyPath)"),
                "\(result.output)")
        #expect(!result.output.contains(Self.secret))
    }

    @Test func aPrivateKeyFileIsFineAndTheKeyIsNeverPrinted() async throws {
        let (env, keyPath) = try Self.keyFileHome(mode: 0o600)
        let result = try await LogCommandTests.dispo(["config"], environment: env)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("API key: api_key_file \(keyPath)"), "\(result.output)")
        #expect(result.output.contains("server: https://api.amplemarket.com"), "\(result.output)")
        #expect(!result.output.contains(Self.secret))
    }

    @Test(arguments: [
        ("[keys]\ndown = \"j\"\nlgo = \"l\"\n", "config.toml:3: [keys] unknown key action `lgo`"),
        ("time_zone = \"Mars/Olympus\"\n", "config.toml:1: unknown time zone \"Mars/Olympus\""),
    ])
    func aConfigTheTUIRefusesIsAnError(_ config: String, _ message: String) async throws {
        let (env, _) = try Self.home(config: config)
        let result = try await LogCommandTests.dispo(["config"], environment: env)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains(message), "\(result.output)")
    }

    @Test func aBaseURLWithoutAKeyIsAnErrorAsInTheTUI() async throws {
        var (env, _) = try Self.home()
        env["AMPLEMARKET_BASE_URL"] = "http://127.0.0.1:8787"
        let result = try await LogCommandTests.dispo(["config"], environment: env)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("AMPLEMARKET_BASE_URL is set (http://127.0.0.1:8787) but no API key is"), "\(result.output)")
        env["AMPLEMARKET_API_KEY"] = Self.secret
        env["AMPLEMARKET_BASE_URL"] = "http://staging.example.com"
        let plain = try await LogCommandTests.dispo(["config"], environment: env)
        #expect(plain.status == 2, "\(plain.output)")
        #expect(plain.output.contains("plain http is allowed only on loopback"), "\(plain.output)")
    }

    @Test func noFileMeansDefaultsAndTheBuiltInSandbox() async throws {
        let (env, dir) = try Self.home()
        let result = try await LogCommandTests.dispo(["config"], environment: env)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("\(dir)/config/dispo/config.toml: not present (defaults in use)"), "\(result.output)")
        #expect(result.output.contains("server: built-in sandbox"), "\(result.output)")
    }
}
