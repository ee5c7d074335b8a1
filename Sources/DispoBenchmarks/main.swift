// dispo's performance benchmark (design.md §7). Prints numbers; asserts nothing.
// Run: swift run -c release dispo-bench            (reduce + render, filter, memory)
//      swift run -c release dispo-bench history    (the local history: search, windows, stats)
import AmplemarketModels
import DispoViewModel
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Resident set size of this process in bytes (from /proc/self/statm).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Calls that look like the sandbox's: varied names (accents, CJK, emoji, RTL), numbers, notes.
func makeCalls(_ n: Int, now: Date) -> [Call] {
    let names = ["José Ramírez", "王秀英", "🚀 Rocket Ramos", "محمد الأحمد", "Zoë Ångström-Lefèvre", "Dana Whitfield", nil]
    return (0..<n).map { i in
        let name = names[i % names.count]
        return Call(id: String(format: "0199ba5b-%04x-7d61-8ae4-%012x", i % 65536, i), from: "+351 21 340 0100",
                    to: "+1 415 555 \(String(format: "%04d", i % 10000))", duration: (i * 37) % 1500,
                    answered: i % 5 != 0, human: i % 3 == 0, transcription: i % 10 == 0 ? "Long call transcript text " + String(repeating: "blah ", count: 40) : nil,
                    notes: i % 4 == 0 ? "Follow up next week about pricing." : nil, dispositionID: "d\(i % 6)",
                    taskID: "t\(i % 400)", userID: "u1", external: i % 2 == 0,
                    contact: name.map { Contact(id: "k\(i % 900)", name: $0, email: "someone\(i % 900)@example.com") },
                    startDate: now.addingTimeInterval(Double(-97 * i)))
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
}

func ms(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

setlocale(LC_ALL, "C.UTF-8")
if CommandLine.arguments.dropFirst().first == "history" {
    do { try HistoryBenchmark.run(Array(CommandLine.arguments.dropFirst(2))) } catch { print("history benchmark failed: \(error)"); exit(1) }
    exit(0)
}
let now = Date()
let env = AppEnvironment(isSandbox: true, baseURLDisplay: "bench", timeZone: TimeZone(identifier: "UTC")!, now: now,
                         configuredUserEmail: "rep@example.com", downloadDirectory: "/tmp", unicode: true)
let dispositions = ["No answer", "Left voicemail", "Wrong number", "Busy", "Not interested", "Interested"].enumerated().map {
    Disposition(id: "d\($0.offset)", name: $0.element, slug: nil, action: $0.offset >= 4 ? .complete : .nextStage)
}
let clock = ContinuousClock()
print("dispo benchmark — \(ProcessInfo.processInfo.processorCount) cores")

for count in [1_000, 100_000] {
    let rssBefore = residentBytes()
    var calls: [Call]? = makeCalls(count, now: now)
    var state = AppState(environment: env)
    for size in [Size(cols: 200, rows: 60), Size(cols: 80, rows: 24)] {
        state = AppState(environment: env)
        _ = reduce(&state, .resize(size))
        _ = reduce(&state, .accountLoaded(AccountInfo(raw: .object(["name": .string("Bench Inc")]))))
        _ = reduce(&state, .usersLoaded([User(id: "u1", name: "Rep", email: "rep@example.com")]))
        _ = reduce(&state, .dispositionsLoaded(dispositions))
        _ = reduce(&state, .callsPageLoaded(Page(items: calls!, next: nil), replacing: true))
        _ = reduce(&state, .key(.char("2")))
        _ = render(state, size: size, options: RenderOptions())
        var samples: [Double] = []
        for i in 0..<2_000 {
            let key: Key = (i / 500) % 2 == 0 ? .char("j") : .char("k")
            let d = clock.measure {
                _ = reduce(&state, .key(key))
                _ = render(state, size: size, options: RenderOptions())
            }
            samples.append(ms(d))
        }
        samples.sort()
        print(String(format: "key→frame, %6d calls, %3d×%-2d: median %.3f ms  p99 %.3f ms  max %.3f ms",
                     count, size.cols, size.rows, percentile(samples, 0.5), percentile(samples, 0.99), samples.last!))
    }
    // Typing into the `/` filter re-filters every loaded call (O(n) only when the filter text changes).
    let filterTime = clock.measure {
        _ = reduce(&state, .key(.char("/")))
        _ = reduce(&state, .key(.char("r")))
        _ = render(state, size: state.size, options: RenderOptions())
    }
    print(String(format: "filter keystroke, %6d calls: %.3f ms", count, ms(filterTime)))
    calls = nil
    let rssAfter = residentBytes()
    print(String(format: "resident memory with %6d calls in the state: +%.1f MB (%.1f MB total)",
                 count, Double(rssAfter - rssBefore) / 1_048_576, Double(rssAfter) / 1_048_576))
    _ = state
}
