import DispoSandbox
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fault flags of `dispo sandbox`, through the built binary (`swift build` puts it in
/// `.build/debug/dispo`; `DISPO_BINARY` overrides the path, as for the end-to-end tests).
@Suite struct SandboxCommandTests {
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["DISPO_BINARY"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/dispo").path
    }

    /// A `dispo` process with its output in a pipe and its state under a fresh temporary home.
    private func launch(_ arguments: [String]) throws -> (Process, Pipe) {
        let home = NSTemporaryDirectory() + "dispo-sandbox-cli-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = ["HOME": home, "XDG_STATE_HOME": home + "/state", "XDG_CONFIG_HOME": home + "/config",
                               "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return (process, output)
    }

    /// Runs `dispo <arguments>` to its end; its exit status and output.
    private func run(_ arguments: [String]) throws -> (Int32, String) {
        let (process, output) = try launch(arguments)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func theHelpNamesEveryFaultFlag() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "dispo binary missing at \(Self.binary)")
        let (status, help) = try run(["sandbox", "--help"])
        #expect(status == 0)
        let flat = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for flag in ["--post-latency <ms>", "--clock-skew <seconds>", "--retry-after-date", "--fail-every <n>"] {
            #expect(flat.contains(flag), "\(flag) in:\n\(help)")
        }
        #expect(flat.contains("Hold every POST /calls this many milliseconds"))
        #expect(flat.contains("Date header of every response"))
    }

    /// Starts `dispo sandbox --port 0 <arguments>`, runs `body` with its base URL, and stops it.
    private func withSandboxCommand<T>(_ arguments: [String], _ body: (String) async throws -> T) async throws -> T {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "dispo binary missing at \(Self.binary)")
        let (process, output) = try launch(["sandbox", "--port", "0"] + arguments)
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        // The listening line, read off the process's output as it comes (a reader thread, not a sleep).
        let url: String? = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var text = ""
                while true {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { continuation.resume(returning: nil); return }
                    text += String(decoding: chunk, as: UTF8.self)
                    if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                        continuation.resume(returning: String(text[range]))
                        return
                    }
                }
            }
        }
        return try await body(try #require(url, "dispo sandbox printed no URL"))
    }

    /// Starts `dispo sandbox --port 0 <arguments>`, reads the faults it serves, and stops it.
    private func faultsOfSandbox(_ arguments: [String]) async throws -> SandboxFaults {
        try await withSandboxCommand(arguments) { baseURL in
            let read = try await send(baseURL: baseURL, .GET, "/_sandbox/faults", key: nil)
            return try JSONDecoder().decode(SandboxFaults.self, from: read.body)
        }
    }

    /// `--calls N` gives the primary rep N calls in all, served over the API.
    @Test func theCallsFlagSizesThePrimaryRepsHistory() async throws {
        let (count, pages) = try await withSandboxCommand(["--calls", "2345"]) { baseURL in
            let users = try await send(baseURL: baseURL, .GET, "/users")
            let primary = (users.object["users"] as? [[String: Any]])?.first { $0["email"] as? String == SandboxWorkspace.primaryUserEmail }
            let id = try #require(primary?["id"] as? String, "the primary rep in \(users.object)")
            let (calls, pages) = try await LargeWorkspaceTests.allCalls(baseURL: baseURL, userID: id)
            return (calls.count, pages)
        }
        #expect(count == 2_345)
        #expect(pages == 24)
    }

    @Test func theFaultFlagsSetTheFaults() async throws {
        let faults = try await faultsOfSandbox(["--post-latency", "250", "--clock-skew", "-3600.5", "--retry-after-date",
                                                "--fail-every", "3"])
        #expect(faults == SandboxFaults(postLatencyMilliseconds: 250, clockSkewSeconds: -3600.5, retryAfterAsDate: true,
                                        failEveryNth: 3))
    }

    @Test func theFaultFlagsAreOffUnlessGiven() async throws {
        #expect(try await faultsOfSandbox([]) == SandboxFaults())
    }

    @Test(arguments: [["--post-latency", "-1"], ["--fail-every", "-2"], ["--clock-skew", "1e12"], ["--clock-skew", "soon"],
                      ["--calls", "-1"], ["--calls", "1000001"]])
    func badFaultValuesAreRefused(arguments: [String]) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "dispo binary missing at \(Self.binary)")
        let (status, text) = try run(["sandbox", "--port", "0"] + arguments)
        #expect(status != 0, "\(text)")
        #expect(text.contains(arguments[0]), "\(text)")
    }
}
