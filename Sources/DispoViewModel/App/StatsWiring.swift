import Foundation
import AmplemarketModels

extension AppState {
    /// The Stats tab's tallies arrived from the local mirror.
    mutating func statsArrived(_ tallies: [CallTally], since: Date, progress: HistoryProgress) -> [Effect] {
        stats.receive(tallies, since: since, progress: progress, context)
        // The mirror changed while this read was out: read again if the tab still shows.
        return tab == .stats ? stats.loadIfNeeded(context) : []
    }

    /// The effects that read the Stats tab's tallies again (the mirror changed): none unless the tab is shown.
    mutating func statsReloadIfShown() -> [Effect] {
        stats.isStale = true
        return tab == .stats ? stats.loadIfNeeded(context) : []
    }
}
