import Foundation
import AmplemarketModels

/// The rep's last calls per task and per contact, learnt from the calls seen (pages of the Calls tab,
/// a contact's calls looked up, logs just sent): what the Tasks list shows as "last call" and the task
/// detail as the contact's history. At most `perContact` calls are kept per contact, newest first.
public struct CallHistory: Sendable {
    /// Calls kept per contact.
    static let perContact = 5
    /// The newest call of each task, by task id.
    public private(set) var lastByTask: [String: Call] = [:]
    /// The newest calls of each contact (at most `perContact`), by contact id, newest first.
    public private(set) var byContact: [String: [Call]] = [:]

    /// Takes calls in any order; a call already known (same id) is replaced.
    mutating func learn(_ calls: [Call]) {
        for c in calls { learn(c) }
    }

    mutating func learn(_ c: Call, contactID: String? = nil) {
        let date = c.startDate ?? .distantPast
        if let task = c.taskID, !task.isEmpty {
            if let known = lastByTask[task], known.id != c.id, (known.startDate ?? .distantPast) > date {} else {
                lastByTask[task] = c
            }
        }
        guard let cid = c.contact?.id ?? contactID, !cid.isEmpty else { return }
        var list = byContact[cid] ?? []
        list.removeAll { $0.id == c.id }
        let at = list.firstIndex { ($0.startDate ?? .distantPast) < date } ?? list.count
        guard at < Self.perContact else { return }
        list.insert(c, at: at)
        if list.count > Self.perContact { list.removeLast(list.count - Self.perContact) }
        byContact[cid] = list
    }
}

extension Call {
    /// The outcome in a few words: the disposition's name, else who answered (`no answer`, `voicemail`,
    /// `answered`, `a person`).
    func outcomeWords(_ dispositions: Dispositions) -> String {
        if let name = dispositions.name(id: dispositionID, fallback: dispositionName), !isBlank(name) { return name }
        switch (answered, human) {
        case (false?, _): return "Not answered"
        case (true?, false?): return "Machine"
        case (true?, true?): return "Person"
        case (true?, nil): return "Answered"
        default: return "Logged"
        }
    }
}
