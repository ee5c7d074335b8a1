import AmplemarketModels
import ArgumentParser
import DispoApp
import DispoStore
import DispoViewModel
import Foundation

/// `dispo outbox`: the logs in the outbox (saved on disk before they are sent), and sending what is queued.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "outbox", abstract: "The logs waiting to reach the server.",
                                                    subcommands: [List.self, Send.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list",
            abstract: "List the outbox: queued logs, and those that need your attention (with --all, sent and discarded too).")
        @Flag(help: "Also the logs already sent or discarded.") var all = false
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            let (all, json) = (all, json)
            try withSession { session in
                let store = session.openStore()
                let records = try store.outbox(workspaceKey: session.workspaceKey, includeFinished: all)
                if json { try printJSON(records.map(OutboxLine.init)); return }
                print(["created (UTC)", "state", "tries", "call", "last error", "id"].joined(separator: "\t"))
                for r in records {
                    print([APIDate.format(r.createdAt), r.state.rawValue, String(r.attempts), sanitize(r.summary),
                           sanitize(r.lastError ?? "-"), r.localID].joined(separator: "\t"))
                }
            }
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send",
            abstract: "Send what is queued, exactly once (a log that may already be on the server is looked up first).",
            discussion: "Exit 0: everything queued was sent; 3: some logs are still queued (the server cannot be reached, another dispo is sending them, or --wait ran out); 1: some need your attention.")
        @Option(help: "Seconds to wait for the server before leaving what is queued queued.") var wait: Double = 60

        func run() throws {
            let wait = wait
            try withSession { session in
                let store = session.openStore()
                for notice in session.notices { FileHandle.standardError.write(Data("dispo: \(notice)\n".utf8)) }
                let key = session.workspaceKey
                let unsent: @Sendable (DispoStore) -> [OutboxRecord] = { store in
                    ((try? store.outbox(workspaceKey: key, includeFinished: false)) ?? []).filter { $0.state == .pending || $0.state == .sending }
                }
                let before = try store.outbox(workspaceKey: key, includeFinished: false)
                let end = await runOutbox(session, store: store, wait: wait, finished: { unsent($0).isEmpty })
                let after = try store.outbox(workspaceKey: key, includeFinished: true)
                let queued = unsent(store)
                let attention = after.filter { $0.state == .needsAttention }
                let sent = after.filter { r in r.state == .sent && before.contains { $0.localID == r.localID } }
                print("sent: \(sent.count), still queued: \(queued.count), need attention: \(attention.count)")
                for r in attention { FileHandle.standardError.write(Data("dispo: needs attention: \(sanitize(r.summary)): \(refusal(r))\n".utf8)) }
                if !queued.isEmpty {
                    FileHandle.standardError.write(Data("dispo: queued: \(queuedReason(end, lastError: queued.first?.lastError))\n".utf8))
                }
                if !attention.isEmpty { throw ExitCode(1) }
                if !queued.isEmpty { throw ExitCode(3) }
            }
        }
    }
}

/// One outbox entry as `dispo outbox list --json` prints it.
struct OutboxLine: Encodable {
    var id: String, state: String, attempts: Int, summary: String, lastError: String?, fieldErrors: [String: String]
    var callID: String?, createdAt: String, request: JSONValue?

    init(_ r: OutboxRecord) {
        id = r.localID; state = r.state.rawValue; attempts = r.attempts; summary = r.summary; lastError = r.lastError
        fieldErrors = r.fieldErrors; callID = r.callID; createdAt = APIDate.format(r.createdAt)
        request = try? APIJSON.decoder().decode(JSONValue.self, from: r.requestJSON)
    }

    enum CodingKeys: String, CodingKey {
        case id, state, attempts, summary, request
        case lastError = "last_error", fieldErrors = "field_errors", callID = "call_id", createdAt = "created_at"
    }
}
