import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
import AmplemarketModels
@testable import DispoViewModel

/// `wcwidth` needs a UTF-8 `LC_CTYPE`; every test that measures text calls `useUTF8Locale()` first.
private let utf8LocaleSet: Bool = {
    setlocale(LC_CTYPE, "C.UTF-8") != nil
}()

/// Switches the process to a UTF-8 `LC_CTYPE` (once) and checks it worked.
func useUTF8Locale() {
    precondition(utf8LocaleSet, "C.UTF-8 locale unavailable")
}

/// 2025-11-29T16:00:00Z.
let fixtureNow = Date(timeIntervalSince1970: 1_764_432_000)

func date(_ iso: String) -> Date { APIDate.parse(iso)! }

enum Fixtures {
    static let env = AppEnvironment(isSandbox: true, baseURLDisplay: "http://127.0.0.1:8080",
                                    timeZone: TimeZone(identifier: "America/New_York")!, now: fixtureNow,
                                    configuredUserEmail: "rita@acme.test", downloadDirectory: "/home/rita/calls")

    static let rita = User(id: "u-1", name: "Rita Rep", email: "rita@acme.test")
    static let sam = User(id: "u-2", name: "Sam Sales", email: "sam@acme.test")

    static let dispositions: [Disposition] = [
        Disposition(id: "d-vm", name: "Left voicemail", slug: "no_answer_voicemail", action: .nextStage),
        Disposition(id: "d-busy", name: "Busy", slug: "busy", action: .nextStage),
        Disposition(id: "d-na", name: "No answer", slug: "no_answer", action: .nextStage),
        Disposition(id: "d-wrong", name: "Wrong number", slug: "wrong_number", action: .complete),
        Disposition(id: "d-ni", name: "Not interested", slug: "not_interested", action: .complete),
        Disposition(id: "d-int", name: "Interested", slug: "interested", action: .complete),
        Disposition(id: "d-odd", name: "Call back later", slug: "call_back", action: .unknown("snooze")),
    ]

    static let ana = Contact(id: "c-ana", name: "Ana Lima", email: "ana@lima.test")
    static let wang = Contact(id: "c-wang", name: "王小明", email: "wang@example.cn")
    static let zoe = Contact(id: "c-zoe", name: "Zoë 🎉 Party", email: "zoe@party.test")
    static let rtl = Contact(id: "c-rtl", name: "محمد علي", email: "m@example.eg")

    static let bruno = Contact(id: "c-bruno", name: "Bruno Costa", email: "bruno@costa.test")

    /// Open phone tasks; the first one's contact (Bruno) has no earlier call, so no number is known for him.
    static let tasks: [TaskRecord] = [
        TaskRecord(id: "t-0", automatic: false, type: "phone_call", status: "scheduled", dueOn: date("2025-11-28"),
                   sequenceName: "Q4 Outbound", userID: "u-1", contact: bruno),
        TaskRecord(id: "t-1", automatic: false, type: "phone_call", status: "scheduled", dueOn: date("2025-11-29"),
                   sequenceName: "Q4 Outbound", userID: "u-1", contact: ana),
        TaskRecord(id: "t-2", automatic: true, type: "phone_call", status: "scheduled", dueOn: date("2025-11-30"),
                   sequenceName: "APAC 新規開拓", userID: "u-1", contact: wang),
        TaskRecord(id: "t-3", automatic: false, type: "phone_call", status: "scheduled", dueOn: date("2025-12-01"),
                   sequenceName: "Events 👋 follow-up", userID: "u-1", contact: zoe),
        TaskRecord(id: "t-4", automatic: false, type: "phone_call", status: "scheduled", dueOn: date("2025-12-02"),
                   sequenceName: "MENA", userID: "u-1", contact: rtl),
        TaskRecord(id: "t-5", automatic: true, type: "phone_call", status: "scheduled", dueOn: date("2025-12-03"),
                   sequenceName: "Inbound", userID: "u-1", contact: nil),
    ]

