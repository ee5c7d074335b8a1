import AmplemarketAPI
import AmplemarketModels
import ArgumentParser
import DispoApp
import DispoStore
import DispoViewModel
import Foundation

/// Runs `body` with a session (client against Amplemarket, or the built-in sandbox) and prints errors
/// plainly on standard error, exit code 1.
func withSession(_ body: @escaping @Sendable (Session) async throws -> Void) throws {
    let session: Session
    do { session = try Session() } catch {
        FileHandle.standardError.write(Data("dispo: \(error)\n".utf8)); throw ExitCode(2)
    }
    defer { session.shutdown() }
    final class Box: @unchecked Sendable { var error: Error? }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Task { do { try await body(session) } catch { box.error = error }; done.signal() }
    done.wait()
    if let error = box.error {
        if let code = error as? ExitCode { throw code }  // the command already said why
        let message = (error as? ValidationError)?.message ?? String(describing: error)
        FileHandle.standardError.write(Data("dispo: \(sanitize(message))\n".utf8))
        throw ExitCode(1)
    }
}

/// Prints JSON (sorted keys) of an Encodable.
func printJSON<T: Encodable>(_ value: T) throws {
    let e = JSONEncoder(); e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try e.encode(value), as: UTF8.self))
}

/// The rep's e-mail when none is given: `AMPLEMARKET_USER`, the config's `user`, or the one picked once
/// in the TUI for this workspace.
func defaultUserEmail(_ session: Session) -> String? {
    if let e = session.environment["AMPLEMARKET_USER"], !e.isEmpty { return e }
    if let e = session.config.user { return e }
    return session.rememberedUserEmail()
}

/// Finds the user for an e-mail (or the only user). Errors: a `ValidationError` naming the problem.
func resolveUser(_ client: AmplemarketClient, email: String?) async throws -> User {
    try pickUser(try await client.allUsers(UserListQuery(pageSize: 100)), email: email)
}

/// The user for an e-mail among `users` (or the only one). Errors: a `ValidationError` naming the problem.
func pickUser(_ users: [User], email: String?) throws -> User {
    if let email {
        guard let u = users.first(where: { $0.email?.lowercased() == email.lowercased() }) else {
            throw ValidationError("no user with e-mail \(email) in this workspace")
        }
        return u
    }
    if users.count == 1 { return users[0] }
    throw ValidationError("this workspace has \(users.count) users: pass --user EMAIL (or set AMPLEMARKET_USER)")
}

/// A list from the server, saved for later; when the server cannot be reached, the copy saved when it
/// was last loaded (and when), so a log can still be written to the outbox. Errors: the client's, or a
/// `ValidationError` when the server is out of reach and nothing is saved.
func loadOrRecall<T>(_ what: String, load: () async throws -> T, save: (T) -> Void,
                     recall: () -> (T, Date)?) async throws -> (value: T, savedAt: Date?) {
    do {
        let value = try await load()
        save(value)
        return (value, nil)
    } catch where isServerOutage(error) {
        guard let (value, at) = recall() else {
            throw ValidationError("cannot reach the server (\((error as? APIFailure)?.message ?? "\(error)")) and no \(what) "
                + "are saved yet: run `dispo \(what)` (or dispo itself) once while the server answers")
        }
        return (value, at)
    }
}

/// The saved lists of `session`'s workspace in `store`.
func savedLists(_ session: Session, _ store: DispoStore) -> SavedLists {
    SavedLists(store: store, workspaceKey: session.workspaceKey)
}

