import AmplemarketAPI
import AmplemarketModels
import DispoStore
import Foundation

/// The users and dispositions last loaded for a workspace, as the store keeps them (the same copies the
/// TUI shows on an offline start), so a log can be written to the outbox while the server cannot be
/// reached: who the rep is and which disposition was meant are known without it.
public struct SavedLists: Sendable {
    let store: DispoStore
    let workspaceKey: String

    /// - Parameter workspaceKey: the workspace's name in the store (`Session.workspaceKey`).
    public init(store: DispoStore, workspaceKey: String) {
        self.store = store; self.workspaceKey = workspaceKey
    }

    /// The store key of a saved list: the one the runtime's loads use (`cache:<workspace>:<name>`).
    private func key(_ name: String) -> String { "cache:\(workspaceKey):\(name)" }

    /// The users saved when last loaded, and when; nil when none were saved (or they cannot be read).
    public func users() -> (users: [User], savedAt: Date)? { read([User].self, "users") }

    /// The dispositions saved when last loaded, and when; nil when none were.
    public func dispositions() -> (dispositions: [Disposition], savedAt: Date)? { read([Disposition].self, "dispositions") }

    /// Saves what was just loaded (best effort: a failure only costs the offline copy).
    public func save(users: [User]) { write(users, "users") }
    public func save(dispositions: [Disposition]) { write(dispositions, "dispositions") }

    private func read<T: Decodable>(_ type: T.Type, _ name: String) -> (T, Date)? {
        guard let (data, at) = try? store.cachedPage(key: key(name)),
              let value = try? APIJSON.decoder().decode(T.self, from: data) else { return nil }
        return (value, at)
    }

    private func write<T: Encodable>(_ value: T, _ name: String) {
        guard let data = try? APIJSON.encoder().encode(value) else { return }
        try? store.cachePage(key: key(name), json: data, fetchedAt: Date())
    }
}

/// True when `error` means the server could not be reached or used (no connection, no answer, 5xx):
/// what is saved locally may stand in for what it would have said.
public func isServerOutage(_ error: Error) -> Bool {
    guard let f = error as? APIFailure else { return false }
    return ConnectionMonitor.isOutage(f)
}
