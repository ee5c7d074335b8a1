import Foundation
import AmplemarketModels

/// Everything the rep sees is a function of `AppState` and the terminal size (design.md §3).
public struct AppState: Sendable {
    public var environment: AppEnvironment
    /// The terminal size of the last `.resize`.
    public var size: Size
    /// True once startup effects were emitted (see `AppState.start`).
    public var started: Bool = false

    public init(environment: AppEnvironment) {
        self.environment = environment
        self.size = Size(cols: 80, rows: 24)
    }
}
