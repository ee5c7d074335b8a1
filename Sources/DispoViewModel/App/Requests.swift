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
        case .logAgain(let call):
            let task = tasks.list.items.first { $0.id == call.taskID }
            return apply(logForm.open(againAfter: call, task: task, context))
        case .editOutboxEntry(let entry):
            logForm.edit(entry, task: tasks.list.items.first { $0.id == entry.request.taskID })
        case .copy(let text):
            // Cleaned for the clipboard (a "number" carrying a newline must not run when pasted).
            let clean = clipboardSafe(text)
            guard !clean.isEmpty else { session.setStatus("Nothing to copy.", isError: false); return [] }
            return [.terminal(.copyToClipboard(clean))]
        }
        return []
    }
}
