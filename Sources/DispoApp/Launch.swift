import CLoaderPages
import AmplemarketAPI
import AmplemarketModels
import DispoSandbox
import DispoStore
import DispoTerminal
import DispoViewModel
import Foundation
import Logging
import PhoneNumbers

/// Options the `dispo` command line gives the TUI (each wins over the environment and the config file).
public struct LaunchOptions: Sendable {
    /// `--user`: the rep's e-mail.
    public var userEmail: String?
    /// `--theme` (one of `themeSettingNames`).
    public var theme: String?
    /// `--mouse` (nil when not given: the config decides).
    public var mouse: Bool?
    /// `--download-dir`: where recordings are saved.
    public var downloadDirectory: String?
    /// Options as given; nil means not given on the command line.
    public init(userEmail: String? = nil, theme: String? = nil, mouse: Bool? = nil, downloadDirectory: String? = nil) {
        self.userEmail = userEmail; self.theme = theme; self.mouse = mouse; self.downloadDirectory = downloadDirectory
    }
}

/// Everything resolved before the terminal is taken over: the client (and the in-process sandbox, when
/// no API key is set), the store, the rep's settings. Shared by the TUI and the scripting subcommands.
public final class Session: @unchecked Sendable {
    /// The API client, to Amplemarket, `AMPLEMARKET_BASE_URL` or the built-in sandbox.
    public let client: AmplemarketClient
    /// The built-in sandbox, when no API key is set (nil otherwise).
    public let sandbox: SandboxServer?
    /// The base URL the client talks to.
    public let baseURL: String
    /// The configuration file's settings.
    public let config: ConfigFile
    /// The environment the session was resolved from.
    public let environment: [String: String]
    /// Notes to show once the UI is up (e.g. the store had to be recreated).
    public var notices: [String] = []
    /// Where the client reports its pacing waits and retries; the TUI's runtime connects to it once the
    /// UI exists (the client is made before).
    public let clientEvents = ClientEventForwarder()

    /// Resolves the configuration: the API key from the environment, a key file or a key command (none:
    /// the built-in sandbox), the base URL, the config file. Errors: `ConfigurationError` (bad config file, key file
    /// readable by others, base URL set without a key) or `APIFailure(.configuration)` (bad base URL).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.environment = environment
        config = try ConfigFile.load(path: ConfigFile.defaultPath(environment: environment))
        let key = try resolveAPIKey(environment: environment, config: config)
        let envBase = baseURLSetting(environment)
        if let key {
            sandbox = nil
            baseURL = envBase ?? ClientConfiguration.defaultBaseURL
            var cc = ClientConfiguration(baseURL: baseURL, apiKey: key.key)
            cc.userAgent = "dispo/\(dispoVersion)"
            clientEvents.install(into: &cc)
            LearntPageSizes(stateDirectory: Self.stateDirectory(environment), workspace: baseURL).install(into: &cc)
            client = try AmplemarketClient(configuration: cc)
        } else {
            try refuseBaseURLWithoutKey(envBase)
            // The built-in sandbox keeps the rep's logged calls and completed tasks between runs, next to
            // the outbox, so queued logs and drafts still name tasks that exist after a restart.
            var sandboxConfiguration = SandboxConfiguration()
            sandboxConfiguration.stateFile = (DispoStore.defaultPath(environment: environment) as NSString)
                .deletingLastPathComponent + "/sandbox-workspace.json"
            sandboxConfiguration.primaryCalls = try sandboxCallCount(environment)
            let server = try blockingAwait { [sandboxConfiguration] in try await SandboxServer.start(sandboxConfiguration) }
            if let notice = server.notice { notices.append(notice) }
            sandbox = server
            baseURL = server.baseURL
            var cc = ClientConfiguration(baseURL: server.baseURL, apiKey: SandboxConfiguration.defaultAPIKey)
            cc.userAgent = "dispo/\(dispoVersion)"
            clientEvents.install(into: &cc)
            client = try AmplemarketClient(configuration: cc)
        }
    }

    /// True when not talking to Amplemarket's own service.
    public var isSandbox: Bool { sandbox != nil || !baseURL.hasPrefix(ClientConfiguration.defaultBaseURL) }

    /// The header's name for a server that is not Amplemarket's: `SANDBOX` for the built-in one, else
    /// `TEST` and the base URL's host and port (`TEST 127.0.0.1:8787`); nil for Amplemarket.
    public var serverTag: String? {
        if sandbox != nil { return "SANDBOX" }
        guard isSandbox else { return nil }
        guard let url = URL(string: baseURL), let host = url.host else { return "TEST" }
        return "TEST " + host + (url.port.map { ":\($0)" } ?? "")
    }

    /// Store key for this workspace: drafts, outbox and the remembered user are per server.
    public var workspaceKey: String { sandbox != nil ? "sandbox" : baseURL }

    /// `$XDG_STATE_HOME/dispo` (else `~/.local/state/dispo`).
    public var stateDirectory: String { Self.stateDirectory(environment) }

    static func stateDirectory(_ environment: [String: String]) -> String {
        (DispoStore.defaultPath(environment: environment) as NSString).deletingLastPathComponent
    }

    /// Opens the store; when it cannot be opened, falls back to memory with a loud notice (logs then do
    /// not survive a restart, and the rep is told so).
    public func openStore() -> DispoStore {
        do {
            let (store, notice) = try DispoStore.open(path: DispoStore.defaultPath(environment: environment))
            if let notice { notices.append(notice) }
            return store
        } catch {
            notices.append("Local store unavailable (\(error)); queued logs will NOT survive a restart")
            return try! DispoStore.inMemory()
        }
    }

    /// Shuts the client and the sandbox down.
    public func shutdown() {
        blockingAwaitVoid { [client, sandbox] in
            await client.shutdown()
            await sandbox?.shutdown()
        }
    }
}

