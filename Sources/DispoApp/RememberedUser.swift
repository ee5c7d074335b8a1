import DispoStore
import Foundation

extension Session {
    /// The store key under which the user picked in the TUI is remembered for this workspace.
    public var rememberedUserKey: String { "user:" + workspaceKey }

    /// The user e-mail picked once in the TUI for this workspace, if any (read-only; nil when the store
    /// cannot be opened).
    public func rememberedUserEmail() -> String? {
        guard let (store, _) = try? DispoStore.open(path: DispoStore.defaultPath(environment: environment)) else { return nil }
        defer { try? store.close() }
        return try? store.value(forKey: rememberedUserKey)
    }
}
