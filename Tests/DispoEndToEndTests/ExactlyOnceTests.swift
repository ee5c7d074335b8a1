import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import Foundation
import Testing

/// Exactly once under the faults an independent server showed: a restart while the server is still
/// saving the POST, a second dispo on the same state directory, a full disk, damaged store pages and
/// damaged WAL frames. The real binary in tmux against a sandbox in this process; what counts is what
/// ARRIVES at the sandbox (its recorded `POST /calls`) and the calls it holds.
@Suite("End to end: exactly once", .serialized)
struct ExactlyOnceTests {
    typealias R = ReliabilityTests
    static let size = R.size

    /// A sandbox, a state directory and the arguments for dispo against them.
    struct Setup {
        let server: SandboxServer
        let stateDir: String
        var env: [String: String] { R.environment(server, stateDir: stateDir).merging(["XDG_CONFIG_HOME": stateDir + "/config"]) { $1 } }
        var args: [String] { ["--user", server.workspace.primaryUserEmail] }
        var storePath: String { stateDir + "/dispo/dispo.sqlite" }

        /// A sandbox and a state directory. The local history is off (`history = false`): these trials
        /// stand for a full disk and damaged frames by the write-ahead log's size, which the mirror's
        /// first sync (megabytes, checkpointed and restarted) would decide instead of the outbox.
        static func make() async throws -> Setup {
            let dir = try R.newStateDir()
            try FileManager.default.createDirectory(atPath: dir + "/config/dispo", withIntermediateDirectories: true)
            try "history = false\n".write(toFile: dir + "/config/dispo/config.toml", atomically: true, encoding: .utf8)
            return Setup(server: try await SandboxServer.start(SandboxConfiguration()), stateDir: dir)
        }

        func dispo(pane: ((String) -> String)? = nil) throws -> TmuxSession {
            try TmuxSession(cols: ExactlyOnceTests.size.cols, rows: ExactlyOnceTests.size.rows, arguments: args,
                            environment: env, pane: pane)
        }
    }

    /// From the Tasks tab: opens the log form on the task `down` rows below the first, types the numbers,
    /// the duration (`m:ss`) and "Left voicemail", and sends it with Ctrl-S (waiting for the frame after
    /// it unless `wait` is false).
    static func logCall(_ tmux: TmuxSession, down: Int = 0, to: String, duration: String, wait: Bool = true) async throws {
        try await tmux.press("1")
        try await tmux.press("g")
        for _ in 0..<down { try await tmux.press("j") }
        try await tmux.press("Enter")
        try await R.set(tmux, "To", to)
        try await R.set(tmux, "From", "+1 650 555 0199")
        try await R.fillDurationAndVoicemail(tmux, duration: duration)
        if wait { try await tmux.press("C-s") } else { try tmux.send("C-s", wait: false) }
    }

    /// Switches to the Outbox tab (again, if a key sent while dispo was starting went unseen).
    static func showOutbox(_ tmux: TmuxSession) async throws {
        for _ in 0..<10 {
            if tmux.capture().contains("[3 Outbox") { return }
            try await tmux.press("3")
        }
        throw HarnessError("the Outbox tab did not open; screen:\n\(tmux.capture())")
    }

    static func header(_ tmux: TmuxSession) -> String {
        tmux.capture().split(separator: "\n").first.map(String.init) ?? ""
    }

    /// True when the Outbox tab (shown) lists only sent entries, `count` of them at least.
    static func allSent(_ tmux: TmuxSession, count: Int) -> Bool {
        let rows = tmux.capture().split(separator: "\n").map(String.init)
        guard let heading = rows.firstIndex(where: { $0.contains("Created") && $0.contains("State") }) else { return false }
        let entries = rows[(heading + 1)...].filter { $0.contains(" \u{00B7} ") }
        return entries.filter { $0.contains("  sent  ") }.count >= count
            && !entries.contains { $0.contains("pending") || $0.contains("sending") }
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : -1
    }

