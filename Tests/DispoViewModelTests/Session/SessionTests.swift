import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The session: startup loads, who the rep is, failures that block every pane, load errors on the status
/// line, and how status messages expire.
@Suite("Session") struct SessionTests {
    init() { useUTF8Locale() }

    @Test func firstResizeLoadsAccountUsersDispositionsOnce() {
        var s = AppState(environment: Fixtures.env)
        #expect(reduce(&s, .resize(Size(cols: 80, rows: 24))) == [.io(.load(.account)), .io(.load(.users)), .io(.load(.dispositions))])
        #expect(reduce(&s, .resize(Size(cols: 100, rows: 30))).isEmpty)
    }

    @Test func configuredUserIsPickedAndListsAreLoaded() {
        var s = AppState(environment: Fixtures.env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        let effects = reduce(&s, .usersLoaded([Fixtures.sam, Fixtures.rita]))
        #expect(s.session.user?.id == "u-1")
        #expect(effects == [.io(.load(.tasks(TaskListQuery(userID: "u-1", type: "phone_call", status: "scheduled")))),
                            .io(.load(.calls(CallListQuery(pageSize: 50, userID: "u-1"))))])
    }

    @Test func severalUsersAndNoneConfiguredAsksAndRemembers() {
        var env = Fixtures.env
        env.configuredUserEmail = nil
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        #expect(reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam])).isEmpty)
        guard case .userPicker? = s.modal else { Issue.record("no user picker"); return }
        let effects = press(&s, .down, .enter)
        #expect(s.session.user?.id == "u-2")
        #expect(s.modal == nil)
        #expect(effects.first == .io(.rememberUser(email: "sam@acme.test")))
        #expect(effects.contains(.io(.load(.calls(CallListQuery(pageSize: 50, userID: "u-2"))))))
    }

    @Test func singleUserIsUsedWithoutAsking() {
        var env = Fixtures.env
        env.configuredUserEmail = nil
        var s = AppState(environment: env)
        let effects = reduce(&s, .usersLoaded([Fixtures.sam]))
        #expect(s.session.user?.id == "u-2" && s.modal == nil && effects.count == 2)
    }

    @Test func unknownConfiguredEmailIsNamedAndPickerShown() {
        var env = Fixtures.env
        env.configuredUserEmail = "ghost@acme.test"
        var s = AppState(environment: env)
        _ = reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam]))
        #expect(s.session.user == nil)
        #expect(s.session.status?.isError == true && s.session.status?.text.contains("ghost@acme.test") == true)
        guard case .userPicker? = s.modal else { Issue.record("no user picker"); return }
        type(&s, "rit")
        #expect(press(&s, .enter).first == .io(.rememberUser(email: "rita@acme.test")))
    }

    @Test func unknownConfiguredUserIsSaidInThePicker() {
        var env = Fixtures.env
        env.configuredUserEmail = "ana@x.com"
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .usersLoaded([Fixtures.rita, Fixtures.sam]))
        #expect(s.modal == .userPicker(PickerState()))
        #expect(screen(s).contains("No user ana@x.com in this workspace – pick who you are"))
    }

    @Test func failuresBecomeClearMessages() {
        var s = AppState(environment: Fixtures.env)
        _ = reduce(&s, .accountFailed(APIFailure(kind: .unauthorized, status: 401, message: "unauthorized")))
        #expect(s.session.paneError?.contains("AMPLEMARKET_API_KEY") == true)
        var t = AppState(environment: Fixtures.env)
        _ = reduce(&t, .usersFailed(APIFailure(kind: .notSent, message: "connection refused")))
        #expect(t.session.paneError?.hasPrefix("Cannot reach http://127.0.0.1:8080") == true)
        var u = AppState(environment: Fixtures.env)
        _ = reduce(&u, .accountFailed(APIFailure(kind: .notFound, status: 404, message: "not found")))
        #expect(u.session.paneError?.contains("does not look like the Amplemarket API") == true)
        var v = Fixtures.ready()
        _ = reduce(&v, .callsFailed(APIFailure(kind: .server, status: 503, message: "unavailable")))
        #expect(v.session.paneError == nil && v.session.status?.isError == true)
        press(&v, .escape)
        #expect(v.session.status == nil)
    }

    @Test func aLaterSuccessfulLoadClearsThePaneError() {
        var s = AppState(environment: Fixtures.env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .accountFailed(APIFailure(kind: .notSent, message: "connection refused")))
        #expect(screen(s).contains("Cannot reach"))
        press(&s, .char("R"))
        _ = reduce(&s, .accountFailed(APIFailure(kind: .notSent, message: "connection refused")))
        #expect(s.session.paneError != nil)
        _ = reduce(&s, .accountLoaded(AccountInfo(raw: .object(["name": .string("Acme Inc")]))))
        _ = reduce(&s, .usersLoaded([Fixtures.rita]))
        #expect(s.session.paneError == nil)
        #expect(!screen(s).contains("Cannot reach"))
    }

    @Test func aWorkspaceWithoutUsersStaysSaidAfterOtherLoads() {
        var env = Fixtures.env
        env.configuredUserEmail = nil
        var s = AppState(environment: env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .usersLoaded([]))
        _ = reduce(&s, .dispositionsLoaded(Fixtures.dispositions))
        #expect(s.session.paneError?.contains("no users") == true)
    }

    @Test func aLoadErrorGoesWhenThatLoadSucceeds() {
        var s = Fixtures.ready()
        _ = reduce(&s, .callsFailed(APIFailure(kind: .server, status: 500, message: "server error")))
        #expect(s.session.status?.text.hasPrefix("Could not load calls") == true)
        _ = reduce(&s, .tasksPageLoaded(Page(items: Fixtures.tasks, next: nil), replacing: true))
        #expect(s.session.status?.isError == true, "another load succeeding does not clear it")
        _ = reduce(&s, .callsPageLoaded(Page(items: Fixtures.calls, next: nil), replacing: true))
        #expect(s.session.status == nil)
        _ = reduce(&s, .dispositionsFailed(APIFailure(kind: .server, status: 500, message: "server error")))
        _ = reduce(&s, .dispositionsLoaded(Fixtures.dispositions))
        #expect(s.session.status == nil)
    }

    @Test func statusMessagesExpireAndStayOnTheirTab() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("R"))
        #expect(s.session.status?.text == "Refreshing…")
        // Stamped by the next tick (the clock may be stale until then), then expiring 5 s later.
        #expect(s.nextTickDeadline == nil, "no wake-up of its own: the tick after the key stamps it")
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(30)))
        #expect(s.session.status?.text == "Refreshing…", "a new message is not expired by a stale clock")
        #expect(s.nextTickDeadline == fixtureNow.addingTimeInterval(35))
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(35)))
        #expect(s.session.status == nil)
        press(&s, .char("R"))
        press(&s, .char("1"))
        #expect(s.session.status == nil, "a non-error message does not follow to another tab")
        _ = reduce(&s, .statusMessage("Could not load calls", isError: true))
        press(&s, .char("2"))
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(600)))
        #expect(s.session.status?.isError == true, "errors stay until Esc")
        press(&s, .escape)
        #expect(s.session.status == nil)
    }

    @Test func statusExpiryIsADeadline() {
        var s = Fixtures.ready()
        _ = reduce(&s, .statusMessage("Copied", isError: false))
        #expect(s.nextTickDeadline == nil, "stamped by the tick that follows the key batch")
        _ = reduce(&s, .tick(fixtureNow))
        #expect(s.nextTickDeadline == fixtureNow.addingTimeInterval(StatusMessage.lifetime))
        _ = reduce(&s, .tick(fixtureNow.addingTimeInterval(StatusMessage.lifetime)))
        #expect(s.session.status == nil && s.nextTickDeadline == nil)
        _ = reduce(&s, .statusMessage("Broken", isError: true))
        #expect(s.nextTickDeadline == nil, "errors stay until dismissed")
    }

    /// A failure that blocks every pane (the key rejected while loading calls), on the Outbox tab: `R`
    /// tries the session's loads again, whose answer confirms or clears the failure.
    @Test func refreshRetriesABlockingFailureOnAnyTab() {
        var s = Fixtures.ready()
        _ = reduce(&s, .callsFailed(APIFailure(kind: .unauthorized, status: 401, message: "unauthorized")))
        press(&s, .char("3"))
        #expect(screen(s).split(separator: "\n")[23].hasPrefix("R retry"))
        let effects = press(&s, .char("R"))
        #expect(effects == [.io(.load(.account)), .io(.load(.users)), .io(.load(.dispositions))])
        #expect(s.session.status?.text == "Refreshing…")
        _ = reduce(&s, .accountFailed(APIFailure(kind: .unauthorized, status: 401, message: "unauthorized")))
        #expect(s.session.paneError?.contains("rejected") == true, "still rejected: said again")
    }

    /// The pane's failure names the refresh key as configured.
    @Test func paneFailureNamesTheRefreshKeyAsBound() throws {
        var s = Fixtures.ready()
        s.environment.keymap = try Keymap(overrides: ["refresh": ["u"]])
        _ = reduce(&s, .accountFailed(APIFailure(kind: .notSent, message: "connection refused")))
        #expect(s.session.paneError?.hasSuffix("AMPLEMARKET_BASE_URL; u retries.") == true, "\(s.session.paneError ?? "-")")
    }
}
