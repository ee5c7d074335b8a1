import Foundation
import AmplemarketModels

/// The reducer: applies one `Msg` to the state and returns the effects to perform, in order.
public func reduce(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    []
}