    /// dispo's log file in the state directory.
    static func log(_ setup: Setup) throws -> String {
        try String(contentsOfFile: setup.stateDir + "/dispo/dispo.log", encoding: .utf8)
    }

    static func gone(_ pid: pid_t) async throws {
        try await R.poll("dispo \(pid) to be gone") { Foundation.kill(pid, 0) != 0 }
    }

    // MARK: - Restart while the server is still saving

    @Test("SIGKILL mid-POST (server slow), restarted 1 s later: the look-up waits for the POST to settle; one call")
    func restartWhileTheServerIsStillSaving() async throws {
        R.preconditions()
        let setup = try await Setup.make()
        defer { Task { await setup.server.shutdown() } }
        let first = try setup.dispo()
        defer { first.kill() }
        try await first.idle()
        try await R.waitForTasks(first, server: setup.server)
        let since = Date()
        let pid = try first.dispoProcess()
        await setup.server.setFaults(SandboxFaults(latencyMilliseconds: 8000))
        try await Self.logCall(first, to: "+1 415 555 0141", duration: "2:08", wait: false)
        try await R.poll("the POST to arrive", tmux: first) { !(await R.postedBodies(setup.server).isEmpty) }
        let posted = Date()
        Foundation.kill(pid, SIGKILL)
        try await Self.gone(pid)
        first.kill()
        // The server still holds the POST (it saves the call 8 s after it arrived); dispo is back at once.
        await setup.server.setFaults(SandboxFaults())
        let second = try setup.dispo()
        defer { second.kill() }
        try await second.idle()
        #expect(await R.created(setup.server, duration: 128, since: since).isEmpty, "restarted before the server saved it")
        try await Self.showOutbox(second)
        try await R.poll("the log to be found", tmux: second, timeout: 90) { Self.allSent(second, count: 1) }
        let posts = await R.postedBodies(setup.server)
        #expect(posts.count == 1, "exactly one POST arrived: \(posts)")
        #expect(await R.created(setup.server, duration: 128, since: since).count == 1, "exactly one call")
        let lookUps = await setup.server.recordedRequests().filter {
            $0.method == "GET" && $0.path == "/calls" && ($0.query ?? "").contains("start_date_from")
        }
        let firstLookUp = try #require(lookUps.first)
        // Uncertain from the POST's start: its 30 s timeout plus the 15 s settle time.
        #expect(firstLookUp.receivedAt.timeIntervalSince(posted) >= 44, "looked up \(firstLookUp.receivedAt.timeIntervalSince(posted)) s after the POST")
    }

    // MARK: - A second dispo on the same state directory

    @Test("A second dispo while the first is sending: it leaves the entry alone, shows the outcome, takes over on exit")
    func aSecondDispoWhileTheFirstSends() async throws {
        R.preconditions()
        let setup = try await Setup.make()
        defer { Task { await setup.server.shutdown() } }
        let first = try setup.dispo()
        defer { first.kill() }
        try await first.idle()
        try await R.waitForTasks(first, server: setup.server)
        let since = Date()
        let firstPID = try first.dispoProcess()
        await setup.server.setFaults(SandboxFaults(latencyMilliseconds: 6000))
        try await Self.logCall(first, to: "+1 415 555 0142", duration: "2:09", wait: false)
        try await R.poll("the POST to arrive", tmux: first) { !(await R.postedBodies(setup.server).isEmpty) }
        await setup.server.setFaults(SandboxFaults())  // the first POST still takes its 6 s

        let second = try setup.dispo()
        defer { second.kill() }
        try await second.idle()
        try await R.poll("the second to name the sender", tmux: second) {
            Self.header(second).contains("another dispo (pid \(firstPID)) sends")
        }
        try await Self.showOutbox(second)
        try await R.poll("the second's Outbox to show it sent", tmux: second, timeout: 40) { Self.allSent(second, count: 1) }
        #expect(await R.postedBodies(setup.server).count == 1, "the second never re-sent it")
        #expect(await R.created(setup.server, duration: 129, since: since).count == 1)

        // Logged in the second, sent by the first; the second is told.
        try await R.waitForTasks(second, server: setup.server)
        try await Self.logCall(second, down: 1, to: "+1 415 555 0143", duration: "2:10")
        try await R.poll("the first to send it", tmux: second) { await R.created(setup.server, duration: 130, since: since).count == 1 }
        try await R.poll("the second told it was logged", tmux: second) { second.capture().contains("Logged:") }

        // The first quits: the second takes over.
        try await first.press("q")
        try await Self.gone(firstPID)
        try await R.poll("the second to take over", tmux: second) { !Self.header(second).contains("another dispo") }
        let bodies = await R.postedBodies(setup.server)
        #expect(bodies.compactMap { $0["duration"] as? Int } == [129, 130], "each once")
    }

