import AmplemarketModels
import DispoStore
import DispoViewModel
import Foundation
import GRDB

/// `dispo-bench history [--calls N] [--state DIR] [--user-id ID]`: the local history's speed over N
/// mirrored calls (default 100 000, a year of a busy rep): search as the rep types, windows deep in the
/// history, true counts, 30 days of tallies, the insert rate and the file's size. With `--state`, the
/// store is left in DIR/dispo/dispo.sqlite under the built-in sandbox's workspace (for measuring the TUI
/// over it); else in a temporary directory that is removed. Prints numbers; asserts nothing.
enum HistoryBenchmark {
    /// Words of notes and transcriptions: common sales words, and a long tail of rarer ones.
    static let common = ["pricing", "demo", "budget", "follow", "up", "next", "week", "call", "back", "decision", "maker",
                         "contract", "renewal", "trial", "integration", "dialer", "sequence", "meeting", "booked", "quarter",
                         "procurement", "security", "review", "champion", "intro", "voicemail", "gatekeeper", "timing"]
    static let rare = ["Kilimanjaro", "Zanzibar", "Øresund", "São", "Paulo", "Müller", "Zoë", "Łódź", "Reykjavík", "東京",
                       "competitor", "Salesloft", "Outreach", "Gong", "Apollo", "onboarding", "SOC2", "GDPR", "invoice",
                       "headcount", "expansion", "pilot", "churn", "escalation", "legal", "redlines", "signature"]

    static func makeCalls(_ n: Int, userID: String, now: Date) -> [MirroredCall] {
        var rng = BenchRandom(seed: 42)
        let names = ["José Ramírez", "王秀英", "Zoë Ångström-Lefèvre", "Dana Whitfield", "Søren Rossi", "محمد الأحمد", "Kenji Sato"]
        let span = 365.0 * 86_400
        return (0..<n).map { i in
            let start = now.addingTimeInterval(-span * Double(i) / Double(n))
            var words: [String] = []
            for _ in 0..<rng.int(4...14) {
                words.append(rng.int(0...9) < 8 ? common[rng.int(0...common.count - 1)] : rare[rng.int(0...rare.count - 1)])
            }
            words.append("w\(rng.int(0...49_999))")  // a long tail: each such word in about 2 calls
            let answered = rng.int(0...9) < 6, human = answered && rng.int(0...9) < 7
            let transcript = human && rng.int(0...9) < 4 ? (0..<rng.int(20...60)).map { _ in common[rng.int(0...common.count - 1)] }.joined(separator: " ") : nil
            let call = Call(id: String(format: "bench-%08d", i), from: "+351 21 340 0100",
                            to: "+1 415 555 \(String(format: "%04d", i % 10_000))", duration: answered ? rng.int(12...1_500) : 0,
                            answered: answered, human: human, transcription: transcript,
                            notes: rng.int(0...9) < 6 ? words.joined(separator: " ") : nil, dispositionID: "d\(rng.int(0...5))",
                            taskID: "t\(i % 400)", userID: userID,
                            contact: Contact(id: "k\(i % 3_000)", name: names[i % names.count] + " \(i % 3_000)",
                                             email: "someone\(i % 3_000)@example.com"),
                            startDate: start)
            return MirroredCall(call: call, extraSearchText: "+1415555\(String(format: "%04d", i % 10_000))")
        }
    }

    static func run(_ arguments: [String]) throws {
        func option(_ name: String) -> String? { arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } }
        let n = option("--calls").flatMap(Int.init) ?? 100_000
        let userID = option("--user-id") ?? "bench-user"
        let keep = option("--state")
        let dir = keep.map { $0 + "/dispo" } ?? NSTemporaryDirectory() + "dispo-bench-history-\(UUID().uuidString.prefix(8))"
        let path = dir + "/dispo.sqlite"
        let store = try DispoStore.open(path: path).store
        let workspace = keep == nil ? "bench" : "sandbox"
        let clock = ContinuousClock()
        print("history benchmark — \(n) calls mirrored, \(ProcessInfo.processInfo.processorCount) cores, store \(path)")

        let calls = makeCalls(n, userID: userID, now: Date())
        var pages = 0
        let inserted = clock.measure {
            var i = 0
            while i < calls.count {
                _ = try? store.mirror(Array(calls[i..<min(i + 100, calls.count)]), workspaceKey: workspace, userID: userID)
                i += 100; pages += 1
            }
        }
        print(String(format: "  mirror: %d pages of 100 in %.1f s (%.0f calls/s, %.1f ms a page)", pages, ms(inserted) / 1000,
                     Double(n) / (ms(inserted) / 1000), ms(inserted) / Double(pages)))

