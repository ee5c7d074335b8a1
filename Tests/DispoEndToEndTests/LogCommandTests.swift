import DispoSandbox
import Foundation
import Testing

/// `dispo log` (scripting) against an in-process sandbox: the real binary, its exit codes and exactly
/// what reached the server.
@Suite("dispo log from a script")
struct LogCommandTests {
    /// Runs the dispo binary with `arguments` and extra environment on a thread of its own (waiting for
    /// a process must not hold one of the concurrency threads the in-process sandbox answers on).
    static func dispo(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, output: String) {
        let args = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [TmuxSession.binary] + arguments
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do { continuation.resume(returning: try run("/usr/bin/env", args)) }
                catch { continuation.resume(throwing: error) }
            }
        }
    }

    @Test func logsOnceThroughTheOutboxAndRefusesUnconfirmedCompletion() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let workspace = server.workspace
        let task = try #require(await workspace.tasks(userID: workspace.primaryUserID).first { $0.type == "phone_call" && $0.status == "scheduled" && !$0.automatic })
        let voicemail = try #require(await workspace.dispositions().first { $0.slug == "no_answer_voicemail" })
        let state = NSTemporaryDirectory() + "dispo-log-\(UUID().uuidString)"
        let env = ["AMPLEMARKET_API_KEY": SandboxConfiguration.defaultAPIKey, "AMPLEMARKET_BASE_URL": server.baseURL,
                   "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state + "/config", "HOME": state]
        let common = ["log", "--user", workspace.primaryUserEmail, "--task", task.id, "--to", "+1 415 555 0142",
                      "--from", "+351 21 340 0100", "--duration", "1m35s"]

        let sent = try await Self.dispo(common + ["--outcome", "voicemail", "--disposition", "Left voicemail"], environment: env)
        #expect(sent.status == 0, "\(sent.output)")
        #expect(sent.output.contains("logged: call "))
        let posts = await server.recordedRequests().filter { $0.method == "POST" && $0.path == "/calls" }
        #expect(posts.count == 1)
        let body = try #require(try JSONSerialization.jsonObject(with: Data((posts.first?.body ?? "").utf8)) as? NSDictionary)
        let expected: NSDictionary = ["answered": true, "human": false, "duration": 95, "disposition_id": voicemail.id,
                                      "task_id": task.id, "user_id": workspace.primaryUserID,
                                      "to": "+14155550142", "from": "+351213400100"]  // E.164 on the wire
        #expect(body == expected, "\(posts.first?.body ?? "")")

        // A completing disposition without --yes: refused before anything is sent.
        let refused = try await Self.dispo(common + ["--outcome", "person", "--disposition", "interested"], environment: env)
        #expect(refused.status == 1)
        #expect(refused.output.contains("completes the task and its sequence lead"), "\(refused.output)")
        // A bad duration: refused by the command line, before anything is sent.
        let bad = try await Self.dispo(Array(common.dropLast(2)) + ["--duration", "soon", "--outcome", "person"], environment: env)
        #expect(bad.status != 0 && bad.output.contains("not a duration"), "\(bad.output)")
        #expect(await server.recordedRequests().filter { $0.method == "POST" }.count == 1)
    }

    /// A sandbox on a port that refuses connections once it stops: `dispo users` and `dispo dispositions`
    /// save their lists while it answers, then it is shut down. Returns the port, the workspace, a
    /// scheduled phone task and the environment of a fresh state directory named after `name`.
    static func listsSavedThenServerGone(_ name: String) async throws
        -> (SandboxRefusingPort, SandboxWorkspace, SandboxTask, [String: String]) {
        let refusing = try SandboxRefusingPort()
        var config = SandboxConfiguration()
        config.port = refusing.port
        let first = try await refusing.startServer(config)
        let workspace = first.workspace
        let task = try #require(await workspace.tasks(userID: workspace.primaryUserID).first { $0.type == "phone_call" && $0.status == "scheduled" })
        let state = NSTemporaryDirectory() + "dispo-log-\(name)-\(UUID().uuidString)"
        let env = ["AMPLEMARKET_API_KEY": SandboxConfiguration.defaultAPIKey, "AMPLEMARKET_BASE_URL": first.baseURL,
                   "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state + "/config", "HOME": state]
        // Once online, the lists are saved.
        #expect(try await dispo(["users"], environment: env).status == 0)
        #expect(try await dispo(["dispositions"], environment: env).status == 0)
        await first.shutdown()  // nothing listens on the port now: connections are refused
        return (refusing, workspace, task, env)
    }

    /// The server cannot be reached when `dispo log` starts: the rep and the disposition come from the
    /// copies saved when last loaded, the log is queued (exit 3, said so), `dispo outbox` lists it, and
    /// once the server is up `dispo outbox send` sends it exactly once (exit 0).
    @Test func aLogWhileTheServerIsUnreachableIsQueuedThenSentOnce() async throws {
        let (refusing, workspace, task, env) = try await Self.listsSavedThenServerGone("offline")
        var config = SandboxConfiguration()

        let log = try await Self.dispo(["log", "--user", workspace.primaryUserEmail, "--task", task.id, "--to", "+1 415 555 0177",
                                        "--from", "+351 21 340 0100", "--duration", "42", "--outcome", "voicemail",
                                        "--disposition", "Left voicemail"], environment: env)
        #expect(log.status == 3, "\(log.output)")
        #expect(log.output.contains("queued: the server cannot be reached"), "\(log.output)")
        #expect(log.output.contains("using the users and dispositions saved"), "\(log.output)")
        let listed = try await Self.dispo(["outbox"], environment: env)
        #expect(listed.status == 0 && listed.output.contains("pending") && listed.output.contains("+1 415-555-0177 · Left voicemail"),
                "\(listed.output)")

        config.port = refusing.port
        let second = try await SandboxServer.start(config)
        defer { Task { await second.shutdown() } }
        let send = try await Self.dispo(["outbox", "send"], environment: env)
        #expect(send.status == 0, "\(send.output)")
        #expect(send.output.contains("sent: 1, still queued: 0, need attention: 0"), "\(send.output)")
        let calls = await second.workspace.calls().filter { $0.taskID == task.id && $0.duration == 42 }
        #expect(calls.count == 1, "exactly once at the server")
        let again = try await Self.dispo(["outbox", "send"], environment: env)
        #expect(again.status == 0 && again.output.contains("sent: 0, still queued: 0"), "\(again.output)")
        #expect(await second.workspace.calls().filter { $0.taskID == task.id && $0.duration == 42 }.count == 1)
    }

    /// A rejected key (401) is not transient: sending the outbox stops after one POST, says the key was
    /// rejected and how to fix it, exits 3, and the log stays queued.
    @Test func aRejectedKeyStopsAtOnceAndKeepsTheLogQueued() async throws {
        let (refusing, workspace, task, env) = try await Self.listsSavedThenServerGone("401")
        var config = SandboxConfiguration()
        let log = try await Self.dispo(["log", "--user", workspace.primaryUserEmail, "--task", task.id, "--to", "+1 415 555 0178",
                                        "--from", "+351 21 340 0100", "--duration", "43", "--outcome", "voicemail",
                                        "--disposition", "Left voicemail"], environment: env)
        #expect(log.status == 3, "queued while offline: \(log.output)")

        // The server is back, but the key has been revoked.
        config.port = refusing.port
        config.apiKey = "another-key"
        let second = try await SandboxServer.start(config)
        defer { Task { await second.shutdown() } }
        let send = try await Self.dispo(["outbox", "send"], environment: env)
        #expect(send.status == 3, "\(send.output)")
        #expect(send.output.contains("rejected the API key") && send.output.contains("AMPLEMARKET_API_KEY"), "\(send.output)")
        let posts = await second.recordedRequests().filter { $0.method == "POST" && $0.path == "/calls" }
        #expect(posts.count <= 1, "no retry after a 401: \(posts.count) POSTs")
        let listed = try await Self.dispo(["outbox"], environment: env)
        #expect(listed.output.contains("+1 415-555-0178 · Left voicemail"), "still queued:\n\(listed.output)")
    }

    /// A mistyped subcommand is a usage error (64) that names the closest command, not the TUI's usage.
    @Test func aMistypedCommandSuggestsTheClosestOne() async throws {
        let state = NSTemporaryDirectory() + "dispo-typo-\(UUID().uuidString)"
        let env = ["XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state + "/config", "HOME": state]
        let typo = try await Self.dispo(["calss", "list"], environment: env)
        #expect(typo.status == 64, "\(typo.output)")
        #expect(typo.output.contains("unknown command 'calss'; did you mean 'calls'?"), "\(typo.output)")
        let far = try await Self.dispo(["zzzzzz"], environment: env)
        #expect(far.status == 64 && far.output.contains("the commands are: tui, sandbox"), "\(far.output)")
    }

    /// Who picked up follows the disposition when --outcome is left out; nothing to say who picked up,
    /// a contradiction without --yes, or no disposition under `require_disposition` is refused (exit 1)
    /// and nothing is sent.
    @Test func theOutcomeFollowsTheDispositionAndContradictionsAreRefused() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let workspace = server.workspace
        let task = try #require(await workspace.tasks(userID: workspace.primaryUserID).first { $0.type == "phone_call" && $0.status == "scheduled" && !$0.automatic })
        let state = NSTemporaryDirectory() + "dispo-log-\(UUID().uuidString)"
        let env = ["AMPLEMARKET_API_KEY": SandboxConfiguration.defaultAPIKey, "AMPLEMARKET_BASE_URL": server.baseURL,
                   "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state + "/config", "HOME": state]
        let common = ["log", "--user", workspace.primaryUserEmail, "--task", task.id, "--to", "+1 415 555 0142",
                      "--from", "+351 21 340 0100"]
        func posts() async -> [RecordedRequest] { await server.recordedRequests().filter { $0.method == "POST" && $0.path == "/calls" } }

        let nothing = try await Self.dispo(common + ["--duration", "20"], environment: env)
        #expect(nothing.status == 1 && nothing.output.contains("say who picked up: --outcome person, voicemail or no-answer"), "\(nothing.output)")
        let clash = try await Self.dispo(common + ["--duration", "20", "--disposition", "No answer", "--outcome", "person"], environment: env)
        #expect(clash.status == 1 && clash.output.contains("No answer means not answered, but the log says a person answered"), "\(clash.output)")
        let long = try await Self.dispo(common + ["--duration", "5:00", "--outcome", "no-answer"], environment: env)
        #expect(long.status == 1 && long.output.contains("not answered, yet 300 s long"), "\(long.output)")
        #expect(await posts().isEmpty, "nothing refused was sent")

        let implied = try await Self.dispo(common + ["--duration", "20", "--disposition", "No answer"], environment: env)
        #expect(implied.status == 0, "\(implied.output)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data((await posts().first?.body ?? "").utf8)) as? NSDictionary)
        #expect(body["answered"] as? Bool == false && body["human"] as? Bool == false, "\(body)")

        try FileManager.default.createDirectory(atPath: state + "/config/dispo", withIntermediateDirectories: true)
        try "require_disposition = true\n".write(toFile: state + "/config/dispo/config.toml", atomically: true, encoding: .utf8)
        let bare = try await Self.dispo(common + ["--duration", "20", "--outcome", "person"], environment: env)
        #expect(bare.status == 1 && bare.output.contains("--disposition is required (require_disposition = true"), "\(bare.output)")
        #expect(await posts().count == 1)
    }

    /// With nothing saved and no server, `dispo log` says what is missing and exits 1 (nothing is queued
    /// that could not name the rep).
    @Test func withNothingSavedAndNoServerTheLogSaysWhy() async throws {
        let refusing = try SandboxRefusingPort()
        let state = NSTemporaryDirectory() + "dispo-log-none-\(UUID().uuidString)"
        let env = ["AMPLEMARKET_API_KEY": SandboxConfiguration.defaultAPIKey, "AMPLEMARKET_BASE_URL": refusing.baseURL,
                   "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state + "/config", "HOME": state]
        let log = try await Self.dispo(["log", "--user", "rep@example.test", "--task", "t", "--to", "+1 415 555 0177",
                                        "--from", "+351 21 340 0100", "--duration", "42", "--outcome", "voicemail"], environment: env)
        #expect(log.status == 1, "\(log.output)")
        #expect(log.output.contains("no users are saved yet: run `dispo users`"), "\(log.output)")
    }
}