    // MARK: - A full disk

    @Test("A queued log while the disk is full, then space freed: 'cannot save' shown, then sent once by itself")
    func aFullDiskThenSpaceFreed() async throws {
        R.preconditions()
        let setup = try await Setup.make()
        defer { Task { await setup.server.shutdown() } }
        // The file size limit stands for the full disk; SIGXFSZ is ignored so a write fails (EFBIG).
        let first = try setup.dispo(pane: { dispo in "trap '' XFSZ; \(dispo); echo EXITED:$?; sleep 30" })
        defer { first.kill() }
        try await first.idle()
        try await R.waitForTasks(first, server: setup.server)
        let since = Date()
        let pid = try first.dispoProcess()
        await setup.server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        try await Self.logCall(first, to: "+1 415 555 0144", duration: "2:11")
        try await R.poll("the log queued, offline", tmux: first) {
            let top = Self.header(first)
            return top.contains("1 queued") && top.contains("offline")
        }
        try await first.idle()
        let wal = Self.fileSize(setup.storePath + "-wal")
        #expect(wal > 0)
        #expect(try run("/usr/bin/env", ["prlimit", "--pid", "\(pid)", "--fsize=\(wal):"]).status == 0)
        await setup.server.setFaults(SandboxFaults())
        try await R.poll("the header to say it cannot save", tmux: first) { Self.header(first).contains("cannot save") }
        #expect(await R.postedBodies(setup.server).isEmpty, "nothing sent that the store could not record")
        try await Self.showOutbox(first)
        #expect(first.capture().contains("Cannot save"), "the Outbox tab says so:\n\(first.capture())")

        #expect(try run("/usr/bin/env", ["prlimit", "--pid", "\(pid)", "--fsize=unlimited:"]).status == 0)
        try await R.poll("sent without a key press", tmux: first, timeout: 60) {
            Self.allSent(first, count: 1) && !Self.header(first).contains("cannot save")
        }
        #expect(await R.postedBodies(setup.server).count == 1)
        #expect(await R.created(setup.server, duration: 131, since: since).count == 1)
    }

    // MARK: - A damaged store

    /// Logs two calls while the server is down (2:12 and 2:13) and waits until both are queued.
    static func queueTwo(_ tmux: TmuxSession, _ setup: Setup, between: (() async throws -> Void)? = nil) async throws {
        await setup.server.setFaults(SandboxFaults(downUntil: Date().addingTimeInterval(3600)))
        try await Self.logCall(tmux, to: "+1 415 555 0145", duration: "2:12")
        try await R.poll("one queued", tmux: tmux) { Self.header(tmux).contains("1 queued") && Self.header(tmux).contains("offline") }
        try await tmux.idle()
        try await between?()
        try await Self.logCall(tmux, down: 1, to: "+1 415 555 0146", duration: "2:13")
        try await R.poll("two queued", tmux: tmux) { Self.header(tmux).contains("2 queued") }
        try await tmux.idle()
    }

