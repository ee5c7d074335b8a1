import Foundation

/// What a key does on the list screens (Tasks, Calls, Outbox) or in the log form. The raw values are the
/// names used in the `[keys]` table of `config.toml`, which rebinds keys.
public enum KeyAction: String, Sendable, Hashable, CaseIterable {
    // Lists.
    case down, up, top, bottom
    case pageDown = "page_down", pageUp = "page_up"
    case halfPageDown = "half_page_down", halfPageUp = "half_page_up"
    case nextTab = "next_tab", previousTab = "previous_tab"
    case tasksTab = "tab_tasks", callsTab = "tab_calls", outboxTab = "tab_outbox", statsTab = "tab_stats"
    case open, log, filter
    case filterMenu = "filter_menu"
    case recording
    case copyNumber = "copy_number", copyID = "copy_id"
    case refresh, help, quit, discard
    case resumeDraft = "resume_draft"
    // Tasks.
    case complete, skip, detail
    case noAnswer = "no_answer", voicemail, busy
    // Log form.
    case send, timer, editor

    /// True for the actions of the log form, which must be Ctrl, Alt or function keys (a printable key
    /// would be typed into the focused field instead).
    public var isFormAction: Bool { self == .send || self == .timer || self == .editor }

    /// The keys bound by default that a `[keys]` entry replaces (vim/less style letters, Ctrl keys).
    public var defaultKeys: [Key] {
        switch self {
        case .down: [.char("j")]
        case .up: [.char("k")]
        case .top: [.char("g")]
        case .bottom: [.char("G")]
        case .pageDown: [.ctrl("f")]
        case .pageUp: [.ctrl("b")]
        case .halfPageDown: [.ctrl("d")]
        case .halfPageUp: [.ctrl("u")]
        case .nextTab: [.tab]
        case .previousTab: [.backTab]
        case .tasksTab: [.char("1")]
        case .callsTab: [.char("2")]
        case .outboxTab: [.char("3")]
        case .statsTab: [.char("4")]
        case .open: []
        case .log: [.char("l")]
        case .filter: [.char("/")]
        case .filterMenu: [.char("f")]
        case .recording: [.char("r")]
        case .copyNumber: [.char("y")]
        case .copyID: [.char("Y")]
        case .refresh: [.char("R")]
        case .help: [.char("?")]
        case .quit: [.char("q")]
        case .discard: [.char("x")]
        case .resumeDraft: [.char("d")]
        case .complete: [.char("c")]
        case .skip: [.char("s")]
        case .detail: [.char("i")]
        case .noAnswer: [.char("n")]
        case .voicemail: [.char("v")]
        case .busy: [.char("b")]
        case .send: [.ctrl("s")]
        case .timer: [.ctrl("t")]
        case .editor: [.ctrl("e")]
        }
    }

    /// Keys that always do this action whatever the configuration (arrows, Home/End, PgUp/PgDn, Enter,
    /// F1, F5, Delete), so a rebinding never leaves an action unreachable.
    public var fixedKeys: [Key] {
        switch self {
        case .down: [.down]
        case .up: [.up]
        case .top: [.home]
        case .bottom: [.end]
        case .pageDown: [.pageDown]
        case .pageUp: [.pageUp]
        case .open: [.enter]
        case .refresh: [.function(5)]
        case .help: [.function(1)]
        case .discard: [.delete]
        default: []
        }
    }
}
