import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback TCP port on which nothing listens, held so that nothing else takes it: every connection
/// attempt is refused (`ECONNREFUSED`, a TCP reset to the SYN), exactly as when no server runs. For
/// tests of "the server is unreachable at start, then comes up on that port":
///
/// ```swift
/// let port = try SandboxRefusingPort()          // port.baseURL refuses connections
/// // … start the client (e.g. the dispo binary with AMPLEMARKET_BASE_URL=port.baseURL) and watch it fail …
/// let server = try await port.startServer(SandboxConfiguration())   // now it answers, same URL
/// ```
///
/// For a separate `dispo sandbox --port <port>` process instead, call `release()` just before starting
/// it. The port is held by a TCP socket that is bound but never listens (closed on `exec`, so child
/// processes do not inherit it); between `release()` and the server's bind another program could take
/// the port in theory, as with any port picked ahead of time. This differs from
/// `SandboxFaults.downUntil`, where the server accepts the connection and then closes it (a reset after
/// connecting, not a refusal).
public final class SandboxRefusingPort: @unchecked Sendable {
    /// The numeric address the port is held on (`127.0.0.1` by default; an IPv6 literal such as `::1`
    /// works too).
    public let host: String
    /// The held TCP port.
    public let port: Int
    /// `http://<host>:<port>`, no trailing slash (IPv6 hosts in brackets) — the same URL the server
    /// started by `startServer` answers on.
    public var baseURL: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    private let lock = NSLock()
    private var descriptor: Int32?

    /// Picks a free port on `host` and holds it. Throws `SandboxRefusingPort.Failure` when `host` is not a
    /// numeric IPv4 or IPv6 address or a socket call fails.
    public init(host: String = "127.0.0.1") throws {
        let (fd, port) = try Self.bindWithoutListening(host: host)
        self.host = host
        self.port = port
        self.descriptor = fd
    }

    deinit { release() }

    /// Whether the port is still held (refusing connections).
    public var isHeld: Bool { lock.withLock { descriptor != nil } }

    /// Stops holding the port (nothing listens on it until a server binds it). Idempotent.
    public func release() {
        lock.withLock {
            if let fd = descriptor { _ = close(fd) }
            descriptor = nil
        }
    }

    /// Releases the port and starts a sandbox on it: `configuration` with its `host` and `port` replaced
    /// by this one's. Returns once the server listens, like `SandboxServer.start`.
    public func startServer(_ configuration: SandboxConfiguration) async throws -> SandboxServer {
        var configuration = configuration
        configuration.host = host
        configuration.port = port
        release()
        // Once released, the port is free for anyone: an outgoing connection of this machine may get it as
        // its own ephemeral port for a moment. Binding again shortly after gets it back.
        var attempt = 0
        while true {
            do { return try await SandboxServer.start(configuration) } catch where attempt < 40 && "\(error)".contains("Address already in use") {
                attempt += 1
                try await Task.sleep(nanoseconds: 50_000_000)
            }
        }
    }

    /// Why a port could not be held.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// One line naming the step and the system error.
        public let description: String
    }

    private static func bindWithoutListening(host: String) throws -> (Int32, Int) {
        let isIPv6 = host.contains(":")
        #if canImport(Glibc)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        let fd = socket(isIPv6 ? AF_INET6 : AF_INET, type, 0)
        guard fd >= 0 else { throw failure("socket") }
        #if !canImport(Glibc)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        #endif
        do {
            let port = isIPv6 ? try bindIPv6(fd, host) : try bindIPv4(fd, host)
            return (fd, port)
        } catch {
            _ = close(fd)
            throw error
        }
    }

    private static func bindIPv4(_ fd: Int32, _ host: String) throws -> Int {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0  // any free port
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw Failure(description: "\(host) is not a numeric IPv4 or IPv6 address")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard bound else { throw failure("bind \(host)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func bindIPv6(_ fd: Int32, _ host: String) throws -> Int {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = 0  // any free port
        guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
            throw Failure(description: "\(host) is not a numeric IPv4 or IPv6 address")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard bound else { throw failure("bind [\(host)]") }
        return Int(UInt16(bigEndian: address.sin6_port))
    }

    private static func failure(_ step: String) -> Failure {
        Failure(description: "\(step) failed: \(String(cString: strerror(errno)))")
    }
}
