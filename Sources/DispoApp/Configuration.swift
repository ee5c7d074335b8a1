import AmplemarketModels
import DispoViewModel
import Foundation
import PhoneNumbers
import TOMLKit

/// A configuration problem the rep must fix; `message` names the setting (and the line, for the file).
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    /// What is wrong and how to fix it, for the rep.
    public var message: String
    /// An error saying `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Settings read from `$XDG_CONFIG_HOME/dispo/config.toml`. Every key is optional.
///
/// Keys: `user` (email), `theme` (`auto`, `default`, `256`, `light`, `light-256`, `mono`), `clipboard` (`auto`, `osc52`, `tmux`,
/// `off`), `time_zone` (IANA name, e.g. `Europe/Lisbon`), `date_format` (one of `DateStyle`'s spellings,
/// e.g. `"MMM d HH:mm"`, `"yyyy-MM-dd HH:mm"`), `download_dir`, `api_key_file`, `api_key_command`,
/// `mouse` (bool), `require_disposition` (bool), `default_region` (ISO code), `calling_hours` (`"9-17"`),
/// `advance` (bool), `history` (bool, keep the local mirror of the rep's calls; default true),
/// `daily_dial_goal` (a whole number of dials, 1–10 000), and a `[keys]` table of action name → key or list of keys (see `Keymap`).
public struct ConfigFile: Sendable, Equatable {
    /// `user`: the rep's e-mail.
    public var user: String?
    /// `theme`, as written (one of `themeSettingNames`).
    public var theme: String?
    /// `clipboard`, as written (`auto`, `osc52`, `tmux`, `off`).
    public var clipboard: String?
    /// `time_zone`: an IANA name.
    public var timeZone: String?
    /// `download_dir`, as written (a leading `~/` is expanded where it is used).
    public var downloadDirectory: String?
    /// `api_key_file`: a file holding the API key (refused when others can read it).
    public var apiKeyFile: String?
    /// `api_key_command`: a shell command that prints the API key.
    public var apiKeyCommand: String?
    /// `mouse`: report clicks and wheel steps.
    public var mouse: Bool?
    /// `require_disposition`: every log must carry a disposition (so the workspace's reports add up).
    public var requireDisposition: Bool?
    /// `default_region`: the ISO region (`US`, `GB`) numbers typed without a country code are read in.
    public var defaultRegion: String?
    /// `calling_hours`: the contact's local hours in which "callable now" lets a task through.
    public var callingHours: CallingHours?
    /// `advance`: after a log is queued, or a task completed or skipped, the Tasks cursor moves on.
    public var advance: Bool?
    /// `history`: keep the rep's calls in the local mirror (search and stats over the whole history).
    public var history: Bool?
    /// `daily_dial_goal`: dials a day the Stats tab measures today against.
    public var dailyDialGoal: Int?
    /// How dates are written (`date_format`); nil = the default (`Nov 29 15:32`).
    public var dateStyle: DateStyle?
    /// The `[keys]` table as written: action name → key specs (already validated by `Keymap`).
    public var keyBindings: [String: [String]] = [:]

    /// No settings: every default.
    public init() {}

    /// The key bindings: the defaults with `[keys]` applied. Never throws for a parsed file (`parse`
    /// validated the table).
    public var keymap: Keymap { (try? Keymap(overrides: keyBindings)) ?? .default }

    static let knownKeys: Set<String> = ["user", "theme", "clipboard", "time_zone", "date_format", "download_dir",
                                         "api_key_file", "api_key_command", "mouse", "require_disposition", "default_region", "calling_hours",
                                         "advance", "history", "daily_dial_goal", "keys"]

