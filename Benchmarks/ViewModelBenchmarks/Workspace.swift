import AmplemarketModels
import DispoViewModel
import Foundation

/// A workspace like the sandbox's, built in memory for the benchmarks: `count` calls with names in
/// accents, CJK, emoji and right-to-left scripts, notes on a quarter of them and long transcripts on a
/// tenth, one every 97 seconds back from `now`.
enum Workspace {
    static let now = Date(timeIntervalSince1970: 1_764_720_000)

    static let environment = AppEnvironment(isSandbox: true, baseURLDisplay: "bench", timeZone: TimeZone(identifier: "UTC")!,
                                            now: now, configuredUserEmail: "rep@example.com", downloadDirectory: "/tmp",
                                            unicode: true)

    static let dispositions = ["No answer", "Left voicemail", "Wrong number", "Busy", "Not interested", "Interested"]
        .enumerated().map { Disposition(id: "d\($0.offset)", name: $0.element, slug: nil, action: $0.offset >= 4 ? .complete : .nextStage) }

    static func calls(_ count: Int) -> [Call] {
        let names = ["José Ramírez", "王秀英", "🚀 Rocket Ramos", "محمد الأحمد", "Zoë Ångström-Lefèvre", "Dana Whitfield", nil]
        return (0..<count).map { i in
            let name = names[i % names.count]
            return Call(id: String(format: "0199ba5b-%04x-7d61-8ae4-%012x", i % 65_536, i), from: "+351 21 340 0100",
                        to: "+1 415 555 \(String(format: "%04d", i % 10_000))", duration: (i * 37) % 1_500,
                        answered: i % 5 != 0, human: i % 3 == 0,
                        transcription: i % 10 == 0 ? "Long call transcript text " + String(repeating: "blah ", count: 40) : nil,
                        notes: i % 4 == 0 ? "Follow up next week about pricing." : nil, dispositionID: "d\(i % 6)",
                        taskID: "t\(i % 400)", userID: "u1", external: i % 2 == 0,
                        contact: name.map { Contact(id: "k\(i % 900)", name: $0, email: "someone\(i % 900)@example.com") },
                        startDate: now.addingTimeInterval(Double(-97 * i)))
        }
    }

    /// The app as the rep sees it on the Calls tab with `count` calls loaded, at `size`.
    static func callsTab(_ count: Int, size: Size) -> AppState {
        var state = AppState(environment: environment)
        _ = reduce(&state, .resize(size))
        _ = reduce(&state, .accountLoaded(AccountInfo(raw: .object(["name": .string("Bench Inc")]))))
        _ = reduce(&state, .usersLoaded([User(id: "u1", name: "Rep", email: "rep@example.com")]))
        _ = reduce(&state, .dispositionsLoaded(dispositions))
        _ = reduce(&state, .callsPageLoaded(Page(items: calls(count), next: nil), replacing: true))
        _ = reduce(&state, .key(.char("2")))
        _ = render(state, size: size, options: RenderOptions())
        return state
    }
}

/// The state a benchmark mutates across its iterations (package-benchmark hands setup state over by
/// value, and the reducer needs it in place).
final class Session {
    var state: AppState
    var keys = 0
    init(_ state: AppState) { self.state = state }
}
