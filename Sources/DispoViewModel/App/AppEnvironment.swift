import Foundation
import AmplemarketModels

/// Facts fixed at startup (plus the clock, which `.tick` advances). Set by the app's runtime.
public struct AppEnvironment: Sendable, Hashable {
    /// True when talking to the built-in sandbox (or any non-Amplemarket server).
    public var isSandbox: Bool
    /// What the header's right end says about a server that is not Amplemarket's, so a rep always knows
    /// where logs go: `SANDBOX` for the built-in one, `TEST 127.0.0.1:8787` for another; nil (the
    /// default) says `SANDBOX` whenever `isSandbox`.
    public var serverTag: String?
    /// The base URL as shown to the rep (`https://api.amplemarket.com`), used in "cannot reach" messages.
    public var baseURLDisplay: String
    /// The rep's time zone: dates in lists and details are shown in it.
    public var timeZone: TimeZone
    /// The current time; updated by `Msg.tick`.
    public var now: Date
    /// The user e-mail configured by `--user` / `AMPLEMARKET_USER` / config, if any.
    public var configuredUserEmail: String?
    /// Where recordings are downloaded (a directory path).
    public var downloadDirectory: String
    /// False when the terminal is not UTF-8: ASCII glyphs and borders are used.
    public var unicode: Bool
    /// How dates are written in lists and the call detail (config `date_format`).
    public var dateStyle: DateStyle
    /// Which key does what (defaults, or config `[keys]`); the help overlay shows it.
    public var keymap: Keymap
    /// Config `require_disposition`: a log must carry a disposition (so the workspace's reports add up).
    public var requireDisposition: Bool
    /// Config `default_region` (ISO code, `US`): numbers typed without a country code are read in it.
    public var defaultRegion: String?
    /// The country the rep chose when asked (remembered per workspace); used when neither
    /// `default_region` nor the rep's From number gives one.
    public var rememberedRegion: String?
    /// Config `calling_hours`: the contact's hours in which calling is fine ("callable now").
    public var callingHours: CallingHours
    /// Config `advance`: after a log is queued (or a task completed or skipped) the cursor moves on.
    public var advance: Bool
    /// Config `history`: the rep's calls are kept in the local mirror; the Calls tab and `/` then read
    /// the whole history from it. False: the Calls tab pages the server, as loaded.
    public var keepsHistory: Bool = false
    /// Config `daily_dial_goal`: dials a day the Stats tab draws progress against; nil: no goal.
    public var dailyDialGoal: Int?
    /// A tag drawn at random for this run (the front end's), part of every local id of a new log: two
    /// dispo processes on one state directory can open a log form in the same second, and their ids must
    /// still differ. Empty (tests): ids are `log-<seconds>-<n>`.
    public var logIDTag: String = ""

    public init(isSandbox: Bool = false, baseURLDisplay: String = "https://api.amplemarket.com",
                timeZone: TimeZone = .current, now: Date = Date(), configuredUserEmail: String? = nil,
                downloadDirectory: String = ".", unicode: Bool = true, dateStyle: DateStyle = .monthDay,
                keymap: Keymap = .default, requireDisposition: Bool = false,
                defaultRegion: String? = nil, callingHours: CallingHours = .default, advance: Bool = true,
                rememberedRegion: String? = nil) {
        self.isSandbox = isSandbox; self.baseURLDisplay = baseURLDisplay; self.timeZone = timeZone; self.now = now
        self.configuredUserEmail = configuredUserEmail; self.downloadDirectory = downloadDirectory
        self.unicode = unicode; self.dateStyle = dateStyle; self.keymap = keymap
        self.requireDisposition = requireDisposition; self.defaultRegion = defaultRegion
        self.callingHours = callingHours; self.advance = advance; self.rememberedRegion = rememberedRegion
    }
}
