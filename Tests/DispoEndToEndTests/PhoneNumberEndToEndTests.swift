import DispoSandbox
import Foundation
import Testing

/// Numbers through the real binary: with `default_region = "US"` a national number typed in the form or
/// given to `dispo log` reaches the server in E.164; a 20-digit number is refused by both, saying why,
/// and nothing is sent.
@Suite("End to end: phone numbers")
struct PhoneNumberEndToEndTests {
    typealias R = ReliabilityTests

    /// A state dir with `default_region = "US"` in its config, and the environment pointing at `server`.
    static func setUp(_ server: SandboxServer) throws -> [String: String] {
        let state = try R.newStateDir()
        try FileManager.default.createDirectory(atPath: state + "/config/dispo", withIntermediateDirectories: true)
        try "default_region = \"US\"\n".write(toFile: state + "/config/dispo/config.toml", atomically: true, encoding: .utf8)
        return R.environment(server, stateDir: state).merging(["XDG_CONFIG_HOME": state + "/config", "HOME": state]) { $1 }
    }

    @Test("the form: a national number goes out as E.164; 20 digits are refused and nothing is sent")
    func theForm() async throws {
        R.preconditions()
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let tmux = try TmuxSession(cols: R.size.cols, rows: R.size.rows,
                                   arguments: ["--user", server.workspace.primaryUserEmail], environment: try Self.setUp(server))
        defer { tmux.kill() }
        try await tmux.idle()
        try await R.waitForTasks(tmux, server: server)
        try await tmux.press("1")
        try await tmux.press("Enter")
        try await R.set(tmux, "To", "4155550142")
        #expect(tmux.capture().contains("(415) 555-0142"), "formatted as typed:\n\(tmux.capture())")
        try await R.set(tmux, "From", "650 555 0199")
        try await R.fillDurationAndVoicemail(tmux, duration: "1:11")
        try await tmux.press("C-s")
        try await R.poll("the POST", tmux: tmux) { await R.postedBodies(server).count == 1 }
        let body = try #require(await R.postedBodies(server).first)
        #expect(body["to"] as? String == "+14155550142" && body["from"] as? String == "+16505550199", "\(body)")

        try await tmux.press("1")
        try await tmux.press("Enter")
        try await R.set(tmux, "To", "12345678901234567890")
        try await R.fillDurationAndVoicemail(tmux, duration: "1:12")
        try await tmux.press("C-s")
        try await R.poll("the refusal", tmux: tmux) { tmux.capture().contains("too long: 20 digits, at most 15 (E.164)") }
        #expect(tmux.capture().contains("12345678901234567890"), "what was typed stays in the form")
        // The refusal is drawn by the same key press that would have queued the log: once it is on screen,
        // no send of it can follow. (No idle wait here: with nothing left to do, no further idle signal comes.)
        #expect(await R.postedBodies(server).count == 1)
    }

    @Test("dispo log: a national number goes out as E.164; 20 digits exit 1 and nothing is sent")
    func theScriptingCommand() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let workspace = server.workspace
        let task = try #require(await workspace.tasks(userID: workspace.primaryUserID).first { $0.type == "phone_call" && $0.status == "scheduled" && !$0.automatic })
        let env = try Self.setUp(server)
        let common = ["log", "--user", workspace.primaryUserEmail, "--task", task.id, "--from", "(650) 555-0199",
                      "--duration", "40", "--disposition", "Left voicemail"]
        let long = try await LogCommandTests.dispo(common + ["--to", "12345678901234567890"], environment: env)
        #expect(long.status == 1 && long.output.contains("not logged: --to: too long: 20 digits, at most 15 (E.164)"), "\(long.output)")
        #expect(await R.postedBodies(server).isEmpty)
        let national = try await LogCommandTests.dispo(common + ["--to", "415.555.0142 x12"], environment: env)
        #expect(national.status == 0, "\(national.output)")
        let body = try #require(await R.postedBodies(server).first)
        #expect(body["to"] as? String == "+14155550142;ext=12" && body["from"] as? String == "+16505550199", "\(body)")
        #expect(await R.postedBodies(server).count == 1)
    }
}
