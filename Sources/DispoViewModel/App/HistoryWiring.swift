import Foundation
import AmplemarketModels

extension AppState {
    /// A window of the local mirror arrived for the Calls tab.
    mutating func historyWindowArrived(_ window: HistoryWindow) -> [Effect] {
        calls.receiveHistory(window, context)
        session.loadSucceeded(.calls)
        return tab == .calls ? calls.prefetch(context) : []
    }

    /// The mirror's sync reported progress; with `changed`, the Calls window and the stats are read again.
    mutating func historyProgressed(_ progress: HistoryProgress, changed: Bool) -> [Effect] {
        session.historyProgress = progress
        guard changed else { return [] }
        return calls.historyChanged(context) + statsReloadIfShown()
    }
}
