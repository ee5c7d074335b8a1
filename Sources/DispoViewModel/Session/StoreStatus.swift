/// Whether the app can save to its local store now (as the runtime last found it).
public enum StoreHealth: Sendable, Hashable {
    /// Writes go through.
    case writable
    /// Writes fail; the words say why ("disk full"). What the outbox learnt meanwhile is kept in memory
    /// and written as soon as the store takes writes again.
    case cannotSave(String)
}

/// Which process sends the outbox of this state directory (one sender per directory).
public enum OutboxSenderRole: Sendable, Hashable {
    /// This dispo sends queued logs.
    case thisProcess
    /// Another dispo sends them (its pid when known); this one queues its logs in the shared store and
    /// takes over when that one exits.
    case anotherProcess(pid: Int32?)
}

/// A damaged store file kept beside the fresh store that may still hold rows dispo could not read.
public struct DamagedStoreNote: Sendable, Hashable {
    /// The kept file.
    public var path: String
    /// What of it could not be read, in words ("2 outbox entries, some journal entries").
    public var unread: String

    public init(path: String, unread: String) { self.path = path; self.unread = unread }
}

/// What the session knows of the local store: whether it can save, who sends the outbox, a damaged file
/// kept aside.
public struct StoreStatus: Sendable, Hashable {
    public var health: StoreHealth = .writable
    public var sender: OutboxSenderRole = .thisProcess
    public var damagedFile: DamagedStoreNote?
    /// What opening the store had to repair, in a few words ("damaged store salvaged; 2 logs put back");
    /// nil when it was sound.
    public var repaired: String?

    public init() {}

    /// "cannot save: disk full", while the store refuses writes.
    public var cannotSaveText: String? {
        if case .cannotSave(let why) = health { return "cannot save: \(why)" }
        return nil
    }

    /// "another dispo (pid 4242) sends", while another process sends the outbox.
    public var otherSenderText: String? {
        guard case .anotherProcess(let pid) = sender else { return nil }
        return pid.map { "another dispo (pid \($0)) sends" } ?? "another dispo sends"
    }
}
