import DispoSandbox
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `SandboxRefusingPort`: a port that refuses connections until a sandbox comes up on it.
@Suite struct RefusingPortTests {
    /// The `errno` of a plain TCP connect to `127.0.0.1:port` (0 when it connected).
    private func connectErrno(port: Int) -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return -1 }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        _ = inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0 ? 0 : errno
    }

    @Test func aHeldPortRefusesConnectionsUntilTheSandboxComesUpOnIt() async throws {
        let held = try SandboxRefusingPort()
        #expect(held.isHeld && held.port > 0)
        #expect(held.baseURL == "http://127.0.0.1:\(held.port)")
        #expect(connectErrno(port: held.port) == ECONNREFUSED)
        await #expect(throws: (any Error).self) {
            _ = try await send(baseURL: held.baseURL, .GET, "/account-info", timeout: .seconds(2))
        }
        #expect(connectErrno(port: held.port) == ECONNREFUSED, "still refused after a client tried")

        let server = try await held.startServer(SandboxConfiguration(now: fixedNow))
        #expect(!held.isHeld)
        #expect(server.baseURL == held.baseURL)
        #expect(connectErrno(port: held.port) == 0)
        let answer = try await send(baseURL: held.baseURL, .GET, "/account-info")
        await server.shutdown()
        #expect(answer.status == 200)
    }

    @Test func aReleasedPortCanBeBoundByAnyServer() async throws {
        let held = try SandboxRefusingPort()
        held.release()
        held.release()  // idempotent
        var configuration = SandboxConfiguration(now: fixedNow)
        configuration.port = held.port
        let server = try await SandboxServer.start(configuration)
        let status = try await send(server, .GET, "/_sandbox/health", key: nil).status
        await server.shutdown()
        #expect(status == 200)
    }

    @Test func twoHeldPortsDiffer() throws {
        let a = try SandboxRefusingPort(), b = try SandboxRefusingPort()
        #expect(a.port != b.port)
    }

    @Test func onlyNumericAddressesCanBeHeld() {
        #expect(throws: SandboxRefusingPort.Failure.self) { _ = try SandboxRefusingPort(host: "localhost") }
    }
}
