import DispoViewModel

/// The state and frame pressing a recent key again would give, made by the UI loop once a frame is drawn
/// and nothing else waits: one for each of the last `keysAhead` distinct keys. Reps walk lists by
/// pressing the same keys again (`j j j`, `j k`, PgDn, Tab); when such a key comes, its frame is already
/// made and leaves at once, instead of after a reduce and a render that run on caches gone cold while
/// the loop slept in `poll`. Any other key is handled as it comes.
///
/// `reduce` and `render` are pure, so the speculative result is exactly what handling the key would give,
/// as long as nothing else was handled since it was made (`events`) and the size is the same. Only a key
/// whose reduce asks for nothing, or only for the log form's draft to be kept, is made ahead; a key that
/// sends, loads, changes a task or acts on the terminal is always handled after it arrives. When the key
/// comes, the frame leaves first, then the draft write is handed on, then the loop reduces the `.tick`
/// that follows the key as usual and draws again only if that changed the frame.
struct SpeculativeFrame<State> {
    /// How many of the last distinct keys get a frame made ahead (each costs one reduce and one render
    /// after the frame is drawn).
    static var keysAhead: Int { 2 }

    /// The key this frame answers.
    let key: Key
    /// The loop's count of handled events when it was made: any event since makes it stale.
    let events: Int
    /// The size it was rendered at.
    let size: Size
    /// The state after `key`.
    let state: State
    /// What reducing `key` asked for: nothing, or only draft writes.
    let effects: [IOEffect]
    /// The frame of `state` at `size`.
    let grid: Grid
    /// `grid` as ncurses cells against the screen it was made on (`Blitter.prepare`); nil until the loop
    /// prepares it.
    var prepared: PreparedFrame?

    /// Makes the frame for `key` from `state`: nil when the key asks for anything but draft writes.
    static func make(_ key: Key, from state: State, events: Int, size: Size, options: RenderOptions,
                     reduce: (inout State, Msg) -> [Effect], render: (State, Size, RenderOptions) -> Grid) -> SpeculativeFrame? {
        var next = state
        var effects: [IOEffect] = []
        for effect in reduce(&next, .key(key)) {
            switch effect {
            case .io(let io) where io.isDraftWrite: effects.append(io)
            default: return nil
            }
        }
        return SpeculativeFrame(key: key, events: events, size: size, state: next, effects: effects,
                                grid: render(next, size, options))
    }

    /// True when `pending` is this key alone (followed only by the clock's `.tick`), with nothing handled
    /// since the frame was made and the screen still `size`.
    func answers(_ pending: [Msg], events: Int, size: Size) -> Bool {
        guard events == self.events, size == self.size, let first = pending.first,
              case .key(let k) = first, k == key else { return false }
        return pending.dropFirst().allSatisfy { if case .tick = $0 { true } else { false } }
    }
}

extension IOEffect {
    /// Keeping or clearing the log form's draft: a local write that may follow the frame it belongs to.
    var isDraftWrite: Bool {
        switch self {
        case .saveDraft, .clearDraft: true
        default: false
        }
    }
}
