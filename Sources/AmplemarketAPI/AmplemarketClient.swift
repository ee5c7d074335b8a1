import AmplemarketModels
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The Amplemarket API client: calls, dispositions, recordings, users, tasks, account info.
///
/// Per amplemarket-api.md (every section) and design.md §3. Every failure is thrown as `APIFailure`;
/// its `kind` tells the caller what to do (`.notSent` means the request surely never left, so even a
/// `POST /calls` may be sent again; `.uncertain` means it may have been received).
///
/// Behaviour common to all calls:
/// - Headers `Authorization: Bearer <key>`, `Content-Type: application/json`, `Accept: application/json`,
///   `User-Agent`. The key is never logged and never appears in a message.
/// - Any 2xx with a JSON body is parsed, whatever its content type (§7.3); unknown fields are ignored and
///   nulls tolerated (§7.1); list items without an `id` are skipped.
/// - GETs are retried on network errors, 429 (after `Retry-After`, capped) and 5xx with exponential
///   backoff and jitter; POSTs only when `.notSent` (§7.4).
/// - Every request of the client goes through one pacer: under 500 per minute and recordings under 50
///   per hour as the server counts them (§7.5, see `Pacer`); `ClientConfiguration.onPacingWait` hears
///   about each wait. Share one client per process (the TUI, scripting, the outbox and the offline
///   probe do), so that one budget covers them all.
/// - The server's clock is measured from its answers (`serverClock`); a `Retry-After` date is read in
///   the server's clock.
/// - Redirects are not followed (the key must not travel to another host); a 3xx is `.other`, except
///   for a recording, whose redirect is followed once by `downloadRecording`'s own rules.
/// - `HTTPS_PROXY` / `NO_PROXY` are honoured (see `ProxyChoice`).
public final class AmplemarketClient: Sendable {
    /// The configuration it was made with.
    public let configuration: ClientConfiguration
    let base: BaseURL
    let http: HTTPClient
    let pacer: Pacer
    let logger: Logger
    /// The page sizes each list endpoint accepts, as learnt from its 400s.
    let pageSizes: PageSizeMemory
    /// The server's clock as measured from this client's answers (every `Date` header, every call it
    /// created). Shared by everything that uses this client.
    public let serverClock = ServerClock()

    /// Largest JSON body read, in bytes (a page of 100 calls with transcriptions stays far below).
    static let maxJSONBytes = 32 * 1024 * 1024
    /// Largest error body read, in bytes.
    static let maxErrorBytes = 256 * 1024
    /// Largest number of pages `dispositions()` / `allUsers(_:)` follow.
    static let maxPages = 10_000

