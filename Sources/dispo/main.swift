import AmplemarketAPI
import AmplemarketModels
import ArgumentParser
import DispoApp
import DispoSandbox
import DispoViewModel
import Foundation

/// `dispo`: the TUI by default; subcommands for the sandbox, configuration and scripting.
struct Dispo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispo",
        abstract: "Browse your Amplemarket calls and log the calls you dialled, from a terminal.",
        discussion: """
        With no API key (AMPLEMARKET_API_KEY) dispo runs against a built-in sandbox workspace.
        Environment: AMPLEMARKET_API_KEY, AMPLEMARKET_BASE_URL, AMPLEMARKET_USER, NO_COLOR, ESCDELAY.
        Exit status: 0 done; 1 refused or failed (by the server, or a check before sending); \
        2 the configuration or the terminal cannot be used; 3 a log is queued, not yet sent; 64 a usage error.
        """,
        version: dispoVersion,
        subcommands: [TUI.self, SandboxCommand.self, ConfigCommand.self, CallsCommand.self, OutboxCommand.self,
                      DispositionsCommand.self, UsersCommand.self, TasksCommand.self, LogCommand.self, CallBacksCommand.self,
                      SyncCommand.self, StatsCommand.self, ForgetCommand.self],
        defaultSubcommand: TUI.self
    )
}

struct TUI: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tui", abstract: "Run the terminal UI (the default).")
    @Option(name: .long, help: "Your user e-mail in the workspace (else AMPLEMARKET_USER, the config, or a one-time picker).")
    var user: String?
    @Option(name: .long, help: "Colour theme: auto, default, 256, light, light-256, mono.")
    var theme: String?
    @Flag(name: .long, help: "Enable the mouse (click to select, wheel to scroll).")
    var mouse = false
    @Option(name: .customLong("download-dir"), help: "Where recordings are saved (default: the current directory).")
    var downloadDir: String?

    mutating func validate() throws {
        if let theme, !themeSettingNames.contains(theme) {
            throw ValidationError("--theme must be \(themeSettingList)")
        }
    }

    func run() throws {
        let code = runTUI(options: LaunchOptions(userEmail: user, theme: theme, mouse: mouse ? true : nil,
                                                 downloadDirectory: downloadDir))
        if code != 0 { throw ExitCode(code) }
    }
}

struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox",
        abstract: "Run the Amplemarket-compatible sandbox server on its own (loopback only).")
    @Option(help: "TCP port (0 picks a free one).") var port: Int = 8787
    @Option(help: "Loopback address to bind.") var host: String = "127.0.0.1"
    @Option(name: .customLong("api-key"), help: "Bearer key the sandbox accepts.") var apiKey: String = SandboxConfiguration.defaultAPIKey
    @Option(name: .customLong("media-type"), help: "Response Content-Type.") var mediaType: String = "application/json"
    @Option(name: .customLong("notes-mode"), help: "store, drop or reject the undocumented notes field.") var notesMode: String = "store"
    @Option(name: .customLong("latency-ms"), help: "Delay every API answer (milliseconds).") var latency: Int = 0
    @Option(name: .customLong("error-rate"), help: "Share (0-1) of API requests answered 500/503.") var errorRate: Double = 0
    @Option(name: .customLong("down-for"), help: "Refuse every API request for this many seconds.") var downFor: Double?
    @Option(name: .customLong("post-latency"), help: ArgumentHelp(
        "Hold every POST /calls this many milliseconds before processing it; the call is created when the hold ends, even if the client has gone. GETs are not held.",
        valueName: "ms")) var postLatency: Int = 0
    @Option(name: .customLong("clock-skew"), parsing: .unconditional, help: ArgumentHelp(
        "Run the server's clock this many seconds ahead of the real one (negative: behind): start_date, finished_on, Retry-After dates and the Date header of every response.",
        valueName: "seconds")) var clockSkew: Double = 0
    @Flag(name: .customLong("retry-after-date"), help: "Write every Retry-After as an HTTP date on the server's clock instead of seconds.")
    var retryAfterDate = false
    @Option(name: .customLong("fail-every"), help: ArgumentHelp(
        "Answer every Nth API request (the Nth, 2Nth, ...) 503 service_unavailable without processing it; 0 is off.",
        valueName: "n")) var failEvery: Int = 0
    @Option(name: .customLong("forbid"), help: ArgumentHelp(
        "Answer API requests to this path, or under it (/calls covers /calls/dispositions), 403 forbidden with an explanation, as for a key without access to it; repeatable.",
        valueName: "path")) var forbid: [String] = []
    @Flag(name: .customLong("extra-fields"), help: "Add unknown fields to every object.") var extraFields = false
    @Option(name: .customLong("calls"), help: ArgumentHelp(
        "Give the primary rep this many calls in all (e.g. 100000: years of history to search and count); default the seeded 900.",
        valueName: "n")) var calls: Int?

    mutating func validate() throws {
        guard host.hasPrefix("127.") || host == "::1" || host == "localhost" else {
            throw ValidationError("the sandbox only binds loopback addresses (127.0.0.0/8, ::1)")
        }
        guard NotesMode(rawValue: notesMode) != nil else { throw ValidationError("--notes-mode must be store, drop or reject") }
        guard (0...1).contains(errorRate) else { throw ValidationError("--error-rate must be between 0 and 1") }
        guard postLatency >= 0 else { throw ValidationError("--post-latency must be 0 or more milliseconds") }
        guard clockSkew.isFinite, abs(clockSkew) <= SandboxFaults.maximumClockSkewSeconds else {
            throw ValidationError("--clock-skew must be a number of seconds within 100 years either way")
        }
        guard failEvery >= 0 else { throw ValidationError("--fail-every must be 0 (off) or more") }
        if let bad = forbid.first(where: { !$0.hasPrefix("/") || $0.count < 2 }) {
            throw ValidationError("--forbid takes an API path such as /calls (got \"\(bad)\")")
        }
        if let calls, !(0...1_000_000).contains(calls) { throw ValidationError("--calls must be a number of calls from 0 to 1000000") }
    }

    func run() throws {
        var c = SandboxConfiguration()
        c.host = host; c.port = port; c.apiKey = apiKey; c.mediaType = mediaType
        c.notesMode = NotesMode(rawValue: notesMode) ?? .store; c.extraFields = extraFields
        c.primaryCalls = calls
        c.faults = SandboxFaults(latencyMilliseconds: latency, serverErrorRate: errorRate,
                                 downUntil: downFor.map { Date().addingTimeInterval($0) },
                                 postLatencyMilliseconds: postLatency, clockSkewSeconds: clockSkew,
                                 retryAfterAsDate: retryAfterDate, failEveryNth: failEvery, forbiddenPaths: forbid)
        let config = c
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var error: Error? }
        let box = Box()
        Task {
            do { try await SandboxServer.runForever(config) } catch { box.error = error }
            done.signal()
        }
        done.wait()
        if let e = box.error { throw e }
    }
}

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Show or check the configuration file.",
        discussion: "Checks what the TUI checks before it starts: the file (settings, [keys] actions and bindings, time_zone, ...), the API key's source (an api_key_file must be chmod 600; api_key_command is not run), AMPLEMARKET_BASE_URL and the proxy variables. Exit 2 names the first problem.")
    @Flag(help: "Print a commented example configuration.") var example = false
    func run() throws {
        if example { print(ConfigFile.example, terminator: ""); return }
        do {
            let check = try ConfigurationCheck.run(environment: ProcessInfo.processInfo.environment)
            print(check.filePresent ? "\(check.path): OK" : "\(check.path): not present (defaults in use)")
            print("API key: \(check.keySource)")
            print("server: \(check.server)")
        } catch {
            FileHandle.standardError.write(Data("dispo: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

// First of all: a crash must not wait for the runtime's backtracer (this may re-exec).
takeCrashesOffTheBacktracer()
// Before any task is made: Swift concurrency runs on the event loops, which sleep when idle.
runConcurrencyOnEventLoops()
// Logs go to a file from the very first logger on (the API client makes its logger at once).
bootstrapFileLogging()
// Text output of the scripting commands is UTF-8 whatever the locale: the sanitiser measures characters
// with wcwidth, which needs a UTF-8 LC_CTYPE (the TUI sets its own locale and checks the codeset).
setlocale(LC_ALL, "")
if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
if let message = unknownCommandMessage(Array(CommandLine.arguments.dropFirst())) {
    FileHandle.standardError.write(Data("dispo: \(message)\nRun `dispo --help` for the commands.\n".utf8))
    exit(64)
}
Dispo.main()
