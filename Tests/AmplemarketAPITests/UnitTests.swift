@testable import AmplemarketAPI
import AmplemarketModels
import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Testing

/// Pure pieces of the client: base URL checks, href resolution, Retry-After, proxy choice, pacing
/// arithmetic, failure mapping.
@Suite struct UnitTests {
    // MARK: Base URL (https, or http to a loopback address; no credentials, no query)

    @Test(arguments: ["http://example.com", "http://10.0.0.5:8080", "ftp://api.amplemarket.com", "api.amplemarket.com",
                      "https://", "https://user:pw@api.amplemarket.com", "https://api.amplemarket.com?x=1", ""])
    func unusableBaseURLsAreRefused(_ url: String) {
        #expect(throws: APIFailure.self) { try BaseURL(url) }
        do { _ = try AmplemarketClient(configuration: ClientConfiguration(baseURL: url, apiKey: "k")); Issue.record("accepted \(url)") }
        catch let f as APIFailure { #expect(f.kind == .configuration) }
        catch { Issue.record("wrong error \(error)") }
    }

    @Test(arguments: ["https://api.amplemarket.com", "http://127.0.0.1:8080", "http://127.3.4.5", "http://localhost:9000/amp",
                      "http://[::1]:8080", "https://proxy.example.com/amplemarket/"])
    func usableBaseURLsAreAccepted(_ url: String) async throws {
        let client = try AmplemarketClient(configuration: ClientConfiguration(baseURL: url, apiKey: "k", environment: [:]))
        await client.shutdown()
    }

    @Test func baseURLPartsAreKept() throws {
        let b = try BaseURL("http://[::1]:8080/amp/v1/")
        #expect(b.origin == "http://[::1]:8080")
        #expect(b.pathPrefix == "/amp/v1")
        #expect(try BaseURL("https://api.amplemarket.com").pathPrefix == "")
    }

    // MARK: URLs and hrefs (queries encoded once, `next` hrefs followed on the same origin only)

    @Test func queryComponentsAreEncoded() throws {
        let b = try BaseURL("https://api.amplemarket.com")
        let url = URLBuilding.url(base: b, path: "/calls", query: [("page[size]", "5"), ("from", "+1 555&x=y")])
        #expect(url == "https://api.amplemarket.com/calls?page%5Bsize%5D=5&from=%2B1%20555%26x%3Dy")
    }

    @Test func hrefsResolveWithoutDoubleEncoding() throws {
        let b = try BaseURL("https://api.amplemarket.com")
        let raw = try URLBuilding.resolve(href: "/calls?page[size]=20&page[after]=0199ba5b", base: b)
        let encoded = try URLBuilding.resolve(href: "/calls?page%5bsize%5D=20&page%5Bafter%5D=0199ba5b", base: b)
        #expect(raw == "https://api.amplemarket.com/calls?page%5Bsize%5D=20&page%5Bafter%5D=0199ba5b")
        #expect(raw == encoded)
        #expect(try URLBuilding.resolve(href: "/calls?q=50%", base: b) == "https://api.amplemarket.com/calls?q=50%25")
        #expect(try URLBuilding.resolve(href: "calls?x=é#frag", base: b) == "https://api.amplemarket.com/calls?x=%C3%A9")
        #expect(try URLBuilding.resolve(href: "https://API.amplemarket.com:443/users?page[after]=1", base: b)
                == "https://api.amplemarket.com/users?page%5Bafter%5D=1")
    }

    @Test func hrefsAndPathPrefixes() throws {
        let b = try BaseURL("http://127.0.0.1:9/amp")
        #expect(try URLBuilding.resolve(href: "/calls?a=1", base: b) == "http://127.0.0.1:9/amp/calls?a=1")
        #expect(try URLBuilding.resolve(href: "/amp/calls?a=1", base: b) == "http://127.0.0.1:9/amp/calls?a=1")
        #expect(try URLBuilding.resolve(href: "/ample/calls", base: b) == "http://127.0.0.1:9/amp/ample/calls")
    }

    @Test func hrefsToOtherOriginsAreRefused() throws {
        let b = try BaseURL("https://api.amplemarket.com")
        for href in ["https://evil.example.com/calls", "http://api.amplemarket.com/calls", "https://api.amplemarket.com:8443/calls",
                     "//evil.example.com/calls", "   "] {
            #expect(throws: APIFailure.self) { try URLBuilding.resolve(href: href, base: b) }
        }
    }

    @Test func logPathsDropTheQuery() {
        #expect(URLBuilding.pathForLog("https://h/calls?user_id=x&from=%2B1") == "/calls")
        #expect(URLBuilding.pathForLog("http://h:1") == "/")
    }

    // MARK: Retry-After (seconds or an HTTP date)

    @Test func retryAfterForms() {
        let now = Date(timeIntervalSince1970: 784_111_747) // Sun, 06 Nov 1994 08:49:07 GMT
        #expect(FailureMapping.retryAfterSeconds("120", now: now) == 120)
        #expect(FailureMapping.retryAfterSeconds(" 1.5 ", now: now) == 1.5)
        #expect(FailureMapping.retryAfterSeconds("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 30)
        #expect(FailureMapping.retryAfterSeconds("Sunday, 06-Nov-94 08:49:37 GMT", now: now) == 30)
        #expect(FailureMapping.retryAfterSeconds("Sun Nov  6 08:49:37 1994", now: now) == 30)
        #expect(FailureMapping.retryAfterSeconds("Sat, 05 Nov 1994 08:49:37 GMT", now: now) == 0)
        #expect(FailureMapping.retryAfterSeconds("soon", now: now) == nil)
        #expect(FailureMapping.retryAfterSeconds(nil, now: now) == nil)
    }

