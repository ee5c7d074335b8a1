import AmplemarketAPI
import AmplemarketModels
import Foundation

/// The key the tests use; every message is checked not to contain it.
let testAPIKey = "test-key-5f1c0b7a-secret"

/// A configuration whose sleeps and clock are `time`'s, with jitter fixed at 1 and no proxy variables.
func testConfiguration(_ baseURL: String, time: FakeTime = FakeTime(), retry: RetryPolicy = RetryPolicy(),
                       pacing: PacingLimits = PacingLimits(), requestTimeout: Double = 10,
                       apiKey: String = testAPIKey) -> ClientConfiguration {
    ClientConfiguration(baseURL: baseURL, apiKey: apiKey, userAgent: "dispo/test", requestTimeout: requestTimeout,
                        downloadTimeout: 20, retry: retry, pacing: pacing,
                        onPacingWait: { time.pacingWait($0) }, environment: [:],
                        sleep: { time.sleep($0) }, clock: { time.now }, jitter: { 1.0 })
}

/// Runs `body` with a client and always shuts the client down afterwards.
func withClient<T>(_ configuration: ClientConfiguration, _ body: (AmplemarketClient) async throws -> T) async throws -> T {
    let client = try AmplemarketClient(configuration: configuration)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

/// Runs `body` against a hand-made server and always stops the server afterwards.
func withServer<T>(_ handler: @escaping @Sendable (SeenRequest) async -> Reply,
                   _ body: (HandMadeServer) async throws -> T) async throws -> T {
    let server = try await HandMadeServer.start(handler)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Calls `body` and returns the `APIFailure` it threw (nil when it did not throw one).
func caught<T>(_ body: () async throws -> T) async -> APIFailure? {
    do { _ = try await body(); return nil } catch let f as APIFailure { return f } catch { return nil }
}

/// A call object in wire form with the given id; `extra` is spliced in verbatim (`"k": v, ...`).
func callJSON(_ id: String, extra: String = "") -> String {
    """
    {"id":"\(id)","from":"+1 555 0100","to":"+1 555 0199","duration":42,"answered":true,"human":true,
     "transcription":null,"notes":null,"recording_url":null,"disposition_id":null,
     "task_id":"t-1","user_id":"u-1","external":true,"contact":null,"start_date":"2025-10-06T16:30:08Z"\(extra.isEmpty ? "" : ",")\(extra)}
    """
}

/// A user object in wire form.
func userJSON(_ id: String) -> String {
    #"{"id":"\#(id)","name":"User \#(id)","email":"\#(id)@example.com","status":"active","role":"member","mailboxes":[]}"#
}
