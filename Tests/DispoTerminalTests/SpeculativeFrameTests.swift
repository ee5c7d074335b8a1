import Foundation
import Testing
import DispoViewModel
@testable import DispoTerminal

/// `SpeculativeFrame`: which keys are made ahead, and when a frame made ahead may stand for the key.
@Suite("Frames made ahead for a repeated key")
struct SpeculativeFrameTests {
    /// A counter: `j` adds one (nothing asked), `a` adds ten and keeps the draft, `l` asks for a load,
    /// `q` quits. The frame writes the count in its first cell row.
    static func reduce(_ n: inout Int, _ msg: Msg) -> [Effect] {
        guard case .key(let key) = msg else { return [] }
        switch key {
        case .char("j"): n += 1; return []
        case .char("a"): n += 10; return [.io(.saveDraft(LogDraft(localID: "l1"))), .io(.clearDraft)]
        case .char("l"): n += 100; return [.io(.load(.users))]
        case .char("q"): return [.terminal(.quit)]
        default: return []
        }
    }

    static func render(_ n: Int, _ size: Size, _ options: RenderOptions) -> Grid {
        var grid = Grid(size: size)
        for (i, ch) in String(n).enumerated() where i < size.cols { grid[i, 0] = Cell(String(ch)) }
        return grid
    }

    static let size = Size(cols: 10, rows: 2)

    static func make(_ key: Key, from n: Int = 5, events: Int = 7) -> SpeculativeFrame<Int>? {
        SpeculativeFrame.make(key, from: n, events: events, size: size, options: RenderOptions(),
                              reduce: reduce, render: render)
    }

    @Test func aKeyThatAsksForNothingIsMadeAheadWithItsStateAndFrame() throws {
        let made = try #require(Self.make(.char("j")))
        #expect(made.state == 6)
        #expect(made.effects.isEmpty)
        #expect(made.grid == Self.render(6, Self.size, RenderOptions()))
    }

    @Test func draftWritesAreKeptForLaterAndAnythingElseIsNotMadeAhead() throws {
        let draft = try #require(Self.make(.char("a")))
        #expect(draft.state == 15)
        #expect(draft.effects == [.saveDraft(LogDraft(localID: "l1")), .clearDraft])
        #expect(Self.make(.char("l")) == nil, "a load is only asked for once the key comes")
        #expect(Self.make(.char("q")) == nil, "a terminal action is only taken once the key comes")
    }

    @Test func itStandsForItsKeyAloneWithNothingHandledSince() throws {
        let made = try #require(Self.make(.char("j")))
        let tick = Msg.tick(Date())
        #expect(made.answers([.key(.char("j")), tick], events: 7, size: Self.size))
        #expect(made.answers([.key(.char("j"))], events: 7, size: Self.size))
        #expect(!made.answers([.key(.char("k")), tick], events: 7, size: Self.size), "another key")
        #expect(!made.answers([.key(.char("j")), .key(.char("j")), tick], events: 7, size: Self.size), "two keys at once")
        #expect(!made.answers([.key(.char("j")), tick], events: 8, size: Self.size), "something handled since")
        #expect(!made.answers([.key(.char("j")), tick], events: 7, size: Size(cols: 11, rows: 2)), "resized since")
        #expect(!made.answers([tick, .key(.char("j"))], events: 7, size: Self.size), "the clock first")
        #expect(!made.answers([], events: 7, size: Self.size))
    }
}