    // MARK: Failure mapping (HTTP statuses and error bodies onto failure kinds)

    @Test func statusesMapOntoKinds() {
        func kind(_ status: Int, _ body: String = "") -> APIFailure.Kind {
            FailureMapping.failure(status: status, headers: [:], body: body.isEmpty ? nil : .init(string: body), apiKey: "k").kind
        }
        #expect(kind(401) == .unauthorized)
        #expect(kind(403) == .unauthorized)
        #expect(kind(403, #"{"_errors":[{"code":"forbidden","detail":"No access to calls"}]}"#) == .forbidden)
        #expect(kind(400) == .validation)
        #expect(kind(422) == .validation)
        #expect(kind(404) == .notFound)
        #expect(kind(404, #"{"_errors":[{"source":{"pointer":"/id"}}]}"#) == .notFound)
        #expect(kind(404, #"{"_errors":[{"source":{"pointer":"/disposition_id"}}]}"#) == .validation)
        #expect(kind(413) == .tooLarge)
        #expect(kind(429) == .rateLimited)
        #expect(kind(500) == .server)
        #expect(kind(503) == .server)
        #expect(kind(302) == .other)
        #expect(kind(418) == .other)
    }

    @Test func messagesNeverCarryTheKeyOrControlCharacters() {
        let key = "sekrit-key-123"
        let body = #"{"_errors":[{"detail":"bad key sekrit-key-123\u001b[2J\nreally"}]}"#
        let f = FailureMapping.failure(status: 400, headers: [:], body: .init(string: body), apiKey: key)
        #expect(!f.message.contains(key))
        #expect(!f.message.contains("\u{1b}"))
        #expect(!f.message.contains("\n"))
        #expect(f.message.contains("bad key"))
    }

    @Test func multipleEntriesAreCountedInTheMessage() {
        let body = #"{"_errors":[{"detail":"first"},{"detail":"second"}]}"#
        let f = FailureMapping.failure(status: 422, headers: [:], body: .init(string: body), apiKey: "k")
        #expect(f.message == "first (and 1 more)")
        #expect(f.entries.count == 2)
    }

    @Test func networkErrorsSplitIntoNotSentAndUncertain() {
        #expect(FailureMapping.failure(networkError: HTTPClientError.connectTimeout, apiKey: "k").kind == .notSent)
        #expect(FailureMapping.failure(networkError: HTTPClientError.getConnectionFromPoolTimeout, apiKey: "k").kind == .notSent)
        #expect(FailureMapping.failure(networkError: HTTPClientError.readTimeout, apiKey: "k").kind == .uncertain)
        #expect(FailureMapping.failure(networkError: HTTPClientError.deadlineExceeded, apiKey: "k").kind == .uncertain)
        #expect(FailureMapping.failure(networkError: HTTPClientError.remoteConnectionClosed, apiKey: "k").kind == .uncertain)
        #expect(FailureMapping.failure(networkError: IOError(errnoCode: ECONNREFUSED, reason: "connect"), apiKey: "k").kind == .notSent)
        #expect(FailureMapping.failure(networkError: IOError(errnoCode: ECONNRESET, reason: "read"), apiKey: "k").kind == .uncertain)
        #expect(FailureMapping.failure(networkError: CancellationError(), apiKey: "k").kind == .uncertain)
    }

    // MARK: Proxy (HTTPS_PROXY, NO_PROXY)

    @Test func proxyFromTheEnvironment() throws {
        let env = ["HTTPS_PROXY": "http://bob:p%40ss@proxy.corp:3128", "NO_PROXY": "localhost,.internal.corp, api.other.com"]
        let p = try #require(try ProxyChoice.resolve(scheme: "https", host: "api.amplemarket.com", environment: env))
        #expect(p.host == "proxy.corp")
        #expect(p.port == 3128)
        #expect(p.user == "bob")
        #expect(p.password == "p@ss")
        #expect(!p.isSOCKS)
        #expect(try ProxyChoice.resolve(scheme: "https", host: "x.internal.corp", environment: env) == nil)
        #expect(try ProxyChoice.resolve(scheme: "https", host: "api.other.com", environment: env) == nil)
        #expect(try ProxyChoice.resolve(scheme: "http", host: "127.0.0.1", environment: env) == nil)
        #expect(try ProxyChoice.resolve(scheme: "https", host: "api.amplemarket.com", environment: ["https_proxy": "proxy:8080"])?.port == 8080)
        #expect(try ProxyChoice.resolve(scheme: "https", host: "a.com", environment: ["HTTPS_PROXY": "socks5://s:1080"])?.isSOCKS == true)
        #expect(try ProxyChoice.resolve(scheme: "https", host: "a.com", environment: ["HTTPS_PROXY": "p:1", "NO_PROXY": "*"]) == nil)
        #expect(try ProxyChoice.resolve(scheme: "https", host: "a.com", environment: [:]) == nil)
        #expect(throws: APIFailure.self) { try ProxyChoice.resolve(scheme: "https", host: "a.com", environment: ["HTTPS_PROXY": "gopher://x:1"]) }
    }

    @Test func clientWithAProxyIsCreated() async throws {
        let client = try AmplemarketClient(configuration: ClientConfiguration(
            apiKey: "k", environment: ["HTTPS_PROXY": "http://proxy.corp:3128"]))
        await client.shutdown()
    }
}