        // A mirror kept before number words owes them: indexed again as the first start of this version
        // does it (the numbers read by libphonenumber, national spellings in PT, 500 calls a transaction).
        // First the mirror is made as an older version left it: its number words (lines of digit runs)
        // taken out again, through SQLite (not timed).
        let stripped = clock.measure {
            let queue = try? DatabaseQueue(path: path)
            try? queue?.write { db in
                let rows = try Row.fetchAll(db, sql: "SELECT sort_key, search_text FROM call_mirror")
                for row in rows {
                    let text: String = row["search_text"]
                    let kept = text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
                        !(line.contains(" ") && line.allSatisfy { $0 == " " || $0.isASCII && $0.isNumber })
                    }
                    try db.execute(sql: "UPDATE call_mirror SET search_text = ? WHERE sort_key = ?",
                                   arguments: [kept.joined(separator: "\n"), row["sort_key"] as Int64])
                }
            }
            try? queue?.close()
        }
        print(String(format: "  (number words taken out again to make an older mirror: %.1f s)", ms(stripped) / 1000))
        try store.setValue(String(Int64.max), forKey: DispoStore.numberWordsOwedKey)
        var reindexed = 0
        let reindex = clock.measure {
            reindexed = (try? store.indexMirrorNumbers { to, from in
                [to, from].compactMap { $0 }.flatMap { numberDigitForms($0, defaultRegion: "PT") }
            }) ?? -1
        }
        print(String(format: "  number words put into an older mirror: %d calls in %.2f s (%.0f calls/s)", reindexed,
                     ms(reindex) / 1000, Double(reindexed) / (ms(reindex) / 1000)))

        /// The best of `repeats` of: the window the rep sees first (uncounted), and the count after it.
        func timed(_ q: CallHistoryQuery, offset: Int = 0, repeats: Int = 5) -> (ms: Double, countMs: Double, total: Int) {
            var best = Double.infinity, bestCount = Double.infinity, total = 0
            for _ in 0..<repeats {
                let d = clock.measure { _ = try? store.mirrorWindow(q, workspaceKey: workspace, offset: offset, limit: 140, anchorID: nil, counting: false) }
                let c = clock.measure { total = (try? store.mirrorCount(q, workspaceKey: workspace)) ?? -1 }
                best = min(best, ms(d)); bestCount = min(bestCount, ms(c))
            }
            return (best, bestCount, total)
        }
        func report(_ label: String, _ r: (ms: Double, countMs: Double, total: Int)) {
            print(String(format: "  %-40@ rows %7.2f ms, count %7.2f ms  (%d calls)", label as NSString, r.ms, r.countMs, r.total))
        }
        // A first query, cold (the file just reopened would be colder still; SQLite's cache is warm here).
        let first = clock.measure { _ = try? store.mirrorWindow(CallHistoryQuery(userID: userID, text: "kilimanjaro"), workspaceKey: workspace, offset: 0, limit: 140, anchorID: nil, counting: false) }
        print(String(format: "  first search (\"kilimanjaro\", first use): rows in %.2f ms", ms(first)))
        for word in ["kilimanjaro", "pricing", "w31337"] {
            var rows: [Double] = [], counts: [Double] = []
            for k in 1...word.count {
                let r = timed(CallHistoryQuery(userID: userID, text: String(word.prefix(k))), repeats: 3)
                rows.append(r.ms); counts.append(r.countMs)
            }
            let sorted = rows.sorted(), sortedCounts = counts.sorted()
            print(String(format: "  typing \"%@\" letter by letter: rows median %.2f ms, worst %.2f ms (at \"%@\"); count median %.2f ms, worst %.2f ms",
                         word, sorted[sorted.count / 2], sorted.last!, String(word.prefix(rows.firstIndex(of: sorted.last!)! + 1)),
                         sortedCounts[sortedCounts.count / 2], sortedCounts.last!))
        }
        report("3 words (\"pricing demo budget\")", timed(CallHistoryQuery(userID: userID, text: "pricing demo budget")))
        report("a number in E.164 (+14155550142)", timed(CallHistoryQuery(userID: userID, text: "+14155550142")))
        report("its national digits (4155550142)", timed(CallHistoryQuery(userID: userID, text: "4155550142")))
        report("a run of its digits (5550142)", timed(CallHistoryQuery(userID: userID, text: "5550142")))
        report("3 digits (555)", timed(CallHistoryQuery(userID: userID, text: "555")))
        report("no text, window at row 50 000", timed(CallHistoryQuery(userID: userID), offset: min(50_000, n / 2)))
        report("answered + person, no text", timed(CallHistoryQuery(userID: userID, answered: true, human: true)))
        report("\"pricing\" + answered + last 30 days", timed(CallHistoryQuery(userID: userID, text: "pricing", answered: true,
                                                                               since: Date().addingTimeInterval(-30 * 86_400))))
        var tallies = 0
        let stats = clock.measure { tallies = (try? store.mirroredTallies(workspaceKey: workspace, userID: userID, since: Date().addingTimeInterval(-30 * 86_400)).count) ?? 0 }
        print(String(format: "  tallies of the last 30 days:                 %7.2f ms  (%d calls)", ms(stats), tallies))
        try? store.close()
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) ?? 0
        print(String(format: "  store file: %.1f MB (%.0f bytes a call)", Double(bytes) / 1e6, Double(bytes) / Double(max(1, n))))
        if keep == nil { try? FileManager.default.removeItem(atPath: dir) }
    }
}

/// A small deterministic PRNG (a 64-bit linear congruential generator, Knuth's MMIX constants; the high
/// bits are used), so every run mirrors the same calls.
struct BenchRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 16
    }
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
}
