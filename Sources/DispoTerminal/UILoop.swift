import CNcursesw
import DispoViewModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The UI loop: one thread that waits in `poll` on the terminal and the wake pipe, reduces each `Msg`,
/// performs the terminal's effects and draws a frame when something changed.
extension TerminalUI {
    /// Runs the UI loop on the calling thread until `reduce` emits `.quit`, then restores the terminal.
    ///
    /// Each turn: `poll` on the terminal and the wake pipe (no timeout when idle except the next minute
    /// boundary, which posts `.tick`); signals; keys (decoded into `Msg.key`); the inbox; `reduce` for
    /// each `Msg`, performing its `TerminalEffect`s here and handing each `IOEffect` to `perform` (on
    /// this thread; it must not block); then one frame, blitted only when the grid differs from the last
    /// one, and not while more input is already waiting (for up to 0.1 s since the last frame): those
    /// keys are applied first and drawn together. The first `Msg` is `.resize(size)`.
    ///
    /// With `options.speculativeFrames`, once a frame is drawn and nothing waits, the loop also makes the
    /// state and frame of each of the last two distinct keys pressed again (`SpeculativeFrame`); when
    /// such a key comes alone, its frame is shown at once and the rest (the `.tick` after it) handled
    /// as usual. `reduce` and `render` must then be pure: a frame made ahead stands for the key only if
    /// nothing was handled since.
    ///
    /// When `options.idleFile` is set, each time the loop is idle after handling something or drawing a
    /// frame (e.g. the full redraw on resuming from Ctrl-Z) — inbox empty, no input pending, frame drawn,
    /// `busy()` false — it writes `IdleReport` there.
    public func run(state: inout AppState, perform: (IOEffect) -> Void, busy: @escaping @Sendable () -> Bool) {
        run(state: &state, reduce: DispoViewModel.reduce, render: DispoViewModel.render, perform: perform, busy: busy,
            tickDeadline: { $0.nextTickDeadline })
    }

