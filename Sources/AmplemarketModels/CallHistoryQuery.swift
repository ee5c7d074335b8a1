import Foundation

/// A question asked of the local mirror of one rep's calls (the store answers it, the Calls tab and
/// `dispo calls search` ask it): words to find and the same filters the Calls tab offers, over the whole
/// history kept on disk. Answers come newest first (start date, then id, both descending), as
/// `GET /calls` pages do.
public struct CallHistoryQuery: Sendable, Hashable, Codable {
    /// Which dispositions pass.
    public enum DispositionMatch: Sendable, Hashable, Codable {
        /// Any call, with or without a disposition.
        case any
        /// Calls with no disposition logged.
        case none
        /// Calls with this disposition id.
        case id(String)
    }

    /// The rep whose calls are searched (`user_id`).
    public var userID: String
    /// Free text as typed: every word must occur (each as a word prefix) in the call's contact name,
    /// e-mail, numbers (any spelling stored, and E.164), notes, transcription or disposition name,
    /// ignoring case and accents. Empty: every call.
    public var text: String
    /// `true`: answered calls only; `false`: unanswered only; nil: either.
    public var answered: Bool?
    /// `true`: a person answered (`answered` and `human`); `false`: a machine did (`answered`, not
    /// `human`); nil: either.
    public var human: Bool?
    public var disposition: DispositionMatch
    /// Calls that started at or after this instant; nil: no lower bound.
    public var since: Date?
    /// Calls that started before this instant; nil: no upper bound.
    public var until: Date?

    public init(userID: String, text: String = "", answered: Bool? = nil, human: Bool? = nil,
                disposition: DispositionMatch = .any, since: Date? = nil, until: Date? = nil) {
        self.userID = userID; self.text = text; self.answered = answered; self.human = human
        self.disposition = disposition; self.since = since; self.until = until
    }

    /// True when nothing but the rep narrows the calls.
    public var isEverything: Bool {
        text.allSatisfy(\.isWhitespace) && answered == nil && human == nil && disposition == .any
            && since == nil && until == nil
    }
}

/// One call as activity numbers count it: a dial, whether it connected (answered), whether a person
/// answered, how long it lasted and its disposition. A few bytes per call, so a month of a busy rep's
/// calls is cheap to read and count.
public struct CallTally: Sendable, Hashable, Codable {
    /// When the call started (nil when the server did not say).
    public var startDate: Date?
    public var answered: Bool?
    public var human: Bool?
    /// Seconds.
    public var duration: Int?
    public var dispositionID: String?
    /// The disposition's name as the call carried it (newer servers send it), for dispositions no
    /// longer listed.
    public var dispositionName: String?

    public init(startDate: Date?, answered: Bool?, human: Bool?, duration: Int?, dispositionID: String?,
                dispositionName: String? = nil) {
        self.startDate = startDate; self.answered = answered; self.human = human; self.duration = duration
        self.dispositionID = dispositionID; self.dispositionName = dispositionName
    }

    /// The tally of `call`.
    public init(_ call: Call) {
        self.init(startDate: call.startDate, answered: call.answered, human: call.human, duration: call.duration,
                  dispositionID: call.dispositionID, dispositionName: call.dispositionName)
    }
}

/// How much of a rep's history the local mirror holds: what the header and the Stats tab say.
public struct HistoryProgress: Sendable, Hashable, Codable {
    /// The rep whose calls these are (nil when not said).
    public var userID: String?
    /// Calls held.
    public var mirrored: Int
    /// True once the oldest page of the rep's calls has been read (the mirror holds the whole history).
    public var isComplete: Bool
    /// The start of the oldest call held; nil when none is.
    public var oldestStart: Date?
    /// When the newest calls were last read from the server (the data's age when offline); nil: never.
    public var syncedAt: Date?
    /// True while a sync is running.
    public var isSyncing: Bool

    public init(userID: String? = nil, mirrored: Int = 0, isComplete: Bool = false, oldestStart: Date? = nil,
                syncedAt: Date? = nil, isSyncing: Bool = false) {
        self.userID = userID
        self.mirrored = mirrored; self.isComplete = isComplete; self.oldestStart = oldestStart
        self.syncedAt = syncedAt; self.isSyncing = isSyncing
    }

    /// The share (0…1) of the period from `since` to `now` the mirror covers: 1 once the history is
    /// complete or reaches back before `since`; else how far back from `now` the oldest call held lies.
    public func coverage(since: Date, now: Date) -> Double {
        if isComplete { return 1 }
        guard let oldest = oldestStart, now > since else { return 0 }
        if oldest <= since { return 1 }
        return max(0, min(1, now.timeIntervalSince(oldest) / now.timeIntervalSince(since)))
    }
}

/// How many calls of the mirror each value of each Calls filter would show, the other filters (and the
/// words) as they are: what the filter menu shows beside each value over the whole history.
public struct HistoryFacets: Sendable, Hashable, Codable {
    /// Any, answered, unanswered.
    public var answered: [Int]
    /// Any, a person, a machine.
    public var party: [Int]
    /// Any, no disposition, then by disposition id.
    public var dispositionAny: Int
    public var dispositionNone: Int
    public var byDisposition: [String: Int]
    /// Any date, since each of the `dateStarts` asked for, in their order.
    public var dates: [Int]

    public init(answered: [Int], party: [Int], dispositionAny: Int, dispositionNone: Int, byDisposition: [String: Int],
                dates: [Int]) {
        self.answered = answered; self.party = party; self.dispositionAny = dispositionAny
        self.dispositionNone = dispositionNone; self.byDisposition = byDisposition; self.dates = dates
    }
}
