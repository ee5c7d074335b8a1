import Foundation

/// Who picked up a call: the `answered` / `human` pair of a call (per Amplemarket API: POST /calls
/// requires both booleans). A person answering is `(true, true)`, a machine `(true, false)`, no one
/// `(false, false)`; `(false, true)` cannot happen and has no case.
public enum CallOutcome: String, Sendable, Hashable, CaseIterable {
    case person
    case machine
    case notAnswered

    /// `answered` as sent.
    public var answered: Bool { self != .notAnswered }
    /// `human` as sent.
    public var human: Bool { self == .person }

    /// The outcome of a pair; nil for the impossible "not answered, yet a person".
    public init?(answered: Bool, human: Bool) {
        switch (answered, human) {
        case (true, true): self = .person
        case (true, false): self = .machine
        case (false, false): self = .notAnswered
        case (false, true): return nil
        }
    }

    /// In words, for messages: "a person answered", "a machine answered", "not answered".
    public var words: String {
        switch self {
        case .person: "a person answered"
        case .machine: "a machine answered"
        case .notAnswered: "not answered"
        }
    }
}

extension Disposition {
    /// What this disposition says about who picked up, from its slug (else its name): a voicemail → a
    /// machine; no answer or busy → not answered; an outcome only a conversation gives (interested, not
    /// interested, wrong number, a meeting, a call back…) → a person. Nil when its words say nothing we
    /// can rely on (a workspace's own disposition named otherwise): it then sets nothing.
    public var impliedOutcome: CallOutcome? {
        for text in [slug, name].compactMap({ $0 }) {
            if let outcome = Self.outcome(ofWords: text) { return outcome }
        }
        return nil
    }

    /// Words of a slug or name, lower-cased, split on anything but letters and digits.
    static func outcome(ofWords text: String) -> CallOutcome? {
        let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        let joined = words.joined(separator: "_")
        func has(_ phrase: String) -> Bool {
            joined == phrase || joined.hasPrefix(phrase + "_") || joined.hasSuffix("_" + phrase)
                || joined.contains("_" + phrase + "_")
        }
        // A voicemail is checked first: its slug (`no_answer_voicemail`) also reads "no answer".
        if ["voicemail", "voice_mail", "answering_machine", "left_message", "left_a_message", "vm"].contains(where: has) {
            return .machine
        }
        if ["no_answer", "busy", "unanswered", "not_answered", "no_pickup", "no_pick_up", "line_busy"].contains(where: has) {
            return .notAnswered
        }
        if ["interested", "wrong_number", "wrong_person", "meeting", "meeting_booked", "call_back", "callback",
            "spoke", "connected", "conversation", "gatekeeper", "referral", "not_now", "do_not_call", "qualified",
            "booked", "demo", "hung_up", "follow_up"].contains(where: has) {
            return .person
        }
        return nil
    }
}

/// Two parts of a log that cannot both be true; the rep is asked before such a log is sent.
public enum OutcomeContradiction: Sendable, Hashable {
    /// The disposition says who picked up, and answered / human say otherwise.
    case disposition(name: String, says: CallOutcome, chosen: CallOutcome)
    /// Not answered, yet longer than `longestUnansweredSeconds`.
    case longUnanswered(seconds: Int)

    /// A call no one answered rings for 2 minutes at most before the network ends it.
    public static let longestUnansweredSeconds = 120

    /// In words: "Left voicemail says a machine answered, not a person".
    public var message: String {
        switch self {
        case .disposition(let name, let says, let chosen):
            "\(name) means \(says.words), but the log says \(chosen.words)"
        case .longUnanswered(let seconds):
            "not answered, yet \(seconds) s long (an unanswered call rings 2 min at most)"
        }
    }

    /// The contradictions of a log: `disposition` (nil when none), who picked up, and its duration in
    /// seconds (nil when not known yet). Empty when the parts agree.
    public static func of(disposition: Disposition?, outcome: CallOutcome, durationSeconds: Int?) -> [OutcomeContradiction] {
        var found: [OutcomeContradiction] = []
        if let disposition, let says = disposition.impliedOutcome, says != outcome {
            found.append(.disposition(name: disposition.name ?? disposition.slug ?? disposition.id, says: says, chosen: outcome))
        }
        if outcome == .notAnswered, let s = durationSeconds, s > longestUnansweredSeconds {
            found.append(.longUnanswered(seconds: s))
        }
        return found
    }
}
