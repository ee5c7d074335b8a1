import Foundation
import AmplemarketModels

/// What the rep asked the server to do to a task.
public enum TaskChange: Sendable, Hashable {
    /// Per Amplemarket API: `POST /tasks/{id}/complete`; `lead` also completes the sequence lead.
    case complete(lead: Bool)
    /// Per Amplemarket API: `POST /tasks/{id}/skip`.
    case skip

    /// `completed`, `skipped`.
    public var pastTense: String {
        switch self {
        case .complete: "completed"
        case .skip: "skipped"
        }
    }

    public var verb: String {
        switch self {
        case .complete: "complete"
        case .skip: "skip"
        }
    }
}

extension TaskRecord {
    /// Why the API cannot complete or skip this task (only scheduled, manual tasks can be); nil when it can.
    var whyNotChangeable: String? {
        if let status, !isScheduled { return "this task is already \(status)" }
        if automatic == true { return "an automatic task (its sequence does it) cannot be changed" }
        return nil
    }
}
