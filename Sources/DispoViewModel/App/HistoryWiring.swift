import Foundation
import AmplemarketModels

extension AppState {
    /// A window of the local mirror arrived for the Calls tab.
    mutating func historyWindowArrived(_ window: HistoryWindow) -> [Effect] {
        []
    }

    /// The mirror's sync reported progress; with `changed`, the Calls window and the stats are read again.
    mutating func historyProgressed(_ progress: HistoryProgress, changed: Bool) -> [Effect] {
        session.historyProgress = progress
        return changed ? statsReloadIfShown() : []
    }
}