    static let calls: [Call] = [
        Call(id: "call-1", from: "+1 650 555 0100", to: "+351 912 345 678", duration: 95, answered: true, human: true,
             transcription: "Rep: Hi Ana, this is Rita from Acme. Ana: Hi! Yes, send me the deck please.",
             notes: "Wants the deck by Friday.", dispositionID: "d-int", taskID: "t-1", userID: "u-1",
             external: true, contact: ana, startDate: date("2025-11-29T15:32:08Z")),
        Call(id: "call-2", from: "+1 650 555 0100", to: "+86 10 5555 0000", duration: 31, answered: true, human: false,
             dispositionID: "d-vm", taskID: "t-2", userID: "u-1", external: true, contact: wang,
             startDate: date("2025-11-29T14:05:00Z")),
        Call(id: "call-3", from: "+1 650 555 0100", to: "+1 415 555 0199", duration: 0, answered: false, human: false,
             dispositionID: "d-na", taskID: "t-3", userID: "u-1", external: true, contact: zoe,
             startDate: date("2025-11-28T22:15:00Z")),
        Call(id: "call-4", from: "+1 650 555 0100", to: "+20 2 5555 0101", duration: 604, answered: true, human: true,
             taskID: "t-4", userID: "u-1", external: false, contact: rtl,
             startDate: date("2025-11-28T09:00:00Z"), dispositionName: "Legacy outcome"),
        Call(id: "call-5", from: "+1 650 555 0101", to: "+44 20 7946 0000", duration: 3723, answered: true, human: true,
             recordingURL: "https://rec.example.com/r/5.mp3", taskID: "t-5", userID: "u-1", external: true,
             contact: nil, startDate: date("2025-11-27T18:45:00Z")),
    ]

    /// A state after startup with every fixture loaded (user chosen from the configured e-mail).
    static func ready(size: Size = Size(cols: 80, rows: 24), callsNext: String? = nil,
                      calls: [Call] = Fixtures.calls, tasks: [TaskRecord] = Fixtures.tasks) -> AppState {
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(size))
        _ = reduce(&s, .accountLoaded(AccountInfo(raw: .object(["name": .string("Acme Inc")]))))
        _ = reduce(&s, .usersLoaded([rita, sam]))
        _ = reduce(&s, .dispositionsLoaded(dispositions))
        _ = reduce(&s, .tasksPageLoaded(Page(items: tasks, next: nil), replacing: true))
        _ = reduce(&s, .callsPageLoaded(Page(items: calls, next: callsNext), replacing: true))
        return s
    }
}

extension Fixtures {
    /// `n` calls one minute apart (newest first), alternating person / voicemail, to contacts `k0`…`k49`.
    static func manyCalls(_ n: Int, from start: Int = 0) -> [Call] {
        (start..<start + n).map {
            Call(id: "c\($0)", from: "+1 650 555 0100", to: "+1 555 \($0)", duration: $0 % 400, answered: true,
                 human: $0 % 2 == 0, taskID: "t-1", userID: "u-1", contact: Contact(id: "k\($0 % 50)", name: "Contact \($0)", email: nil),
                 startDate: fixtureNow.addingTimeInterval(Double(-60 * $0)))
        }
    }
}

/// An outbox entry the server refused (`to: bad number`), for Ana's task: it needs the rep's attention.
func needsAttentionEntry() -> OutboxEntry {
    let req = LogCallRequest(from: "+1 650 555 0100", to: "+351 1", duration: 95, answered: true, human: false,
                             taskID: "t-1", userID: "u-1", dispositionID: "d-vm", notes: "n")
    return OutboxEntry(localID: "a", request: req, summary: "Ana Lima · Left voicemail", state: .needsAttention,
                       attempts: 2, lastError: "to: bad number", createdAt: fixtureNow)
}

/// Sends keys in order; returns every effect emitted.
@discardableResult
func press(_ state: inout AppState, _ keys: Key...) -> [Effect] {
    keys.flatMap { reduce(&state, .key($0)) }
}

/// Types text one character at a time; returns every effect emitted.
@discardableResult
func type(_ state: inout AppState, _ text: String) -> [Effect] {
    text.flatMap { reduce(&state, .key(.char($0))) }
}

/// True when `c` passes the Calls tab's `/` text and filters as they are in `s` (computed here from
/// scratch, to check the list's incremental matches).
func passesFilters(_ s: AppState, _ c: Call) -> Bool {
    let needle = s.calls.list.needle
    let text = foldForSearch(CallsState.searchText(c, s.session.dispositions, region: CallsState.region(s.context, s.calls.list.items)))
    let filter = s.calls.filter
    return (needle.isEmpty || text.contains(needle)) && (!filter.filter.isActive || filter.filter.matches(c, since: filter.since))
}

/// The folded search text the list keeps for the item with `id`.
func foldedSearchText<Item>(_ list: PagedList<Item>, id: String) -> String? {
    list.items.firstIndex { $0.listID == id }.map { String(decoding: list.searchText[$0], as: UTF8.self) }
}

/// Says a person answered the call on the open form, as a rep would (Tab to Human, `y`, which sets
/// Answered too), then Tabs back to the field that had focus.
func personAnswered(_ state: inout AppState) {
    guard let start = state.logForm.form?.focus else { return }
    while state.logForm.form?.focus != .human { press(&state, .tab) }
    press(&state, .char("y"))
    while state.logForm.form?.focus != start { press(&state, .tab) }
}