    /// Parses TOML text. Errors: `ConfigurationError` naming the file, line and problem (a syntax error,
    /// an unknown key, or a value of the wrong type).
    public static func parse(_ text: String, path: String) throws -> ConfigFile {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError("\(path):\(error.source.begin.line): \(error.description)")
        }
        var config = ConfigFile()
        func lineOf(_ key: String) -> Int {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in lines.enumerated() where line.trimmingCharacters(in: .whitespaces).hasPrefix(key) {
                return i + 1
            }
            return 0
        }
        func string(_ key: String) throws -> String? {
            guard let value = table[key] else { return nil }
            guard let s = value.string else {
                throw ConfigurationError("\(path):\(lineOf(key)): `\(key)` must be a string in quotes")
            }
            return s
        }
        for key in table.keys where !knownKeys.contains(key) {
            throw ConfigurationError("\(path):\(lineOf(key)): unknown setting `\(key)` (known: \(knownKeys.sorted().joined(separator: ", ")))")
        }
        config.user = try string("user")
        config.theme = try string("theme")
        config.clipboard = try string("clipboard")
        config.timeZone = try string("time_zone")
        config.downloadDirectory = try string("download_dir")
        config.apiKeyFile = try string("api_key_file")
        config.apiKeyCommand = try string("api_key_command")
        if let value = table["mouse"] {
            guard let b = value.bool else { throw ConfigurationError("\(path):\(lineOf("mouse")): `mouse` must be true or false") }
            config.mouse = b
        }
        if let region = try string("default_region") {
            guard PhoneNumbers.isKnownRegion(region) else {
                throw ConfigurationError("\(path):\(lineOf("default_region")): default_region must be a region's ISO code such as \"US\", \"GB\" or \"PT\" (got \"\(region)\")")
            }
            config.defaultRegion = region.uppercased()
        }
        if let text = try string("calling_hours") {
            do { config.callingHours = try CallingHours(parsing: text) } catch {
                throw ConfigurationError("\(path):\(lineOf("calling_hours")): \(error)")
            }
        }
        if let value = table["advance"] {
            guard let b = value.bool else { throw ConfigurationError("\(path):\(lineOf("advance")): `advance` must be true or false") }
            config.advance = b
        }
        if let value = table["history"] {
            guard let b = value.bool else { throw ConfigurationError("\(path):\(lineOf("history")): `history` must be true or false") }
            config.history = b
        }
        if let value = table["daily_dial_goal"] {
            guard let n = value.int, (1...10_000).contains(n) else {
                throw ConfigurationError("\(path):\(lineOf("daily_dial_goal")): `daily_dial_goal` must be a whole number of dials from 1 to 10000")
            }
            config.dailyDialGoal = n
        }
        if let value = table["require_disposition"] {
            guard let b = value.bool else {
                throw ConfigurationError("\(path):\(lineOf("require_disposition")): `require_disposition` must be true or false")
            }
            config.requireDisposition = b
        }
        if let theme = config.theme, !themeSettingNames.contains(theme) {
            throw ConfigurationError("\(path):\(lineOf("theme")): theme must be \(themeSettingList) (got \"\(theme)\")")
        }
        if let clip = config.clipboard, !["auto", "osc52", "tmux", "off"].contains(clip) {
            throw ConfigurationError("\(path):\(lineOf("clipboard")): clipboard must be auto, osc52, tmux or off (got \"\(clip)\")")
        }
        if let tz = config.timeZone, TimeZone(identifier: tz) == nil {
            throw ConfigurationError("\(path):\(lineOf("time_zone")): unknown time zone \"\(tz)\" (use an IANA name such as Europe/Lisbon)")
        }
        if let format = try string("date_format") {
            guard let style = DateStyle(rawValue: format) else {
                let known = DateStyle.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw ConfigurationError("\(path):\(lineOf("date_format")): date_format must be one of \(known) (got \"\(format)\")")
            }
            config.dateStyle = style
        }
        if let value = table["keys"] {
            guard let keys = value.table else {
                throw ConfigurationError("\(path):\(lineOf("keys")): `keys` must be a table: a [keys] section with lines such as down = \"j\"")
            }
            // The line of an entry inside the [keys] section (or a dotted `keys.name` line).
            func keyLine(_ name: String) -> Int {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                var inKeys = false
                for (i, raw) in lines.enumerated() {
                    let line = raw.trimmingCharacters(in: .whitespaces)
                    if line.hasPrefix("[") { inKeys = line.replacingOccurrences(of: " ", with: "") == "[keys]"; continue }
                    let key = line.split(separator: "=", maxSplits: 1).first.map {
                        $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                    } ?? ""
                    if (inKeys && key == name) || key == "keys." + name { return i + 1 }
                }
                return lineOf("keys")
            }
            var bindings: [String: [String]] = [:]
            for name in keys.keys {
                let entry = keys[name]!
                if let one = entry.string {
                    bindings[name] = [one]
                } else if let list = entry.array {
                    var specs: [String] = []
                    for element in list {
                        guard let spec = element.string else {
                            throw ConfigurationError("\(path):\(keyLine(name)): keys.\(name): every key must be a string in quotes")
                        }
                        specs.append(spec)
                    }
                    bindings[name] = specs
                } else {
                    throw ConfigurationError("\(path):\(keyLine(name)): keys.\(name) must be a key in quotes (\"j\", \"ctrl-d\") or a list of them")
                }
            }
            do {
                _ = try Keymap(overrides: bindings)
            } catch let error as KeymapError {
                throw ConfigurationError("\(path):\(keyLine(error.action)): [keys] \(error.message)")
            }
            config.keyBindings = bindings
        }
        return config
    }

    /// `$XDG_CONFIG_HOME/dispo/config.toml`, else `~/.config/dispo/config.toml`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/dispo/config.toml" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/dispo/config.toml"
    }

    /// Reads the file at `path`; a missing file is an empty configuration.
    public static func load(path: String) throws -> ConfigFile {
        guard FileManager.default.fileExists(atPath: path) else { return ConfigFile() }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("\(path): cannot be read as UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// A commented example, printed by `dispo config --example`.
    public static let example = """
    # dispo configuration: $XDG_CONFIG_HOME/dispo/config.toml (default ~/.config/dispo/config.toml)
    # Every setting is optional. Environment variables win over this file.

    # Who you are in the workspace (else AMPLEMARKET_USER, --user, or a one-time picker).
    # user = "ana.sousa@example.com"

    # The API key: never put it here. Name a file readable only by you (chmod 600) ...
    # api_key_file = "~/.config/dispo/api-key"
    # ... or a command that prints it, e.g. a password manager.
    # api_key_command = "pass show amplemarket/api-key"

    # Your time zone for dates in lists (not the SSH host's).
    # time_zone = "Europe/Lisbon"

    # How dates are written: "MMM d HH:mm" (Nov 29 15:32, the default), "yyyy-MM-dd HH:mm",
    # "dd/MM HH:mm", "MM/dd HH:mm" or "MMM d h:mm a" (12-hour clock).
    # date_format = "MMM d HH:mm"

    # Where `r` saves recordings (files are created readable only by you).
    # download_dir = "~/Downloads"

    # Colours: auto (8/16 colours for the background: light when COLORFGBG says so or the terminal
    # answers that it is, else dark), default (8/16 colours, dark background), 256, light (8/16 colours,
    # light background), light-256, mono. NO_COLOR in the environment means mono.
    # theme = "auto"

    # How `y` copies: auto (OSC 52, through tmux when inside it), osc52, tmux, off.
    # clipboard = "auto"

    # Mouse: click to select, wheel to scroll.
    # mouse = false

    # The region numbers typed without a country code are in (ISO code); else that of your From number.
    # default_region = "US"

    # Refuse a log without a disposition (in the TUI and `dispo log`), so the workspace's reports add up.
    # require_disposition = false

    # "Callable now" on the Tasks tab (f) and `dispo tasks --callable-now`: the contact's local hours.
    # calling_hours = "9-17"

    # After a log is queued, or a task completed or skipped, the cursor moves to the next task.
    # advance = true

    # Keys: action = "key" or ["key", "key"]; each replaces that action's default letter or Ctrl key
    # (arrows, Home/End, PgUp/PgDn, Enter, F1 and F5 always work). Keys: one character ("j", "G", "/"),
    # ctrl-x, alt-x, or enter, tab, backtab, space, backspace, delete, up, down, left, right, home, end,
    # pgup, pgdn, f1-f12. The form's send / timer / editor must be Ctrl, Alt or F keys.
    # Actions (defaults): down (j), up (k), top (g), bottom (G), page_down (ctrl-f), page_up (ctrl-b),
    # half_page_down (ctrl-d), half_page_up (ctrl-u), next_tab (tab), previous_tab (backtab),
    # tab_tasks (1), tab_calls (2), tab_outbox (3), open (Enter only), log (l), filter (/),
    # filter_menu (f), recording (r), copy_number (y), copy_id (Y), refresh (R), help (?), quit (q),
    # discard (x), resume_draft (d), complete (c), skip (s), detail (i), no_answer (n), voicemail (v), busy (b),
    # send (ctrl-s), timer (ctrl-t), editor (ctrl-e).
    # [keys]
    # down = "j"
    # log = ["l", "ctrl-o"]

    """
}

/// Expands a leading `~/` with `$HOME`.
func expandTilde(_ path: String, environment: [String: String]) -> String {
    guard path.hasPrefix("~/") else { return path }
    return (environment["HOME"] ?? NSHomeDirectory()) + String(path.dropFirst(1))
}
