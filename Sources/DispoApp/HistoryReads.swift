import DispoViewModel

extension Load {
    /// True for the reads the local mirror answers (the Calls tab's window, the Stats tab's tallies).
    var isHistoryRead: Bool {
        switch self {
        case .historyWindow, .stats, .historyFacets: true
        default: false
        }
    }
}
