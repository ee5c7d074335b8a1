import AmplemarketModels
import Foundation

/// The proxy the client uses for its base URL, chosen from the environment the way curl does:
/// `HTTPS_PROXY` / `https_proxy` for an https base URL, `http_proxy` (lower case only, as curl) for an
/// http one, unless the host matches `NO_PROXY` / `no_proxy` (comma-separated host names, `.suffix`
/// domains, `*` for all, IP addresses) or is loopback, which is never proxied.
public struct ProxyChoice: Sendable, Hashable {
    /// Proxy host.
    public var host: String
    /// Proxy port (default 1080 for socks5, 80 for http).
    public var port: Int
    /// True for a `socks5://` proxy, false for an http (CONNECT) proxy.
    public var isSOCKS: Bool
    /// `user` and `password` from the proxy URL, when it had them (sent as Basic proxy authorization).
    public var user: String?
    public var password: String?

    /// Chooses the proxy for a base URL host and scheme from an environment; nil means connect directly.
    ///
    /// Throws `APIFailure(kind: .configuration)` when the variable is set but is not a usable proxy URL
    /// (its value is not repeated in the message, since it may hold a password).
    public static func resolve(scheme: String, host: String, environment: [String: String]) throws -> ProxyChoice? {
        if BaseURL.isLoopback(host) { return nil }
        let raw: String?
        if scheme == "https" {
            raw = environment["HTTPS_PROXY"] ?? environment["https_proxy"]
        } else {
            raw = environment["http_proxy"]
        }
        guard let value = raw?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        let noProxy = environment["NO_PROXY"] ?? environment["no_proxy"] ?? ""
        if matchesNoProxy(host: host, list: noProxy) { return nil }

        let name = scheme == "https" ? "HTTPS_PROXY" : "http_proxy"
        let withScheme = value.contains("://") ? value : "http://" + value
        guard let comps = URLComponents(string: withScheme), let pHost = comps.host, !pHost.isEmpty else {
            throw APIFailure(kind: .configuration, message: "\(name) is set but is not a proxy URL like http://proxy:3128")
        }
        let pScheme = comps.scheme?.lowercased() ?? "http"
        let socks = pScheme == "socks5" || pScheme == "socks5h"
        guard socks || pScheme == "http" || pScheme == "https" else {
            throw APIFailure(kind: .configuration, message: "\(name) uses an unsupported proxy scheme (use http:// or socks5://)")
        }
        var h = pHost
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        return ProxyChoice(host: h, port: comps.port ?? (socks ? 1080 : (pScheme == "https" ? 443 : 80)), isSOCKS: socks,
                           user: comps.user?.removingPercentEncoding, password: comps.password?.removingPercentEncoding)
    }

    /// True when `host` is excluded from proxying by a `NO_PROXY` list.
    static func matchesNoProxy(host: String, list: String) -> Bool {
        let h = host.lowercased()
        for rawEntry in list.split(separator: ",") {
            var entry = rawEntry.trimmingCharacters(in: .whitespaces).lowercased()
            if entry.isEmpty { continue }
            if entry == "*" { return true }
            if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
                entry = String(entry[entry.index(after: entry.startIndex)..<close])
            } else if entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") {
                entry = String(entry[..<colon]) // host:port
            }
            if entry.hasPrefix("*.") { entry.removeFirst() }
            if entry.hasPrefix(".") {
                if h.hasSuffix(entry) || h == String(entry.dropFirst()) { return true }
            } else if h == entry || h.hasSuffix("." + entry) {
                return true
            }
        }
        return false
    }
}
