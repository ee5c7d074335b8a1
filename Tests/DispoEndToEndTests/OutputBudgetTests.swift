import Foundation
import Testing

// Output budget: the bytes dispo writes to its terminal for one `j` on the Calls list at 80×24 (at most
// 600: a few changed cells, not a repaint), and for 5 seconds of idling (none). Measured with `tmux
// pipe-pane`, which copies everything the pane's program writes to a file. The numbers are printed;
// docs/performance.md keeps them.

extension TmuxSession {
    /// Starts copying the pane's output to `path` (through `cat`); `path + ".done"` appears once the copy
    /// is closed and flushed.
    func startOutputCopy(to path: String) throws {
        try tmux("pipe-pane", "-o", "-t", name, "cat >> \(shellQuote(path)); echo done > \(shellQuote(path + ".done"))")
    }

    /// Stops the copy started by `startOutputCopy` and waits (bounded) until `cat` has written everything;
    /// returns the number of bytes copied.
    func stopOutputCopy(at path: String) async throws -> Int {
        try tmux("pipe-pane", "-t", name)
        try await poll("the output copy to \(path) to finish", timeout: 10) {
            FileManager.default.fileExists(atPath: path + ".done")
        }
        return ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
}

/// User plus system CPU time of process `pid` in clock ticks (`/proc/<pid>/stat` fields 14 and 15).
func cpuTicks(of pid: pid_t) -> Int? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // After the command name: field 3 (state) is fields[0], so field 14 is fields[11] and 15 is fields[12].
    guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
    return user + system
}

/// Cells whose text differs between two captures of the same size (attributes are not visible here).
func changedCells(_ a: String, _ b: String) -> Int {
    let ra = a.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
    let rb = b.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
    var n = 0
    for i in 0..<max(ra.count, rb.count) {
        let x = i < ra.count ? ra[i] : [], y = i < rb.count ? rb[i] : []
        for j in 0..<max(x.count, y.count) where (j < x.count ? x[j] : " ") != (j < y.count ? y[j] : " ") { n += 1 }
    }
    return n
}

@Suite("End to end: output budget")
struct OutputBudgetTests {
    @Test("bytes written for one j on the Calls list at 80×24, and for 5 s idle (zero)")
    func outputBudget() async throws {
        let tmux = try await startDispo(cols: 80, rows: 24)
        defer { tmux.kill() }
        try await tmux.press("2")  // Calls tab, first call selected
        let before = tmux.capture()
        let cursorRow = before.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("▸") }
        #expect(cursorRow != nil, "a selected row on the Calls list:\n\(before)")

        // One step down the list.
        let stepFile = tmux.workDir + "/output-j"
        try tmux.startOutputCopy(to: stepFile)
        try await tmux.press("j")
        // The app wrote its frame before reporting idle; wait (bounded) until tmux has shown it too.
        var after = before
        try await tmux.poll("tmux to show the step") { after = tmux.capture(); return after != before }
        let stepBytes = try await tmux.stopOutputCopy(at: stepFile)
        let afterRow = after.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("▸") }
        #expect(cursorRow.map { $0 + 1 } == afterRow, "the selection moved down one row:\n\(after)")
        let cells = changedCells(before, after)

        // Five seconds of nothing: no bytes, no frame, (almost) no CPU.
        let pid = try tmux.dispoPID()
        let idleBefore = try String(contentsOfFile: tmux.idleFile, encoding: .utf8)
        let ticksBefore = cpuTicks(of: pid)
        let idleFile = tmux.workDir + "/output-idle"
        try tmux.startOutputCopy(to: idleFile)
        try await Task.sleep(for: .seconds(5))  // the measurement window itself, not a synchronisation
        let idleBytes = try await tmux.stopOutputCopy(at: idleFile)
        let ticksAfter = cpuTicks(of: pid)
        let idleAfter = try String(contentsOfFile: tmux.idleFile, encoding: .utf8)
        let idleTicks = (ticksAfter ?? 0) - (ticksBefore ?? 0)

        print("""
        Output budget (80×24, Calls list): one `j` = \(stepBytes) bytes (\(cells) cells changed text); \
        5 s idle = \(idleBytes) bytes, \(idleTicks) CPU ticks (1/\(sysconf(Int32(_SC_CLK_TCK))) s)
        """)
        #expect(stepBytes > 0, "the step was drawn")
        #expect(stepBytes <= 600, "one list step at 80×24 costs \(stepBytes) bytes (budget 600)")
        #expect(idleBytes == 0, "idle output must be zero, got \(idleBytes) bytes")
        let framesBefore = idleBefore.split(separator: "\n").first, framesAfter = idleAfter.split(separator: "\n").first
        #expect(framesBefore == framesAfter, "no frame drawn while idle: \(idleBefore) → \(idleAfter)")
        #expect(ticksBefore != nil && ticksAfter != nil)
        #expect(idleTicks <= 5, "idle CPU: \(idleTicks) ticks in 5 s")
    }
}
