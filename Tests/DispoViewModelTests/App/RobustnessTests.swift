import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Random keys, data and sizes never crash the reducer or the renderer, and the grid is always
/// well formed (a continuation cell always follows a 2-column cluster; no control characters).
@Suite("Robustness") struct RobustnessTests {
    init() { useUTF8Locale() }

    /// A small deterministic generator (so a failure reproduces).
    struct LCG {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static let keys: [Key] = [
        .char("j"), .char("k"), .char("g"), .char("G"), .char("/"), .char("q"), .char("n"), .char("y"), .char("Y"),
        .char("1"), .char("2"), .char("3"), .char("l"), .char("r"), .char("R"), .char("?"), .char("王"), .char("x"),
        .char(" "), .char("9"), .char("f"), .char("a"), .char("h"), .char("d"), .char("t"), .ctrl("t"), .left, .right,
        .enter, .escape, .tab, .backTab, .up, .down, .pageUp, .pageDown, .home, .end,
        .backspace, .delete, .ctrl("s"), .ctrl("d"), .ctrl("u"), .ctrl("w"), .ctrl("k"), .ctrl("y"), .ctrl("e"),
        .alt("b"), .alt("f"), .alt("d"), .paste("+1\u{1B}[2J\n555"), .function(1),
        .mouse(MouseEvent(kind: .press, col: 5, row: 4)), .mouse(MouseEvent(kind: .wheelDown, col: 0, row: 0)),
    ]

    @Test(arguments: [UInt64(1), 2, 3])
    func randomSessions(seed: UInt64) {
        var rng = LCG(state: seed)
        var s = Fixtures.ready()
        let sizes = [Size(cols: 80, rows: 24), Size(cols: 120, rows: 40), Size(cols: 60, rows: 16), Size(cols: 1, rows: 1),
                     Size(cols: 0, rows: 0), Size(cols: 101, rows: 17), Size(cols: 59, rows: 30)]
        for step in 0..<1500 {
            let roll = rng.next(100)
            var effects: [Effect] = []
            if roll < 80 {
                effects = reduce(&s, .key(Self.keys[rng.next(Self.keys.count)]))
            } else if roll < 85 {
                effects = reduce(&s, .resize(sizes[rng.next(sizes.count)]))
            } else if roll < 90 {
                let calls = Fixtures.manyCalls(rng.next(30), from: rng.next(1000))
                effects = reduce(&s, .callsPageLoaded(Page(items: calls, next: rng.next(2) == 0 ? "/calls?n" : nil),
                                                      replacing: rng.next(2) == 0))
            } else if roll < 93 {
                effects = reduce(&s, .tasksPageLoaded(Page(items: Array(Fixtures.tasks.prefix(rng.next(7))), next: nil),
                                                      replacing: true))
            } else if roll < 96 {
                let req = LogCallRequest(from: "1", to: "2", duration: 1, answered: true, human: true, taskID: "t-1", userID: "u-1")
                effects = reduce(&s, .outboxChanged((0..<rng.next(4)).map {
                    OutboxEntry(localID: "o\($0)", request: req, summary: "s", state: .needsAttention, createdAt: fixtureNow)
                }))
            } else if roll < 98 {
                effects = reduce(&s, .tick(s.environment.now.addingTimeInterval(Double(rng.next(90)))))
            } else {
                effects = reduce(&s, .logFailed(localID: "nope", failure: APIFailure(kind: .validation, message: "x")))
            }
            for e in effects {
                if case .io(.submitLog(let id, let r, _)) = e {
                    _ = reduce(&s, .logSent(localID: id, call: Call(id: "sent-\(step)", to: r.to, dispositionID: r.dispositionID,
                                                                  taskID: r.taskID), notesStored: step % 2 == 0))
                }
            }
            // The filtered rows are exactly the loaded calls that pass the filters, in order.
            if let m = s.calls.list.matches {
                #expect(m == s.calls.list.items.indices.filter { passesFilters(s, s.calls.list.items[$0]) },
                        "stale call matches at step \(step)")
            } else {
                #expect(s.calls.list.filter.isEmpty && !s.calls.filter.filter.isActive)
            }
            if step % 7 == 0 {
                let size = sizes[rng.next(sizes.count)]
                let g = render(s, size: size, options: RenderOptions(unicode: step % 2 == 0, colors: step % 3 == 0))
                checkWellFormed(g)
            }
        }
    }

    func checkWellFormed(_ g: Grid) {
        for row in 0..<g.size.rows {
            for col in 0..<g.size.cols {
                let c = g[col, row]
                if c.isContinuation {
                    #expect(col > 0 && clusterWidth(Character(g[col - 1, row].text)) == 2, "orphan continuation at \(col),\(row)")
                } else {
                    #expect(c.text.count == 1, "cell holds one grapheme")
                    #expect(!c.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
                    if clusterWidth(Character(c.text)) == 2 {
                        #expect(col + 1 < g.size.cols && g[col + 1, row].isContinuation, "wide cluster without its half")
                    }
                }
            }
        }
    }
}

// Key → frame time with 100 000 calls is measured by the ViewModelBenchmarks target, not here: timed unit tests flake on
// shared machines.
