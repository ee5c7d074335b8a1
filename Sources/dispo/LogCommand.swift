import AmplemarketAPI
import AmplemarketModels
import ArgumentParser
import DispoApp
import DispoStore
import DispoViewModel
import Foundation

/// `dispo log`: logs a call from a script, through the same outbox as the TUI (saved on disk before it
/// is sent, sent once, looked up before any re-send). Per Amplemarket API: POST /calls.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log",
        abstract: "Log a call you dialled (per Amplemarket API: POST /calls), through the outbox.",
        discussion: """
        Example: dispo log --task 0199… --to "+1 415 555 0142" --from "+351 21 340 0100"
                           --duration 1:35 --outcome voicemail --disposition "Left voicemail"
        The log is saved in the outbox before it is sent; if the server cannot be reached (the users and
        dispositions saved when last loaded then name the rep and the disposition) it stays queued and the
        TUI, `dispo outbox send` or the next `dispo log` sends it. Exit 0: sent; 3: queued; 1: refused.
        --outcome may be left out when the disposition says who picked up (voicemail, no answer, busy,
        interested…); an outcome that contradicts the disposition, or no-answer longer than 2 minutes, is
        refused unless --yes. With `require_disposition = true` in the config, --disposition is required.
        --call-back WHEN keeps a call back on this machine (never sent; the API cannot create tasks): it is
        listed under Callbacks in the TUI and by `dispo callbacks`. WHEN: "tomorrow 10:00", "tue 14:30",
        +2h, +3d, "2026-12-03 09:00", in your time zone (config time_zone).
        """)

    enum Outcome: String, ExpressibleByArgument, CaseIterable {
        case person, voicemail
        case noAnswer = "no-answer"

        /// Who picked up, as sent (per Amplemarket API: `answered` / `human`).
        var callOutcome: CallOutcome {
            switch self { case .person: .person; case .voicemail: .machine; case .noAnswer: .notAnswered }
        }
    }

    @Option(help: "The task the call belongs to (id).") var task: String
    @Option(help: "The number you called.") var to: String
    @Option(help: "The number you called from.") var from: String
    @Option(help: "How long: 95, 1:35 or 1m35s.") var duration: String
    @Option(help: "Who picked up: person, voicemail or no-answer (may be left out when the disposition says).") var outcome: Outcome?
    @Option(help: "Disposition name, slug or id (see `dispo dispositions`).") var disposition: String?
    @Option(help: "Notes (kept locally too if the server does not store them).") var notes: String?
    @Option(help: "Transcription text.") var transcription: String?
    @Option(name: .customLong("recording-url"), help: "Where the recording is.") var recordingURL: String?
    @Option(help: "Your user e-mail (default: AMPLEMARKET_USER, the config, or the user picked in the TUI).") var user: String?
    @Flag(help: "Confirm a disposition that completes the task and its sequence lead (or whose effect is unknown), or an outcome that contradicts it.") var yes = false
    @Option(name: .customLong("call-back"), help: "Call the contact back then (kept on this machine): \"tomorrow 10:00\", \"tue 14:30\", +2h, +3d.") var callBack: String?
    @Option(help: "Seconds to wait for the server before leaving the log queued.") var wait: Double = 60
    @Flag(help: "Print the created call as JSON.") var json = false

    func run() throws {
        guard let seconds = parseDuration(duration) else {
            throw refused("--duration: not a duration (use 95, 1:35 or 1m35s)")
        }
        guard seconds <= maximumCallSeconds else {
            throw refused("--duration: longer than 24 h — check the duration")
        }
        // The same checks as the log form.
        if let problem = recordingURLProblem(recordingURL ?? "") { throw refused("--recording-url: \(problem)") }
        let args = self
        try withSession { session in
            let zone = session.config.timeZone.flatMap(TimeZone.init(identifier:)) ?? .current
            var callBackDue: Date?
            if let when = args.callBack {
                switch CallBackTime.parse(when, now: Date(), timeZone: zone) {
                case .success(let due): callBackDue = due
                case .failure(let why): throw refused("--call-back: \(why)")
                }
            }
            // The same number rules as the log form: E.164 on the wire, national numbers read in
            // default_region, else in the region of the From number.
            let region = session.config.defaultRegion ?? numberRegion(args.from)
                ?? (try? session.openStore().value(forKey: "region:" + session.workspaceKey))
            var wire: [String: String] = [:]
            var unknownRanges: [String] = []
            for (flag, typed) in [("--to", args.to), ("--from", args.from)] {
                switch checkNumber(typed, defaultRegion: region) {
                case .problem(let why): throw refused("\(flag): \(why)")
                case .possible(let n): unknownRanges.append("\(flag) \(n.international) is not a number known to be in use"); wire[flag] = n.wire
                case .valid(let n): wire[flag] = n.wire
                }
            }
            if !unknownRanges.isEmpty, !args.yes {
                throw refused(unknownRanges.joined(separator: "; ") + ": add --yes to send it anyway")
            }
            // The log goes to the outbox before anything else can fail for want of a server: who the rep
            // is and which disposition was meant come from the copies saved when last loaded if need be.
            let store = session.openStore()
            for notice in session.notices { FileHandle.standardError.write(Data("dispo: \(notice)\n".utf8)) }
            let saved = savedLists(session, store)
            let client = session.client
            let (users, usersSavedAt) = try await loadOrRecall("users", load: { try await client.allUsers(UserListQuery(pageSize: 100)) },
                                                               save: saved.save(users:), recall: saved.users)
            let rep = try pickUser(users, email: args.user ?? defaultUserEmail(session))
            var dispositionID: String?
            var disposition: Disposition?
            var dispositionName = "no disposition"
            var savedAt = usersSavedAt
            if let wanted = args.disposition {
                // Once the server was out of reach for the users, the saved dispositions are used at once.
                let (all, at) = try await loadOrRecall("dispositions", load: {
                    if usersSavedAt != nil, saved.dispositions() != nil { throw APIFailure(kind: .notSent, message: "the server cannot be reached") }
                    return try await client.dispositions()
                }, save: saved.save(dispositions:), recall: saved.dispositions)
                savedAt = savedAt ?? at
                let match = all.first { $0.id == wanted }
                    ?? all.first { $0.slug?.lowercased() == wanted.lowercased() }
                    ?? all.first { $0.name?.lowercased() == wanted.lowercased() }
                guard let d = match else {
                    throw ValidationError("no disposition \"\(wanted)\"; see `dispo dispositions`")
                }
                switch d.action {
                case .complete where !args.yes:
                    throw ValidationError("\(d.name ?? wanted) completes the task and its sequence lead, which cannot be undone here: add --yes to confirm")
                case .unknown where !args.yes:
                    throw ValidationError("the effect of \(d.name ?? wanted) on the task is unknown: add --yes to send anyway")
                default: break
                }
                dispositionID = d.id
                disposition = d
                dispositionName = d.name ?? d.slug ?? d.id
            } else if session.config.requireDisposition == true {
                throw ValidationError("not logged: --disposition is required (require_disposition = true in the config); see `dispo dispositions`")
            }
            guard let outcome = args.outcome?.callOutcome ?? disposition?.impliedOutcome else {
                throw ValidationError(disposition == nil
                    ? "not logged: say who picked up: --outcome person, voicemail or no-answer (or give a --disposition that says)"
                    : "not logged: \(dispositionName) does not say who picked up: add --outcome person, voicemail or no-answer")
            }
            let contradictions = OutcomeContradiction.of(disposition: disposition, outcome: outcome, durationSeconds: seconds)
            if !contradictions.isEmpty, !args.yes {
                throw ValidationError("not logged: " + contradictions.map(\.message).joined(separator: "; ") + ": add --yes to send anyway")
            }
            if let savedAt {
                FileHandle.standardError.write(Data("dispo: the server cannot be reached; using the users and dispositions saved \(APIDate.format(savedAt))\n".utf8))
            }
            let request = LogCallRequest(
                from: wire["--from"] ?? args.from, to: wire["--to"] ?? args.to, duration: seconds,
                answered: outcome.answered, human: outcome.human,
                taskID: args.task, userID: rep.id, transcription: args.transcription,
                recordingURL: args.recordingURL, dispositionID: dispositionID,
                notes: args.notes.flatMap { $0.isEmpty ? nil : $0 })
            let localID = UUID().uuidString
            let done: @Sendable (DispoStore) -> Bool = { store in
                switch (try? store.outboxEntry(localID: localID))?.state {
                case .sent?, .needsAttention?, .discarded?: true
                default: false
                }
            }
            let end = await runOutbox(session, store: store, wait: args.wait, submit: { runtime in
                // As the TUI writes it: who · disposition (the number stands for the contact, unknown here).
                runtime.perform(.submitLog(localID: localID, request: request, summary: "\(shownNumber(request.to, defaultRegion: region)) · \(dispositionName)"))
            }, finished: done)
            guard let entry = try? store.outboxEntry(localID: localID) else {
                FileHandle.standardError.write(Data("dispo: not logged: the log could not be saved locally, so it was not sent\n".utf8))
                throw ExitCode(1)
            }
            if let due = callBackDue, entry.state != .needsAttention {
                let c = CallBack(id: "cb-" + localID, taskID: args.task, contact: nil, number: request.to, sequenceName: nil,
                                 due: due, note: args.notes.flatMap { $0.isEmpty ? nil : $0 }, createdAt: Date())
                do {
                    try store.saveCallBack(c, workspaceKey: session.workspaceKey)
                    FileHandle.standardError.write(Data("dispo: call back \(callBackText(due, zone)) kept on this machine (dispo callbacks lists it)\n".utf8))
                } catch {
                    FileHandle.standardError.write(Data("dispo: the call back could not be kept: \(error)\n".utf8))
                }
            }
            switch entry.state {
            case .sent:
                let journal = try? store.journalEntry(callID: entry.callID ?? "")
                if args.json, let data = journal?.callJSON, let text = String(data: data, encoding: .utf8) {
                    print(text)
                } else {
                    print("logged: call \(entry.callID ?? "?")")
                }
                if journal?.notesStoredByServer == false {
                    FileHandle.standardError.write(Data("dispo: the server did not store the notes; they are kept in dispo's journal\n".utf8))
                }
            case .needsAttention:
                FileHandle.standardError.write(Data("dispo: not logged: \(refusal(entry))\nThe log is kept in the outbox: fix it in the TUI (Outbox tab) or discard it there.\n".utf8))
                throw ExitCode(1)
            default:
                FileHandle.standardError.write(Data("dispo: queued: \(queuedReason(end, lastError: entry.lastError)). It is kept in the outbox; the TUI, `dispo outbox send` or the next dispo log sends it.\n".utf8))
                throw ExitCode(3)
            }
        }
    }
}

/// Why the server refused an outbox entry, in words: its last error and the fields it named (a field's
/// message only when it says more than the error itself).
func refusal(_ entry: OutboxRecord) -> String {
    let why = sanitize(entry.lastError ?? "refused")
    let fields = entry.fieldErrors.sorted { $0.key < $1.key }
        .filter { !why.contains(sanitize($0.value)) }
        .map { "\($0.key): \(sanitize($0.value))" }
    return why + (fields.isEmpty ? "" : " (" + fields.joined(separator: "; ") + ")")
}

/// Says on standard error why `dispo log` logged nothing, and gives exit 1 (nothing was queued or sent).
func refused(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("dispo: not logged: \(sanitize(message))\n".utf8))
    return ExitCode(1)
}

/// `2026-12-03 10:00 (Thu)` in `zone`.
func callBackText(_ d: Date, _ zone: TimeZone) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = zone
    f.dateFormat = "yyyy-MM-dd HH:mm (EEE)"
    return f.string(from: d)
}
