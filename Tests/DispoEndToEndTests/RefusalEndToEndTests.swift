import DispoSandbox
import Foundation
import Testing

/// Through the real binary in tmux: a key without access to calls (the sandbox's `forbiddenPaths`
/// fault answers 403 with an explanation) is shown in the server's words, and a rejected key (401) as
/// such; after either the header no longer says `online`.
@Suite("End to end: refusals", .serialized)
struct RefusalEndToEndTests {
    static func header(_ tmux: TmuxSession) -> String {
        tmux.capture().split(separator: "\n").first.map(String.init) ?? ""
    }

    @Test func aKeyWithoutAccessToCallsIsARefusalNotARejectedKey() async throws {
        ReliabilityTests.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration(faults: SandboxFaults(forbiddenPaths: ["/calls"])))
        defer { Task { await server.shutdown() } }
        let tmux = try TmuxSession(cols: 80, rows: 24, arguments: ["--user", server.workspace.primaryUserEmail],
                                   environment: ReliabilityTests.environment(server, stateDir: try ReliabilityTests.newStateDir()))
        defer { tmux.kill() }
        try await ReliabilityTests.waitForTasks(tmux, server: server)  // the tasks still load
        try await tmux.press("2")
        try await ReliabilityTests.poll("the refusal in the server's words", tmux: tmux) {
            tmux.capture().contains("Amplemarket refused: This API key does not have access")
        }
        try await ReliabilityTests.poll("the header saying access refused", tmux: tmux) {
            Self.header(tmux).contains("access refused")
        }
        #expect(!Self.header(tmux).contains("online"), "\(Self.header(tmux))")
        #expect(!tmux.capture().contains("API key was rejected"), "\(tmux.capture())")
    }

    @Test func aRejectedKeySaysSoAndTheHeaderSaysKeyRejected() async throws {
        ReliabilityTests.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        var environment = ReliabilityTests.environment(server, stateDir: try ReliabilityTests.newStateDir())
        environment["AMPLEMARKET_API_KEY"] = "not-the-sandbox-key"
        let tmux = try TmuxSession(cols: 80, rows: 24, arguments: ["--user", server.workspace.primaryUserEmail],
                                   environment: environment)
        defer { tmux.kill() }
        try await ReliabilityTests.poll("the rejected key", tmux: tmux) {
            tmux.capture().contains("The API key was rejected by")
        }
        try await ReliabilityTests.poll("the header saying key rejected", tmux: tmux) {
            Self.header(tmux).contains("key rejected")
        }
        #expect(!Self.header(tmux).contains("online"), "\(Self.header(tmux))")
    }
}