    /// The same loop over any state type, with the reducer and renderer passed in (used by `run` above
    /// with `DispoViewModel.reduce` / `render`, and by front-end tests with a scripted model).
    /// `tickDeadline` is when the state next wants a `.tick` (nil: the next minute boundary is enough).
    public func run<State>(state: inout State, reduce: (inout State, Msg) -> [Effect],
                           render: (State, Size, RenderOptions) -> Grid,
                           perform: (IOEffect) -> Void, busy: @escaping @Sendable () -> Bool,
                           tickDeadline: (State) -> Date? = { _ in nil }) {
        var pending: [Msg] = [.resize(size)]
        var nextTick = Self.nextMinute(after: Date())
        var lastTick = Date.distantPast
        var recentKeys: [Key] = []  // the last distinct keys, newest first
        var speculation: [SpeculativeFrame<State>] = []
        var speculatedAt = -1
        while true {
            // 1. Handle what is there. A key made ahead (see `SpeculativeFrame`) is shown first: its state
            // is the one reducing it gives, and its frame leaves before the rest is handled.
            pending += inbox.take()
            if !pending.isEmpty {
                // No check for more input here: `readInput` has just read all there was.
                if let made = speculation.first(where: { $0.answers(pending, events: eventsHandled, size: size) }) {
                    state = made.state
                    eventsHandled += 1
                    pending.removeFirst()
                    show(made.grid, prepared: made.prepared)
                    made.effects.forEach(perform)
                    eventsAtLastDraw = eventsHandled
                    speculativeFramesShown += 1
                }
                speculation.removeAll()
                let quit = reduceAll(pending, state: &state, reduce: reduce, perform: perform)
                pending.removeAll(keepingCapacity: true)
                if quit { break }
            }

            // 2. Draw (nothing handled and nothing forced: the state and size are as last drawn). While
            // more keys wait, they are read and applied first and one frame shows them all, so a held key
            // never queues frames behind the rep; for at most `typeaheadLimit` since the last frame.
            if eventsHandled != eventsAtLastDraw || forceFullRedraw {
                if inputPending() && Date().timeIntervalSince(lastDrawAt) < Self.typeaheadLimit {
                    skippedFrames += 1
                } else {
                    drawIfChanged { size, options in render(state, size, options) }
                    eventsAtLastDraw = eventsHandled
                }
            }

            // 3. With the frame drawn and nothing waiting: the frames of the last keys pressed again, then
            // the idle signal.
            if !inbox.isEmpty { continue }
            if options.speculativeFrames, !recentKeys.isEmpty, speculatedAt != eventsHandled,
               eventsAtLastDraw == eventsHandled, !forceFullRedraw, !decoder.isMidSequence, !inputPending() {
                speculatedAt = eventsHandled
                let (rows, cols) = (Int(dispo_lines()), Int(dispo_cols()))
                speculation = recentKeys.compactMap {
                    guard var made = SpeculativeFrame.make($0, from: state, events: eventsHandled, size: size,
                                                           options: renderOptions, reduce: reduce, render: render)
                    else { return nil }
                    made.prepared = blitter.prepare(made.grid, screenRows: rows, screenCols: cols, full: false)
                    return made
                }
            }
            reportIfIdle(busy: busy)

            // 4. Wait.
            // The state may want a tick sooner (a running call timer, a status message expiring); never
            // more often than every 50 ms, so a deadline that stays in the past cannot spin.
            var dueTick = nextTick
            if let wanted = tickDeadline(state) { dueTick = min(dueTick, max(wanted, lastTick.addingTimeInterval(0.05))) }
            var fds = [pollfd(fd: inFd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inbox.wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, pollTimeout(until: dueTick))
            if ready < 0 && errno != EINTR { break }

            // 5. Signals and wakes.
            let exitSignal = handleWake(terminal: fds[0].revents, wake: fds[1].revents, pending: &pending)
            if let sig = exitSignal {
                pending += inbox.take()
                reduceBeforeExit(pending, state: &state, reduce: reduce, perform: perform)
                exitOnSignal(sig)
            }

            // 6. Keys.
            if fds[0].revents & Int16(POLLIN) != 0 || ready == 0 || decoder.isMidSequence {
                let keys = readInput()
                pending += keys
                for case .key(let k) in keys {
                    recentKeys.removeAll { $0 == k }
                    recentKeys.insert(k, at: 0)
                    if recentKeys.count > SpeculativeFrame<State>.keysAhead { recentKeys.removeLast() }
                }
                // The state's clock is only as fresh as its last tick: give it the time of these keys
                // (status messages are stamped with it; the call timer starts with it).
                if !keys.isEmpty { pending.append(.tick(Date())) }
            }

            // 7. Clock.
            let now = Date()
            if now >= dueTick {
                pending.append(.tick(now))
                lastTick = now
                nextTick = Self.nextMinute(after: now)
            }
        }
        restore()
    }

    /// Reduces each Msg in order, handing its I/O effects to `perform` and performing the terminal's.
    /// Returns true when one asked to quit (the Msgs after it are not reduced; the rest of its own
    /// effects are still performed).
    private func reduceAll<State>(_ msgs: [Msg], state: inout State, reduce: (inout State, Msg) -> [Effect],
                                  perform: (IOEffect) -> Void) -> Bool {
        var quit = false
        for msg in msgs {
            eventsHandled += 1
            for effect in reduce(&state, msg) {
                switch effect {
                case .io(let io): perform(io)
                case .terminal(let terminal): if performTerminal(terminal) == .quit { quit = true }
                }
            }
            if quit { break }
        }
        return quit
    }

    /// Whether the loop goes on after a terminal effect.
    private enum Continuation { case carryOn, quit }

    /// Performs one terminal effect on the UI thread.
    private func performTerminal(_ effect: TerminalEffect) -> Continuation {
        switch effect {
        case .quit: return .quit
        case .repaint: forceFullRedraw = true
        case .copyToClipboard(let text): copyToClipboard(text)
        case .openEditor(let field, let text): openEditor(field: field, text: text)
        }
        return .carryOn
    }

    /// Reduces what was still queued when an exit signal came, so the app sees it (e.g. a last
    /// keystroke's draft save): its I/O effects go to `perform`; terminal effects are dropped, as the
    /// terminal is being given back.
    private func reduceBeforeExit<State>(_ msgs: [Msg], state: inout State, reduce: (inout State, Msg) -> [Effect],
                                         perform: (IOEffect) -> Void) {
        for msg in msgs {
            for effect in reduce(&state, msg) {
                switch effect {
                case .io(let io): perform(io)
                case .terminal: break
                }
            }
        }
    }

    /// How long keys that keep coming may hold the next frame back (seconds).
    static let typeaheadLimit: TimeInterval = 0.1

    /// Milliseconds `poll` may wait: until `dueTick` (1 ms to 60 s), shorter while a key sequence (100 ms)
    /// or a paste (1 s) is incomplete, and at most 20 ms while an idle report is due.
    private func pollTimeout(until dueTick: Date) -> Int32 {
        var timeout = Int32(max(1, min(60_000, dueTick.timeIntervalSinceNow * 1000 + 1)))
        if decoder.isMidSequence { timeout = min(timeout, decoder.isInPaste ? 1_000 : 100) }
        if options.idleFile != nil && idleReportDue { timeout = min(timeout, 20) }
        return timeout
    }

    /// The start of the next minute after `date`.
    static func nextMinute(after date: Date) -> Date {
        let t = date.timeIntervalSince1970
        return Date(timeIntervalSince1970: (t / 60).rounded(.down) * 60 + 60)
    }
}
