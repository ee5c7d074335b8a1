import AmplemarketModels
import DispoViewModel
import Foundation

extension Load {
    /// True for the reads the local mirror answers (the Calls tab's window, the Stats tab's tallies).
    var isHistoryRead: Bool {
        switch self {
        case .historyWindow, .stats: true
        default: false
        }
    }
}

extension AppRuntime {
    /// Answers a read of the local mirror (`Load.historyWindow`, `Load.stats`) with its `Msg`.
    func readHistory(_ load: Load) {
    }
}
