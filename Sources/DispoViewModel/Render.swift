import Foundation
import AmplemarketModels

/// Renders the whole screen for `state` at `size` into a grid of cells.
public func render(_ state: AppState, size: Size, options: RenderOptions) -> Grid {
    Grid(size: size)
}
