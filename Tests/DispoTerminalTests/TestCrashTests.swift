import Testing
@testable import DispoTerminal

/// The crash-on-purpose hook the terminal-restore end-to-end tests use (`DISPO_TEST_CRASH_AFTER_START`).
@Suite("Test crash hook")
struct TestCrashTests {
    @Test func readsTheKindFromTheEnvironment() {
        let key = "DISPO_TEST_CRASH_AFTER_START"
        #expect(TestCrash(environment: [key: "1"]) == .trap)
        #expect(TestCrash(environment: [key: "trap"]) == .trap)
        #expect(TestCrash(environment: [key: "ABORT"]) == .abort)
        #expect(TestCrash(environment: [key: "segv"]) == .segv)
    }

    @Test func noCrashUnlessAsked() {
        #expect(TestCrash(environment: [:]) == nil)
        #expect(TestCrash(environment: ["DISPO_TEST_CRASH_AFTER_START": ""]) == nil)
        #expect(TestCrash(environment: ["DISPO_TEST_CRASH_AFTER_START": "0"]) == nil)
        #expect(TestCrash(environment: ["DISPO_TEST_CRASH_AFTER_START": "yes please"]) == nil)
    }
}
