import AmplemarketAPI
import AmplemarketModels
import ArgumentParser
import DispoApp
import DispoStore
import DispoViewModel
import Foundation

/// The rep for a history command: by e-mail among the workspace's users (the saved list when the server
/// cannot be reached). With `savedFirst`, the saved list answers when it names the rep, so a command that
/// reads only the local history sends no request (and does not wait out retries when offline).
/// Errors: as `pickUser`, or `ValidationError` when offline with no saved users.
func historyUser(_ session: Session, _ store: DispoStore, email: String?, savedFirst: Bool = false) async throws -> User {
    let saved = savedLists(session, store)
    if savedFirst, let known = saved.users()?.users, let rep = try? pickUser(known, email: email ?? defaultUserEmail(session)) {
        return rep
    }
    let (users, _) = try await loadOrRecall("users", load: { try await session.client.allUsers(UserListQuery(pageSize: 100)) },
                                            save: { saved.save(users: $0) }, recall: { saved.users() })
    guard let email = email ?? defaultUserEmail(session) else { return try pickUser(users, email: nil) }
    return try pickUser(users, email: email)
}

/// One line on standard error saying how complete and how old the local history is, when it matters:
/// still loading, or last synced more than 10 minutes ago (or never).
func historyNote(_ p: HistoryProgress, now: Date = Date()) -> String? {
    let held = "\(groupedCount(p.mirrored)) calls held"
    let age = p.syncedAt.map { "synced \(APIDate.format($0))" } ?? "never synced"
    if !p.isComplete {
        let back = p.oldestStart.map { ", back to \(APIDate.format($0).prefix(10))" } ?? ""
        return "dispo: history still loading (\(held)\(back); \(age)); run dispo sync to finish it"
    }
    if let at = p.syncedAt, now.timeIntervalSince(at) < 600 { return nil }
    return "dispo: from the local history (\(held), \(age))"
}

func printNote(_ text: String?) {
    if let text { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring the local history of a rep's calls up to date now (GET /calls, paced to half the rate limit).",
        discussion: "Reads the newest calls down to those already held (the last 7 days again), then older pages to the start of the history. A progress bar on a terminal; one summary line otherwise. Exit 1 when the server stopped the sync (what was read is kept; run it again to resume).")
    @Option(help: "The rep's e-mail (default: AMPLEMARKET_USER, the config, or the user picked in the TUI).") var user: String?

    func run() throws {
        let user = user
        try withSession { session in
            let store = session.openStore()
            let rep = try await historyUser(session, store, email: user)
            // The list read here is saved, so that `dispo stats` and `dispo calls search` name the
            // dispositions afterwards without the server.
            let saved = savedLists(session, store)
            let fetched = try? await session.client.dispositions()
            if let fetched { saved.save(dispositions: fetched) }
            let dispositions = fetched ?? saved.dispositions()?.dispositions ?? []
            let before = LocalHistory.progress(store: store, workspaceKey: session.workspaceKey, userID: rep.id)
            let tty = isatty(STDERR_FILENO) == 1
            let started = Date()
            let (after, error) = await LocalHistory.sync(
                client: session.client, store: store, workspaceKey: session.workspaceKey, userID: rep.id,
                options: historyOptions(session), dispositions: dispositions) { p in
                    guard tty else { return }
                    FileHandle.standardError.write(Data(("\r" + progressBar(p, started: started)).utf8))
                }
            if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let seconds = Date().timeIntervalSince(started)
            let added = after.mirrored - before.mirrored
            var line = "\(groupedCount(after.mirrored)) calls held (\(added >= 0 ? "+" : "")\(groupedCount(added)))"
            line += after.isComplete ? ", the whole history" : after.oldestStart.map { ", back to \(APIDate.format($0).prefix(10))" } ?? ""
            line += String(format: ", in %.1f s", seconds)
            if let error {
                print("sync stopped: " + line)
                FileHandle.standardError.write(Data("dispo: \(sanitize((error as? APIFailure)?.message ?? "\(error)")); run dispo sync again to resume\n".utf8))
                throw ExitCode(1)
            }
            print("synced: " + line)
        }
    }

    /// `[#####·····] 12 400 calls · back to 2024-03-01 · 31 s` (ASCII: the width of a terminal is unknown here).
    func progressBar(_ p: HistoryProgress, started: Date) -> String {
        // Without a total from the API, the bar fills with how far back the history reaches, over a year.
        let year = 365.0 * 86_400
        let back = p.oldestStart.map { Date().timeIntervalSince($0) } ?? 0
        let share = p.isComplete ? 1 : min(0.99, back / year)
        let filled = Int((share * 20).rounded(.down))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "]"
        let date = p.oldestStart.map { " back to \(APIDate.format($0).prefix(10))" } ?? ""
        return "\(bar) \(groupedCount(p.mirrored)) calls\(date) \(Int(Date().timeIntervalSince(started))) s\u{1B}[K"
    }
}

struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Delete the local history of calls (this workspace's, or every workspace's with --all).",
        discussion: "Only the mirror of calls read from the server goes: queued logs, drafts, the journal of logs sent and call backs stay. The history is read again on the next start or dispo sync (config history = false stops that).")
    @Flag(help: "Every workspace's history, not only this one's.") var all = false

    func run() throws {
        let all = all
        try withSession { session in
            let store = session.openStore()
            let n = try LocalHistory.forget(store: store, workspaceKey: all ? nil : session.workspaceKey)
            print("forgot \(groupedCount(n)) call\(n == 1 ? "" : "s") of \(all ? "every workspace" : session.workspaceKey)")
        }
    }
}

extension CallsCommand {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Find calls in the local history by any word of their contact, numbers, notes, transcription or disposition.",
            discussion: "Words are matched as word starts, ignoring case and accents; every word must occur. Text of only digits and phone punctuation (+ ( ) - . / and spaces), 3 digits or more, is a number: its digits (a leading + or 00 dropped; of a valid number with its country code, the national number) are found anywhere in a call's numbers, written in E.164 (14155550142), national (4155550142, (415) 555-0142, 912 345 678) or as stored, so 5550142 finds +14155550142. Answers from the local history only (no request), newest first; a note on standard error says when the history is incomplete or old.")
        @Argument(help: "Words to find, or a phone number (or its last digits) in any spelling.") var text: [String]
        @Option(help: "The rep's e-mail (default: AMPLEMARKET_USER, the config, or the user picked in the TUI).") var user: String?
        // Unconditional, so that "--limit -1" reaches the check below instead of reading as a flag.
        @Option(parsing: .unconditional, help: "At most this many calls (1 or more).") var limit: Int = 50
        @Flag(help: "Print JSON instead of a table.") var json = false

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be a positive number of calls") }
            guard !text.joined().allSatisfy(\.isWhitespace) else { throw ValidationError("give words to search for") }
        }

        func run() throws {
            let (words, user, limit, json) = (text.joined(separator: " "), user, limit, json)
            try withSession { session in
                let store = session.openStore()
                let rep = try await historyUser(session, store, email: user, savedFirst: true)
                // Calls kept before the index held their numbers' digit forms get them first (once).
                try LocalHistory.indexNumbers(store: store, defaultRegion: session.config.defaultRegion) {
                    printNote("dispo: indexing the local history by its phone numbers' digits (once, after an update; about 40 s for 100 000 calls)")
                }
                // A number in any spelling, or a part of it, is searched by its digits (`PhoneDigits`).
                let typed = callSearchText(words, defaultRegion: try searchRegion(session, store, userID: rep.id))
                let window = try store.mirrorWindow(CallHistoryQuery(userID: rep.id, text: typed), workspaceKey: session.workspaceKey,
                                                    offset: 0, limit: limit, anchorID: nil)
                printNote(historyNote(LocalHistory.progress(store: store, workspaceKey: session.workspaceKey, userID: rep.id)))
                if json { try printJSON(window.calls); return }
                let names = dispositionNames(session, store)
                printCallTable(window.calls, names: names)
                let total = window.total ?? window.calls.count
                FileHandle.standardError.write(Data("dispo: \(groupedCount(total)) call\(total == 1 ? "" : "s") found\(total > window.calls.count ? ", \(window.calls.count) shown (--limit)" : "")\n".utf8))
            }
        }
    }
}

