import AmplemarketModels
/// The root carries out what features ask of it.
extension AppState {
    /// The reply's effects, then those of carrying out its requests, in order.
    mutating func apply(_ reply: Reply) -> [Effect] {
        var effects = reply.effects
        for request in reply.requests { effects += carryOut(request) }
        return effects
    }

    mutating func carryOut(_ request: Request) -> [Effect] {
        switch request {
        case .status(let text, let isError): session.setStatus(text, isError: isError)
        case .topicError(let text, let topic): session.setStatus(text, topic: topic)
        case .clearStatus: session.status = nil
        case .clearNotice: session.clearNotice()
        case .present(let m): modal = m
        case .quit: return requestQuit()
        case .switchTab(let t): switchTab(to: t)
        case .logTask(let task): return apply(logForm.open(task: task, context))
        case .logCallBack(let c): return apply(logForm.open(task: c.task, to: c.number, callBackID: c.id, context))
        case .logQuick(let row, let outcome): return logQuick(row, outcome)
        case .logAgain(let call):
            let task = tasks.list.items.lazy.compactMap(\.task).first { $0.id == call.taskID }
            return apply(logForm.open(againAfter: call, task: task, taskIsCompleted: taskIsCompleted(call.taskID, task), context))
        case .editOutboxEntry(let entry):
            logForm.edit(entry, task: tasks.list.items.lazy.compactMap(\.task).first { $0.id == entry.request.taskID })
        case .copy(let text):
            // Cleaned for the clipboard (a "number" carrying a newline must not run when pasted).
            let clean = clipboardSafe(text)
            guard !clean.isEmpty else { session.setStatus("Nothing to copy.", isError: false); return [] }
            return [.terminal(.copyToClipboard(clean))]
        }
        return []
    }
}

extension AppState {
    /// True when `taskID`'s task is known to be completed: its record says so, or a call loaded for it
    /// carries a disposition that completes its task (the Tasks tab lists scheduled tasks only).
    func taskIsCompleted(_ taskID: String?, _ task: TaskRecord?) -> Bool {
        if let task { return task.isCompleted }
        guard let taskID, !taskID.isEmpty else { return false }
        let dispositions = session.dispositions
        return calls.list.items.contains {
            $0.taskID == taskID && $0.dispositionID.flatMap { dispositions.byID[$0]?.action } == .complete
        }
    }
}