    /// After a restart on the repaired store: both logs arrive, each exactly once, in order.
    static func bothArriveOnce(_ tmux: TmuxSession, _ setup: Setup, since: Date) async throws {
        try await R.poll("both logs sent", tmux: tmux, timeout: 60) { Self.allSent(tmux, count: 2) }
        let bodies = await R.postedBodies(setup.server)
        #expect(bodies.compactMap { $0["duration"] as? Int } == [132, 133], "each once, in order: \(bodies)")
        for d in [132, 133] { #expect(await R.created(setup.server, duration: d, since: since).count == 1) }
    }

    @Test("Damaged store pages with 2 logs queued: salvaged, the logs put back and sent once; the rep is told")
    func damagedPages() async throws {
        R.preconditions()
        let setup = try await Setup.make()
        defer { Task { await setup.server.shutdown() } }
        let first = try setup.dispo()
        defer { first.kill() }
        try await first.idle()
        try await R.waitForTasks(first, server: setup.server)
        let since = Date()
        let pid = try first.dispoProcess()
        try await Self.queueTwo(first, setup)
        try first.send("q", wait: false)  // asks first: logs are queued
        try await R.poll("the quit question", tmux: first) { first.capture().contains("still queued") }
        try first.send("y", wait: false)
        try await Self.gone(pid)
        first.kill()
        #expect(Self.fileSize(setup.storePath + "-wal") <= 0, "a clean exit leaves everything in the store file")
        // Keep the header page; scribble over every page after it.
        let handle = try #require(FileHandle(forUpdatingAtPath: setup.storePath))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: max(0, Int(size) - 4096)))
        try handle.close()

        let second = try setup.dispo()
        defer { second.kill() }
        try await second.idle()
        try await Self.showOutbox(second)
        try await R.poll("the Outbox to say what was repaired", tmux: second) {
            second.capture().contains("Repaired at start: damaged store salvaged; 2 logs put back")
        }
        #expect(try Self.log(setup).contains("local store was damaged"), "the full account in dispo.log")
        await setup.server.setFaults(SandboxFaults())
        try await Self.bothArriveOnce(second, setup, since: since)
    }

    @Test("Damaged WAL frames with 2 logs queued: found before SQLite reads them, said plainly; both sent once")
    func damagedWALFrames() async throws {
        R.preconditions()
        let setup = try await Setup.make()
        defer { Task { await setup.server.shutdown() } }
        let first = try setup.dispo()
        defer { first.kill() }
        try await first.idle()
        try await R.waitForTasks(first, server: setup.server)
        let since = Date()
        let pid = try first.dispoProcess()
        var walAfterFirst = 0
        try await Self.queueTwo(first, setup) { walAfterFirst = Self.fileSize(setup.storePath + "-wal") }
        Foundation.kill(pid, SIGKILL)  // the WAL stays as it is on disk
        try await Self.gone(pid)
        first.kill()
        let wal = setup.storePath + "-wal"
        #expect(walAfterFirst > 32 && Self.fileSize(wal) > walAfterFirst + 4120, "frames written after the first log")
        // One byte of the first page written after the first log was queued.
        let handle = try #require(FileHandle(forUpdatingAtPath: wal))
        try handle.seek(toOffset: UInt64(walAfterFirst + 24 + 200))
        let byte = try #require(handle.readData(ofLength: 1).first)
        try handle.seek(toOffset: UInt64(walAfterFirst + 24 + 200))
        try handle.write(contentsOf: Data([byte ^ 0x5A]))
        try handle.close()

        let second = try setup.dispo()
        defer { second.kill() }
        try await second.idle()
        #expect(!second.capture().contains("An unsent log from last time"), "the second log's own draft is not offered back")
        try await Self.showOutbox(second)
        try await R.poll("the Outbox to say what was repaired", tmux: second) {
            second.capture().contains("Repaired at start: damaged write-ahead log")
                && second.capture().contains("The store had lost this log; it was restore")
        }
        #expect(try Self.log(setup).contains("write-ahead log was damaged at frame"), "the full account in dispo.log")
        await setup.server.setFaults(SandboxFaults())
        try await Self.bothArriveOnce(second, setup, since: since)
    }
}
