import Foundation
import AmplemarketModels

extension AppState {
    /// The Stats tab's tallies arrived from the local mirror.
    mutating func statsArrived(_ tallies: [CallTally], since: Date, progress: HistoryProgress) -> [Effect] {
        []
    }

    /// The effects that read the Stats tab's tallies again (the mirror changed): none unless the tab is shown.
    mutating func statsReloadIfShown() -> [Effect] {
        []
    }
}