/// The region national spellings a rep types are read in, as the TUI reads them: config `default_region`,
/// else the one the rep picked in the TUI, else that of the From number of the rep's newest mirrored call.
/// Throws `StoreError`.
func searchRegion(_ session: Session, _ store: DispoStore, userID: String) throws -> String? {
    if let region = session.config.defaultRegion { return region }
    if let picked = try store.value(forKey: "region:" + session.workspaceKey) { return picked }
    let newest = try store.mirrorWindow(CallHistoryQuery(userID: userID), workspaceKey: session.workspaceKey, offset: 0, limit: 1,
                                        anchorID: nil, counting: false)
    return newest.calls.first?.from.flatMap(numberRegion)
}

/// Disposition names by id, from the list saved when dispo last read it from the server (the TUI,
/// `dispo sync`, `dispo dispositions`, `dispo log`); empty when it never did.
func dispositionNames(_ session: Session, _ store: DispoStore) -> [String: String] {
    let list = savedLists(session, store).dispositions()?.dispositions ?? []
    return Dictionary(list.map { ($0.id, $0.name ?? $0.slug ?? "") }, uniquingKeysWith: { a, _ in a })
}

/// Calls as tab-separated lines under a heading (strings from the server sanitised).
func printCallTable(_ calls: [Call], names: [String: String]) {
    print(["start (UTC)", "duration", "answered", "contact", "to", "disposition", "call id"].joined(separator: "\t"))
    for c in calls {
        let answered = c.answered == false ? "no" : c.human == false ? "voicemail" : c.human == true ? "person" : "-"
        print([c.startDate.map(APIDate.format) ?? "-",
               c.duration.map(formatDuration) ?? "-",
               answered,
               sanitize(c.contact?.name ?? "-"),
               sanitize(c.to ?? "-"),
               sanitize(c.dispositionID.flatMap { names[$0] } ?? c.dispositionName ?? "-"),
               sanitize(c.id)].joined(separator: "\t"))
    }
}

extension StatsPeriod: ExpressibleByArgument {}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "A rep's activity from the local history: dials, connects, conversations, voicemails, talk time, outcomes.",
        discussion: "Periods are in your time zone (config time_zone, else the system's): today since midnight, week since Monday, month the last 30 days. Answers from the local history only; a note on standard error says when it is incomplete or old. JSON keys: period, since, until, dials, connects, conversations, voicemails, talk_seconds, average_conversation_seconds, by_disposition (name → calls), dials_per_day (day start → dials).")
    @Option(help: "today, week or month.") var period: StatsPeriod = .today
    @Option(help: "The rep's e-mail (default: AMPLEMARKET_USER, the config, or the user picked in the TUI).") var user: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (period, user, json) = (period, user, json)
        try withSession { session in
            let store = session.openStore()
            let rep = try await historyUser(session, store, email: user, savedFirst: true)
            let zone = session.config.timeZone.flatMap(TimeZone.init(identifier:)) ?? .current
            let now = Date()
            let tallies = try store.mirroredTallies(workspaceKey: session.workspaceKey, userID: rep.id,
                                                    since: period.start(now: now, zone: zone))
            let names = dispositionNames(session, store)
            let stats = CallStats.compute(tallies, period: period, now: now, zone: zone) { t in
                t.dispositionID.flatMap { names[$0] } ?? t.dispositionName
            }
            let progress = LocalHistory.progress(store: store, workspaceKey: session.workspaceKey, userID: rep.id)
            if progress.coverage(since: stats.since, now: now) < 1 || progress.mirrored == 0 {
                printNote("dispo: history still loading: \(Int((progress.coverage(since: stats.since, now: now) * 100).rounded(.down))) % of this period held; run dispo sync")
            } else {
                printNote(historyNote(progress, now: now))
            }
            if json { try printJSON(stats.summary); return }
            for line in stats.textLines { print(line) }
        }
    }
}
