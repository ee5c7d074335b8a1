import Foundation
import AmplemarketModels

/// A call's outcome set with one key from the Tasks list (`n`, `v`, `b`): the log form opens already
/// filled with it.
public enum QuickOutcome: Sendable, Hashable, CaseIterable {
    case noAnswer, voicemail, busy

    /// The slug of the workspace's disposition for this outcome (Amplemarket's defaults).
    var slug: String {
        switch self {
        case .noAnswer: "no_answer"
        case .voicemail: "no_answer_voicemail"
        case .busy: "busy"
        }
    }

    /// Names that stand for the outcome when no disposition has the slug (folded, compared whole).
    var names: [String] {
        switch self {
        case .noAnswer: ["no answer", "no-answer", "unanswered", "not answered"]
        case .voicemail: ["left voicemail", "voicemail", "left a voicemail", "voicemail left", "left vm", "vm"]
        case .busy: ["busy", "line busy"]
        }
    }

    var words: String {
        switch self {
        case .noAnswer: "No answer"
        case .voicemail: "Left voicemail"
        case .busy: "Busy"
        }
    }

    var keyAction: KeyAction {
        switch self {
        case .noAnswer: .noAnswer
        case .voicemail: .voicemail
        case .busy: .busy
        }
    }

    /// The duration filled in without a running timer: nothing was said on a no answer or a busy line;
    /// a voicemail's length is the rep's to type.
    var defaultDuration: String? {
        switch self {
        case .noAnswer, .busy: "0"
        case .voicemail: nil
        }
    }

    /// The workspace's disposition for this outcome: by slug, else by name; nil when it has none.
    func disposition(in dispositions: Dispositions) -> Disposition? {
        if let d = dispositions.list.first(where: { $0.slug == slug }) { return d }
        return dispositions.list.first { d in
            guard let n = d.name else { return false }
            return names.contains(foldForSearch(n).trimmingCharacters(in: .whitespaces))
        }
    }
}
