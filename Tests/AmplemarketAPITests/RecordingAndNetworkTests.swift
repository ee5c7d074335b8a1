import AmplemarketAPI
import AmplemarketModels
import Foundation
import Testing

/// Recording downloads (0600, never a partial file) and the `.notSent` / `.uncertain` split the outbox
/// relies on: a request that cannot have arrived is `.notSent` (a POST may be sent again), one that may have
/// arrived is `.uncertain` (a POST is never sent again blindly).
@Suite struct RecordingAndNetworkTests {
    static func scratchDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dispo-rec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func recordingIsWrittenWithMode0600() async throws {
        let audio = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let dir = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = umask(0)   // even with a permissive umask the file must be private
        defer { umask(old) }
        try await withServer({ _ in Reply(contentType: "audio/mpeg", bytes: audio) }) { server in
            let path = dir.appendingPathComponent("call.mp3").path
            let written = try await withClient(testConfiguration(server.baseURL())) {
                try await $0.downloadRecording(callID: "c-1", to: path)
            }
            #expect(written == audio.count)
            #expect(FileManager.default.contents(atPath: path) == audio)
            let attrs = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["call.mp3"])
            let seen = try #require(await server.requests().first)
            #expect(seen.target == "/calls/c-1/recording")
        }
    }

    @Test func truncatedRecordingLeavesNoFile() async throws {
        let dir = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Announces 100 000 bytes, sends 10, closes.
        let raw = try RawSocketServer(.answer(head: "HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\nContent-Length: 100000\r\n\r\n",
                                              body: Data(repeating: 7, count: 10)))
        defer { raw.stop() }
        let path = dir.appendingPathComponent("call.mp3").path
        let time = FakeTime()
        let f = try await withClient(testConfiguration("http://127.0.0.1:\(raw.port)", time: time,
                                                       retry: RetryPolicy(maxAttempts: 2))) { client in
            await caught { try await client.downloadRecording(callID: "c-1", to: path) }
        }
        #expect(f?.kind == .uncertain)
        // Recordings count against 50 an hour: one that started arriving is not retried by the client
        // (the rep can press `r` again)…
        #expect(raw.connectionCount == 1)
        #expect(time.sleeps.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty) // …and nothing is left
    }

    @Test func missingFolderIsAConfigurationFailure() async throws {
        let f = try await withClient(testConfiguration("http://127.0.0.1:\(closedLoopbackPort())")) { client in
            await caught { try await client.downloadRecording(callID: "c", to: "/nonexistent-dispo-dir/x/call.mp3") }
        }
        #expect(f?.kind == .configuration)
    }

    @Test func connectionRefusedIsNotSentAndAPostIsRetried() async throws {
        let port = closedLoopbackPort()
        let time = FakeTime()
        let f = try await withClient(testConfiguration("http://127.0.0.1:\(port)", time: time,
                                                       retry: RetryPolicy(maxAttempts: 3))) { client in
            await caught {
                try await client.logCall(LogCallRequest(from: "1", to: "2", duration: 3, answered: true, human: true,
                                                        taskID: "t", userID: "u"))
            }
        }
        #expect(f?.kind == .notSent)
        #expect(f?.mayHaveReachedServer == false)
        #expect(f?.message.contains(testAPIKey) == false)
        #expect(time.sleeps == [0.5, 1.0]) // three attempts, exponential backoff (jitter fixed at 1)
    }

    @Test func connectionClosedAfterTheRequestIsUncertainAndAPostIsNotRetried() async throws {
        let raw = try RawSocketServer(.closeAfterRequest)
        defer { raw.stop() }
        let time = FakeTime()
        let f = try await withClient(testConfiguration("http://127.0.0.1:\(raw.port)", time: time)) { client in
            await caught {
                try await client.logCall(LogCallRequest(from: "1", to: "2", duration: 3, answered: true, human: true,
                                                        taskID: "t", userID: "u"))
            }
        }
        #expect(f?.kind == .uncertain)
        #expect(f?.mayHaveReachedServer == true)
        #expect(raw.connectionCount == 1)
        #expect(time.sleeps.isEmpty)
    }

    @Test func timeoutAfterSendingIsUncertain() async throws {
        let raw = try RawSocketServer(.hang)
        defer { raw.stop() }
        let f = try await withClient(testConfiguration("http://127.0.0.1:\(raw.port)", requestTimeout: 0.5)) { client in
            await caught { try await client.skipTask(id: "t1") }
        }
        #expect(f?.kind == .uncertain)
        #expect(raw.connectionCount == 1)
    }

    @Test func cancellingAWaitingGetStopsItWithoutRetries() async throws {
        let raw = try RawSocketServer(.hang)
        defer { raw.stop() }
        let time = FakeTime()
        let client = try AmplemarketClient(configuration: testConfiguration("http://127.0.0.1:\(raw.port)", time: time,
                                                                            requestTimeout: 30))
        let task = Task { await caught { try await client.listUsers(UserListQuery()) } }
        // Cancel once the server has the request (polling the accept count, not sleeping a guess).
        while raw.heads.isEmpty { await Task.yield() }
        task.cancel()
        let f = await task.value
        await client.shutdown()
        #expect(f?.kind == .uncertain)
        #expect(raw.connectionCount == 1)
        #expect(time.sleeps.isEmpty)
    }

    @Test func aGetIsRetriedAfterTheConnectionClosed() async throws {
        let raw = try RawSocketServer(.closeAfterRequest)
        defer { raw.stop() }
        let time = FakeTime()
        let f = try await withClient(testConfiguration("http://127.0.0.1:\(raw.port)", time: time,
                                                       retry: RetryPolicy(maxAttempts: 3))) { client in
            await caught { try await client.listUsers(UserListQuery()) }
        }
        #expect(f?.kind == .uncertain)
        #expect(raw.connectionCount == 3)
        #expect(time.sleeps == [0.5, 1.0])
    }
}

/// `HTTPS_PROXY` / `NO_PROXY` are honoured for real connections.
@Suite struct ProxyTests {
    @Test func httpsGoesThroughTheProxyWithConnect() async throws {
        let proxy = try RawSocketServer(.answer(head: "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", body: Data()))
        defer { proxy.stop() }
        var config = testConfiguration("https://api.amplemarket.com", retry: .none)
        config.environment = ["HTTPS_PROXY": "http://127.0.0.1:\(proxy.port)", "NO_PROXY": "localhost,.internal"]
        let f = try await withClient(config) { client in await caught { try await client.accountInfo() } }
        #expect(f?.kind == .notSent) // the proxy refused the tunnel: nothing reached the API
        let head = try #require(proxy.heads.first)
        #expect(head.hasPrefix("CONNECT api.amplemarket.com:443 HTTP/1.1"))
        #expect(!head.contains(testAPIKey)) // the key only travels inside the TLS tunnel
    }

    @Test func noProxyHostsConnectDirectly() async throws {
        let proxy = try RawSocketServer(.closeAfterRequest)
        defer { proxy.stop() }
        try await withServer({ _ in Reply(body: #"{"name":"direct"}"#) }) { server in
            var config = testConfiguration(server.baseURL())
            config.environment = ["HTTPS_PROXY": "http://127.0.0.1:\(proxy.port)", "http_proxy": "http://127.0.0.1:\(proxy.port)"]
            let info = try await withClient(config) { try await $0.accountInfo() }
            #expect(info.workspaceName == "direct") // loopback is never proxied
        }
        #expect(proxy.connectionCount == 0)
    }
}
