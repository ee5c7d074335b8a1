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
                                      "to": "+1 415 555 0142", "from": "+351 21 340 0100"]
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
}