/// The version shown in the User-Agent and `--version`.
public let dispoVersion = "0.1.0"

/// Runs the TUI until the rep quits. Returns the process exit code. Messages for problems found before
/// the terminal is taken over go to standard error.
public func runTUI(options: LaunchOptions) -> Int32 {
    let session: Session
    do { session = try Session() } catch {
        FileHandle.standardError.write(Data("dispo: \(error)\n".utf8))
        return 2
    }
    defer { session.shutdown() }
    bootstrapFileLogging(environment: session.environment)  // no-op when main already did it
    let store = session.openStore()
    let env = session.environment
    let config = session.config

    var userEmail = options.userEmail ?? env["AMPLEMARKET_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? config.user
    if userEmail == nil { userEmail = try? store.value(forKey: "user:" + session.workspaceKey) }

    var termOptions = TerminalOptions()
    termOptions.mouse = options.mouse ?? config.mouse ?? false
    termOptions.theme = themeFromSetting(options.theme ?? config.theme ?? "auto")
    termOptions.clipboard = ClipboardMode(rawValue: config.clipboard ?? "auto") ?? .auto
    termOptions.idleFile = env["DISPO_IDLE_FILE"]
    termOptions.speculativeFrames = env["DISPO_SPECULATE"] != "0"

    // The TUI stays up for hours: pages only the loader needed at start are given back.
    let released = dispo_release_relocation_tables(1 << 20)
    if released > 0 { Logger(label: "dispo.runtime").debug("gave back \(released / 1024) KiB of loader relocation tables") }

    let ui: TerminalUI
    do { ui = try TerminalUI(options: termOptions) } catch {
        FileHandle.standardError.write(Data("dispo: \(error)\n".utf8))
        return 2
    }
    let timeZone = config.timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone.current
    let download = options.downloadDirectory ?? config.downloadDirectory.map { expandTilde($0, environment: env) }
        ?? FileManager.default.currentDirectoryPath
    var environment = AppEnvironment(isSandbox: session.isSandbox, baseURLDisplay: session.sandbox != nil ? "built-in sandbox" : session.baseURL,
                                     timeZone: timeZone, now: Date(), configuredUserEmail: userEmail,
                                     downloadDirectory: download, unicode: ui.unicode,
                                     dateStyle: config.dateStyle ?? .monthDay, keymap: config.keymap,
                                     requireDisposition: config.requireDisposition ?? false,
                                     defaultRegion: config.defaultRegion,
                                     callingHours: config.callingHours ?? .default, advance: config.advance ?? true,
                                     rememberedRegion: (try? store.value(forKey: "region:" + session.workspaceKey))
                                        .flatMap { PhoneNumbers.isKnownRegion($0) ? $0 : nil })
    environment.keepsHistory = config.history ?? true
    environment.dailyDialGoal = config.dailyDialGoal
    environment.logIDTag = String(UInt32.random(in: .min ... .max), radix: 16)
    environment.serverTag = session.serverTag
    var state = AppState(environment: environment)
    let history = environment.keepsHistory ? historyOptions(session) : nil
    let runtime = AppRuntime(client: session.client, store: store, workspaceKey: session.workspaceKey,
                             events: session.clientEvents, history: history, post: { ui.post($0) })
    // SIGTERM / SIGHUP / SIGINT end the loop without returning here: get the last keystrokes on disk first.
    ui.onSignalExit = { _ in blockingAwaitVoid { await runtime.flushDrafts() } }
    for notice in session.notices { ui.post(.statusMessage(notice, isError: true)) }
    runtime.start()
    ui.run(state: &state, perform: { runtime.perform($0) }, busy: { runtime.isBusy })
    blockingAwaitVoid { await runtime.flushDrafts() }
    ui.restore()
    blockingAwaitVoid { await runtime.shutdown() }
    // Closing checkpoints the write-ahead log into the store file and removes it: what is queued then
    // lives in one file, not in log frames a later crash or damage could cut off.
    try? store.close()
    return 0
}

/// How the TUI keeps the local history: the config's region, and the sync's pace (250 requests a
/// minute; `DISPO_HISTORY_PACE=N/S` — N requests per S seconds — for tests and slow links).
public func historyOptions(_ session: Session) -> HistoryOptions {
    var options = HistoryOptions(defaultRegion: session.config.defaultRegion)
    if let pace = session.environment["DISPO_HISTORY_PACE"] {
        let parts = pace.split(separator: "/")
        if parts.count == 2, let n = Int(parts[0]), let s = Double(parts[1]), n > 0, s > 0 {
            options.requestsPerWindow = n
            options.window = s
        } else {
            session.notices.append("DISPO_HISTORY_PACE must be N/S (N requests per S seconds), e.g. 250/60; using 250/60")
        }
    }
    return options
}

/// Runs async work from synchronous code (the main thread, never a concurrency pool thread) and waits.
func blockingAwait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

func blockingAwaitVoid(_ body: @escaping @Sendable () async -> Void) {
    _ = try? blockingAwait { await body() }
}

/// Carries a result from a task to the waiting thread (written once before the semaphore signals).
final class ResultBox<T>: @unchecked Sendable { var result: Result<T, Error>? }

/// The values of the `theme` setting and `--theme`: `auto` (16 colours for the background as detected),
/// `default` (16 colours, dark background), `256`, `light` (16 colours, light background), `light-256`,
/// `mono`.
public let themeSettingNames = ["auto", "default", "256", "light", "light-256", "mono"]

/// `themeSettingNames` as a sentence: "auto, default, 256, light, light-256 or mono".
public var themeSettingList: String {
    themeSettingNames.dropLast().joined(separator: ", ") + " or " + themeSettingNames.last!
}

/// Maps the `theme` setting (`themeSettingNames`) to the front end's theme; NO_COLOR wins in the front
/// end.
func themeFromSetting(_ value: String) -> Theme {
    switch value {
    case "default": .default16
    case "256": .color256
    case "light": .light16
    case "light-256": .light256
    case "mono": .mono
    default: .auto
    }
}