struct CallsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calls", abstract: "List calls.",
                                                    subcommands: [List.self, Search.self], defaultSubcommand: List.self)
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List calls, newest first (per Amplemarket API: GET /calls; your own from the local history once it holds them all).")
        @Option(help: "Only this user's calls (e-mail; default: AMPLEMARKET_USER, the config, or the user picked in the TUI).") var user: String?
        @Flag(name: .customLong("all-users"), help: "Calls of every user in the workspace.") var allUsers = false
        @Option(help: "Only calls from this number.") var from: String?
        @Option(help: "Only calls to this number.") var to: String?
        @Option(help: "Only calls since this date-time (ISO 8601).") var since: String?
        @Option(help: "Only calls until this date-time (ISO 8601).") var until: String?
        // Unconditional, so that "--limit -1" reaches the check below instead of reading as a flag.
        @Option(parsing: .unconditional, help: "At most this many calls (1 or more).") var limit: Int = 50
        @Flag(help: "Print JSON instead of a table.") var json = false

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be a positive number of calls") }
        }

        func run() throws {
            let (user, allUsers, from, to, since, until, limit, json) = (user, allUsers, from, to, since, until, limit, json)
            let sinceDate = try since.map { try parseDate($0, "--since") }
            let untilDate = try until.map { try parseDate($0, "--until") }
            try withSession { session in
                let store = session.openStore()
                var userID: String?
                if !allUsers {
                    // Like tasks and log: with no rep known and several users, refuse rather than list
                    // everyone's calls as if they were the rep's.
                    do {
                        userID = try await historyUser(session, store, email: user ?? defaultUserEmail(session)).id
                    } catch let error as ValidationError where user == nil && defaultUserEmail(session) == nil {
                        throw ValidationError(error.message.replacingOccurrences(of: "pass --user EMAIL", with: "pass --user EMAIL or --all-users"))
                    }
                }
                // The rep's own calls come from the local history once it holds them all (or when the
                // server cannot be reached), saying so; numbers filters and everyone's calls from the server.
                func fromHistory(_ userID: String) throws -> [Call] {
                    let q = CallHistoryQuery(userID: userID, since: sinceDate, until: untilDate.map { $0.addingTimeInterval(0.001) })
                    return try store.mirrorWindow(q, workspaceKey: session.workspaceKey, offset: 0, limit: limit, anchorID: nil).calls
                }
                var calls: [Call]
                let progress = userID.map { LocalHistory.progress(store: store, workspaceKey: session.workspaceKey, userID: $0) }
                if let userID, from == nil, to == nil, let progress, progress.isComplete, session.config.history ?? true {
                    calls = try fromHistory(userID)
                    printNote(historyNote(progress))
                } else {
                    do {
                        var page = try await session.client.listCalls(CallListQuery(pageSize: min(100, max(1, limit)), userID: userID, from: from, to: to, startDateFrom: sinceDate, startDateTo: untilDate))
                        calls = page.items
                        while calls.count < limit, let next = page.next {
                            page = try await session.client.calls(at: next)
                            calls += page.items
                        }
                    } catch where isServerOutage(error) {
                        guard let userID, from == nil, to == nil, let progress, progress.mirrored > 0 else { throw error }
                        calls = try fromHistory(userID)
                        printNote("dispo: the server cannot be reached; from the local history ("
                                  + (progress.syncedAt.map { "synced \(APIDate.format($0))" } ?? "never synced")
                                  + (progress.isComplete ? "" : ", incomplete") + ")")
                    }
                }
                calls = Array(calls.prefix(limit))
                if json { try printJSON(calls); return }
                let names = Dictionary((try? await session.client.dispositions())?.map { ($0.id, $0.name ?? $0.slug ?? "") } ?? [],
                                       uniquingKeysWith: { a, _ in a })
                printCallTable(calls, names: names.isEmpty ? dispositionNames(session, store) : names)
            }
        }
    }
}

func parseDate(_ text: String, _ option: String) throws -> Date {
    guard let d = APIDate.parse(text) else { throw ValidationError("\(option): not an ISO 8601 date (e.g. 2025-10-06T16:30:08Z)") }
    return d
}

struct DispositionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dispositions", abstract: "List call dispositions and what each does to a task.")
    @Flag(help: "Print JSON.") var json = false
    func run() throws {
        let json = json
        try withSession { session in
            let list = try await session.client.dispositions()
            savedLists(session, session.openStore()).save(dispositions: list)
            if json { try printJSON(list); return }
            print(["disposition", "effect", "id"].joined(separator: "\t"))
            for d in list {
                let effect: String
                switch d.action {
                case .complete: effect = "completes task + sequence lead"
                case .nextStage: effect = "keeps task open"
                case .unknown: effect = "unknown effect"
                }
                print("\(sanitize(d.name ?? d.slug ?? d.id))\t\(effect)\t\(d.id)")
            }
        }
    }
}

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "users", abstract: "List the workspace's users.")
    @Flag(help: "Print JSON.") var json = false
    func run() throws {
        let json = json
        try withSession { session in
            let users = try await session.client.allUsers(UserListQuery(pageSize: 100))
            savedLists(session, session.openStore()).save(users: users)
            if json { try printJSON(users); return }
            print(["email", "name", "status", "id"].joined(separator: "\t"))
            for u in users { print("\(sanitize(u.email ?? "-"))\t\(sanitize(u.name ?? ""))\t\(u.status ?? "")\t\(u.id)") }
        }
    }
}

struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks", abstract: "List, complete or skip tasks.",
                                                    subcommands: [List.self, Complete.self, Skip.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a user's tasks (per Amplemarket API: GET /tasks).")
        @Option(help: "The user's e-mail (default: AMPLEMARKET_USER, the config, or the user picked in the TUI).") var user: String?
        @Option(help: "Task type, e.g. phone_call or email; `any` for all.") var type: String = "phone_call"
        @Option(help: "scheduled, completed or skipped; `any` for all.") var status: String = "scheduled"
        @Flag(name: .customLong("callable-now"), help: "Only contacts whose local time is within calling_hours (default 9-17), by the server's contact_local_time filters.") var callableNow = false
        @Flag(help: "Print JSON.") var json = false
        func run() throws {
            let (user, json, callableNow) = (user, json, callableNow)
            let type: String? = self.type == "any" ? nil : self.type
            let status: String? = self.status == "any" ? nil : self.status
            try withSession { session in
                let u = try await resolveUser(session.client, email: user ?? defaultUserEmail(session))
                var query = TaskListQuery(userID: u.id, pageSize: 100, type: type, status: status)
                let hours = session.config.callingHours ?? .default
                if callableNow { query = query.callable(within: hours) }
                var page = try await session.client.listTasks(query)
                var tasks = page.items
                var seen = 0
                while let next = page.next, seen < 20 { page = try await session.client.tasks(at: next); tasks += page.items; seen += 1 }
                if json { try printJSON(tasks); return }
                if callableNow {
                    FileHandle.standardError.write(Data("dispo: only contacts whose local time is \(hours) now (hours \(hours.apiBounds.from)-\(hours.apiBounds.to) inclusive, as the server reads them)\n".utf8))
                }
                print(["due (UTC)", "contact", "sequence", "mode", "id"].joined(separator: "\t"))
                for t in tasks {
                    let mode = t.automatic == true ? "auto" : t.automatic == false ? "manual" : "-"
                    print("\(t.dueOn.map(APIDate.format) ?? "-")\t\(sanitize(t.contact?.name ?? "(no contact)"))\t\(sanitize(t.sequenceName ?? "-"))\t\(mode)\t\(t.id)")
                }
            }
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "complete",
            abstract: "Complete a task (per Amplemarket API: POST /tasks/{id}/complete).",
            discussion: "Only scheduled, manual tasks can be completed through the API. Exit 0: done; 1: refused (the server's words).")
        @Argument(help: "The task id.") var id: String
        @Flag(name: .customLong("lead"), help: "Complete the sequence lead too (set_lead_to_completed).") var lead = false
        func validate() throws {
            if id.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("the task id is empty (see `dispo tasks`)") }
        }
        func run() throws {
            let (id, lead) = (id, lead)
            try withSession { session in
                try await changeTask(session) { try await $0.completeTask(id: id, setLeadToCompleted: lead) }
                print(lead ? "completed: task \(id) and its sequence lead" : "completed: task \(id)")
            }
        }
    }

    struct Skip: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "skip",
            abstract: "Skip a task (per Amplemarket API: POST /tasks/{id}/skip).",
            discussion: "Exit 0: skipped; 1: refused (the server's words).")
        @Argument(help: "The task id.") var id: String
        func validate() throws {
            if id.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("the task id is empty (see `dispo tasks`)") }
        }
        func run() throws {
            let id = id
            try withSession { session in
                try await changeTask(session) { try await $0.skipTask(id: id) }
                print("skipped: task \(id)")
            }
        }
    }
}

/// Runs a complete or skip; a refusal is said on standard error in the server's words, exit 1.
func changeTask(_ session: Session, _ body: (AmplemarketClient) async throws -> Void) async throws {
    do { try await body(session.client) } catch let f as APIFailure {
        FileHandle.standardError.write(Data("dispo: not changed: \(sanitize(f.message))\n".utf8))
        throw ExitCode(1)
    }
}

/// `dispo callbacks`: the call backs kept on this machine (never sent), soonest first.
struct CallBacksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "callbacks",
        abstract: "List the call backs kept on this machine (set in the log form or with dispo log --call-back).")
    @Flag(help: "Print JSON.") var json = false
    func run() throws {
        let json = json
        try withSession { session in
            let store = session.openStore()
            let zone = session.config.timeZone.flatMap(TimeZone.init(identifier:)) ?? .current
            let (list, unreadable) = try store.callBacks(workspaceKey: session.workspaceKey)
            if unreadable > 0 { FileHandle.standardError.write(Data("dispo: \(unreadable) call back(s) could not be read\n".utf8)) }
            if json {
                let e = JSONEncoder()
                e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                e.dateEncodingStrategy = .iso8601
                e.keyEncodingStrategy = .convertToSnakeCase
                print(String(decoding: try e.encode(list), as: UTF8.self))
                return
            }
            let now = Date()
            print(["due", "contact", "number", "note", "task id"].joined(separator: "\t"))
            for c in list {
                let due = callBackText(c.due, zone) + (c.due <= now ? " DUE" : "")
                print([due, sanitize(c.contact?.name ?? c.contact?.email ?? "-"), sanitize(c.number ?? "-"),
                       sanitize(c.note ?? "-"), c.taskID].joined(separator: "\t"))
            }
        }
    }
}