    /// Makes a client. Throws `APIFailure(kind: .configuration)` when the base URL is unusable (not http(s),
    /// no host, plain http to a host that is not loopback, user info, query) or a proxy variable is set
    /// but unusable. `logger` defaults to label `dispo.api`.
    public init(configuration: ClientConfiguration, logger: Logger = Logger(label: "dispo.api")) throws {
        let (base, proxy) = try Self.validated(configuration)
        self.configuration = configuration
        self.base = base
        self.logger = logger
        self.pacer = Pacer(limits: configuration.pacing)
        self.pageSizes = PageSizeMemory(configuration.pageSizeLimits)

        var cfg = HTTPClient.Configuration()
        cfg.redirectConfiguration = .disallow
        let timeout = max(0.1, configuration.requestTimeout)
        cfg.timeout = .init(connect: .milliseconds(Int64(min(timeout, 10) * 1000)),
                            read: .milliseconds(Int64(timeout * 1000)))
        // Surface connect failures at once as `.notSent`; our own retry loop decides what to do.
        cfg.connectionPool.retryConnectionEstablishment = false
        if let proxy {
            if proxy.isSOCKS {
                cfg.proxy = .socksServer(host: proxy.host, port: proxy.port)
            } else {
                let auth = proxy.user.map { HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "") }
                cfg.proxy = .server(host: proxy.host, port: proxy.port, authorization: auth)
            }
            logger.debug("using a proxy for the API", metadata: ["proxy": "\(proxy.host):\(proxy.port)"])
        }
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: cfg)
    }

    /// Checks what `init` checks — the base URL and the proxy variables — without making a client.
    /// Throws the same `APIFailure(kind: .configuration)`.
    public static func check(_ configuration: ClientConfiguration) throws {
        _ = try validated(configuration)
    }

    private static func validated(_ configuration: ClientConfiguration) throws -> (BaseURL, ProxyChoice?) {
        let base = try BaseURL(configuration.baseURL)
        let env = configuration.environment ?? ProcessInfo.processInfo.environment
        return (base, try ProxyChoice.resolve(scheme: base.scheme, host: base.host, environment: env))
    }

    deinit {
        // A no-op when `shutdown()` already ran; otherwise releases the connection pool without blocking.
        http.shutdown(queue: .global()) { _ in }
    }

    /// Closes the HTTP client and its connections. Calls made afterwards fail with `.notSent`.
    public func shutdown() async {
        do { try await http.shutdown() } catch {
            logger.debug("HTTP client shutdown: \(FailureMapping.describe(error))")
        }
    }

    // MARK: - Calls

    /// One page of calls, newest first. Per Amplemarket API: `GET /calls` with `page[size]`, `user_id`,
    /// `from`, `to`, `start_date_from`, `start_date_to`. Follow `Page.next` with `calls(at:)`.
    public func listCalls(_ query: CallListQuery) async throws -> Page<Call> {
        try await page(url: URLBuilding.url(base: base, path: "/calls", query: query.queryItems), key: "calls")
    }

    /// The page of calls at a `_links.next` / `_links.prev` href (relative to the base URL, brackets raw or
    /// percent-encoded). Throws `.badResponse` for an href on another host.
    public func calls(at href: String) async throws -> Page<Call> {
        try await page(url: URLBuilding.resolve(href: href, base: base), key: "calls")
    }

    /// Logs a call made outside Amplemarket. Per Amplemarket API: `POST /calls`, answered 201 with the
    /// created call (`external: true`, `start_date` set by the server).
    ///
    /// Sent once; re-sent by the client only when the failure is `.notSent`. Validation errors come back as
    /// `.validation` (or `.validation` for a 404 naming `/task_id` etc.) with `fieldErrors` keyed by field.
    /// The caller compares the echoed `notes` with what it sent (the documented body has no `notes`).
    public func logCall(_ request: LogCallRequest) async throws -> Call {
        let body: Data
        do { body = try APIJSON.encoder().encode(request) } catch {
            throw APIFailure(kind: .configuration, message: "The call could not be encoded")
        }
        let answer = try await json(method: .POST, url: URLBuilding.url(base: base, path: "/calls"), body: body)
        struct Wrapped: Decodable { var call: Call }
        let call = (try? APIJSON.decoder().decode(Call.self, from: answer.data))
            ?? (try? APIJSON.decoder().decode(Wrapped.self, from: answer.data))?.call
        if let call {
            if let start = call.startDate {
                serverClock.observe(createdStartDate: start, backdatedUpTo: Double(request.duration),
                                    sentAt: answer.exchange.sentAt, receivedAt: answer.exchange.receivedAt)
            }
            return call
        }
        throw APIFailure(kind: .badResponse, status: answer.status,
                         message: "The call was accepted but the server's answer could not be read; check the call list before logging it again")
    }

    /// Every disposition. Per Amplemarket API: `GET /calls/dispositions`, following `_links.next` to the end
    /// (stopping on a repeated href).
    public func dispositions() async throws -> [Disposition] {
        try await all(url: URLBuilding.url(base: base, path: "/calls/dispositions"), key: "dispositions")
    }

    /// Downloads a call's recording to `path` and returns the bytes written. Per Amplemarket API:
    /// `GET /calls/{id}/recording`, raw audio (only for calls with `external: false`); 404 → `.notFound`,
    /// 413 → `.tooLarge`. Paced under 50 per hour.
    ///
    /// The answer's content type is checked before anything is saved: audio (`audio/*`, or audio's first
    /// bytes under `application/octet-stream`, `binary/octet-stream` or no type) is saved; a redirect, or
    /// JSON that links to the recording, is followed once (the key goes only to the base URL's own host);
    /// JSON without a link, HTML or any other answer throws `.badResponse` naming what came back, and
    /// nothing is saved.
    ///
    /// The audio is written to a temporary file in the same directory, created with mode 0600, then
    /// renamed onto `path` (replacing a file there) once complete; on any failure the temporary file is
    /// removed, so no partial file is ever left. A local file problem throws `.configuration`.
    public func downloadRecording(callID: String, to path: String) async throws -> Int {
        let url = URLBuilding.url(base: base, path: "/calls/\(URLBuilding.encodeComponent(callID))/recording")
        let destination = URL(fileURLWithPath: path)
        let directory = destination.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw APIFailure(kind: .configuration, message: "The folder for the recording does not exist: \(directory)")
        }
        return try await perform(method: .GET, url: url, body: nil, recording: true, passRedirects: true,
                                 timeout: configuration.downloadTimeout) { [self] response, _ in
            try await saveRecording(response, to: destination, follow: true)
        }
    }

    // MARK: - Users

    /// One page of users. Per Amplemarket API: `GET /users` with `page[size]`, `status`, `role`, `email`.
    public func listUsers(_ query: UserListQuery) async throws -> Page<User> {
        try await page(url: URLBuilding.url(base: base, path: "/users", query: query.queryItems), key: "users")
    }

    /// The page of users at a `_links` href (see `calls(at:)`).
    public func users(at href: String) async throws -> Page<User> {
        try await page(url: URLBuilding.resolve(href: href, base: base), key: "users")
    }

    /// Every user matching the query, following `_links.next` to the end (stopping on a repeated href).
    public func allUsers(_ query: UserListQuery) async throws -> [User] {
        try await all(url: URLBuilding.url(base: base, path: "/users", query: query.queryItems), key: "users")
    }

    // MARK: - Tasks

    /// One page of tasks. Per Amplemarket API: `GET /tasks`; `user_id` is required (hence
    /// `TaskListQuery.userID`), plus `type`, `status`, `automatic`, `keyword`, `sequence_key`… filters.
    public func listTasks(_ query: TaskListQuery) async throws -> Page<TaskRecord> {
        try await page(url: URLBuilding.url(base: base, path: "/tasks", query: query.queryItems), key: "tasks")
    }

    /// The page of tasks at a `_links` href (see `calls(at:)`).
    public func tasks(at href: String) async throws -> Page<TaskRecord> {
        try await page(url: URLBuilding.resolve(href: href, base: base), key: "tasks")
    }

    /// Completes a task (only `scheduled`, non-automatic tasks; completing a completed one answers 200).
    /// Per Amplemarket API (third-party clients): `POST /tasks/{id}/complete`, body
    /// `{"set_lead_to_completed": true}` when `setLeadToCompleted`, else `{}`. An ineligible task is
    /// undocumented (the sandbox: 422 → `.validation`).
    public func completeTask(id: String, setLeadToCompleted: Bool) async throws {
        let body = Data((setLeadToCompleted ? #"{"set_lead_to_completed":true}"# : "{}").utf8)
        _ = try await json(method: .POST, url: URLBuilding.url(base: base, path: "/tasks/\(URLBuilding.encodeComponent(id))/complete"),
                           body: body, allowEmpty: true)
    }

    /// Skips a task. Per Amplemarket API (third-party clients): `POST /tasks/{id}/skip` with body `{}`.
    public func skipTask(id: String) async throws {
        _ = try await json(method: .POST, url: URLBuilding.url(base: base, path: "/tasks/\(URLBuilding.encodeComponent(id))/skip"),
                           body: Data("{}".utf8), allowEmpty: true)
    }

    // MARK: - Account

    /// The account behind the key; the cheapest authenticated call ("is my key valid"). Per Amplemarket
    /// API: `GET /account-info`. A rejected key throws `.unauthorized`.
    public func accountInfo() async throws -> AccountInfo {
        try await accountInfo(attempts: nil, timeout: nil)
    }

    /// Asks whether the server answers at all: `GET /account-info` once, never retried, within
    /// `timeout` seconds (at most the configured request timeout). Paced with every other request.
    /// Throws the failure as `accountInfo()` does.
    public func probe(timeout: Double = 10) async throws -> AccountInfo {
        try await accountInfo(attempts: 1, timeout: min(timeout, configuration.requestTimeout))
    }

    /// Measures the server's clock when nothing has been measured yet: asks `GET /account-info` (retried
    /// as any GET) and returns `serverClock.skew` afterwards — still nil when the server's answers carry
    /// no usable `Date` header. Throws the request's failure.
    public func measureServerClock() async throws -> ClockSkew? {
        if let skew = serverClock.skew { return skew }
        _ = try await accountInfo()
        return serverClock.skew
    }

    private func accountInfo(attempts: Int?, timeout: Double?) async throws -> AccountInfo {
        let answer = try await json(method: .GET, url: URLBuilding.url(base: base, path: "/account-info"), body: nil,
                                    attempts: attempts, timeout: timeout)
        do { return try APIJSON.decoder().decode(AccountInfo.self, from: answer.data) } catch {
            throw APIFailure(kind: .badResponse, status: answer.status, message: "The account information could not be read (not JSON)")
        }
    }

    // MARK: - Paging

    /// Fetches and decodes one list page. A `next` link that resolves to the page just fetched is dropped:
    /// a list is never followed round in a loop. The page size asked is lowered to what the endpoint is
    /// known to accept, and a 400 naming `page[size]` is answered by asking again with the next smaller
    /// size (100 → 50 → 20 → none), remembered per endpoint: a command never fails over the page size.
    func page<Item: Decodable & Sendable & Hashable>(url requested: String, key: String) async throws -> Page<Item> {
        var url = pageSizes.adjusted(requested)
        let answer: JSONAnswer
        while true {
            do {
                answer = try await json(method: .GET, url: url, body: nil)
                break
            } catch let f as APIFailure {
                guard let (smaller, limit) = pageSizes.fallBack(from: url, after: f) else { throw f }
                let endpoint = URLBuilding.pathForLog(url)
                logger.notice("the server refused the page size; asking again with a smaller one",
                              metadata: ["endpoint": "\(endpoint)", "page_size": "\(limit.text)"])
                configuration.onPageSizeLearnt?(endpoint, limit)
                url = smaller
            }
        }
        let envelope: ListEnvelope<Item>
        do { envelope = try ListEnvelope<Item>.decode(answer.data, key: key) } catch {
            throw APIFailure(kind: .badResponse, status: answer.status,
                             message: "The server's list of \(key) could not be read (expected a JSON object with \"\(key)\")")
        }
        if envelope.skipped > 0 {
            logger.warning("skipped unreadable list items", metadata: ["list": "\(key)", "count": "\(envelope.skipped)"])
        }
        var next = envelope.next
        if let n = next, (try? URLBuilding.resolve(href: n, base: base)) == comparable(url) {
            logger.warning("the next link repeats the page just fetched; treating it as the last page",
                           metadata: ["list": "\(key)"])
            next = nil
        }
        return Page(items: envelope.items, next: next, prev: envelope.prev, selfHref: envelope.selfHref)
    }

    /// A full URL in the normalized form `URLBuilding.resolve` gives, for repeat detection.
    func comparable(_ url: String) -> String { (try? URLBuilding.resolve(href: url, base: base)) ?? url }

    /// Follows a list from `url` through every `next` link, stopping when `next` is missing or repeats an
    /// href already fetched.
    func all<Item: Decodable & Sendable & Hashable>(url: String, key: String) async throws -> [Item] {
        var items: [Item] = []
        var seen: Set<String> = [comparable(url)]
        var current: Page<Item> = try await page(url: url, key: key)
        for _ in 0..<Self.maxPages {
            items += current.items
            guard let href = current.next else { return items }
            let nextURL = try URLBuilding.resolve(href: href, base: base)
            guard seen.insert(nextURL).inserted else {
                logger.warning("a next link repeats a page already fetched; stopping", metadata: ["list": "\(key)"])
                return items
            }
            current = try await page(url: nextURL, key: key)
        }
        logger.warning("stopped following a list after too many pages", metadata: ["list": "\(key)"])
        return items
    }
}
