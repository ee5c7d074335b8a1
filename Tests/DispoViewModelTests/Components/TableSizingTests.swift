import Foundation
import Testing
@testable import DispoViewModel

@Suite("Table columns share width by content")
struct TableSizingTests {
    init() { useUTF8Locale() }

    /// The widths of `table` laid out in `width` columns.
    func widths(_ table: Table, _ width: Int) -> [Int] { table.layout(width: width).map(\.width) }

    let outboxLike = Table(columns: [
        .init(title: "Created", width: .fixed(11), gap: 2),
        .init(title: "State", width: .fit(max: 15), gap: 2),
        .init(title: "Call", width: .share(45), gap: 2),
        .init(title: "Last error", width: .rest, gap: 0),
    ])

    @Test func unsizedTableKeepsTheMaximum() {
        // 60 columns: marker 2 + 11 + 15 + gaps 6 = 34 fixed, 26 flexible: 45 % → 11, rest 15.
        #expect(widths(outboxLike, 60) == [11, 15, 11, 15])
    }

    @Test func fitColumnTakesWhatItsWidestCellNeeds() {
        let rows: [[Table.Cell]] = [
            [.init(text: "Nov 29 11:00"), .init(text: "pending"), .init(text: "Alexandra Johnson · No answer"), .init(text: "")],
            [.init(text: "Nov 29 10:59"), .init(text: "sent"), .init(text: "Bruno Carvalho · Busy"), .init(text: "")],
        ]
        let sized = outboxLike.sized(for: rows, width: 60)
        let w = widths(sized, 60)
        #expect(w[1] == 7, "State as wide as \"pending\", not 15")
        // No error text: Last error keeps its title's width, Call takes the rest of the row.
        #expect(w[3] == displayWidth("Last error"))
        #expect(w[2] == 60 - 2 - 11 - 7 - 6 - 10)
        #expect(w[2] > widths(outboxLike, 60)[2])
    }

    @Test func fitColumnNeverExceedsItsMaximumNorItsTitle() {
        let rows: [[Table.Cell]] = [[.init(text: ""), .init(text: "NEEDS ATTENTION AND MORE"), .init(text: ""), .init(text: "")]]
        #expect(widths(outboxLike.sized(for: rows, width: 60), 60)[1] == 15)
        #expect(widths(outboxLike.sized(for: [], width: 60), 60)[1] == displayWidth("State"))
    }

    @Test func flexibleColumnsWhoseTextIsShortLeaveTheRoomToTheOthers() {
        let table = Table(columns: [
            .init(title: "A", width: .share(50), gap: 1),
            .init(title: "B", width: .rest, gap: 0),
        ])
        // 41 columns: 2 marker + 1 gap → 38 flexible; B needs 5, so A gets 33 instead of 19.
        let rows: [[Table.Cell]] = [[.init(text: String(repeating: "a", count: 40)), .init(text: "bbbbb")]]
        #expect(widths(table.sized(for: rows, width: 41), 41) == [33, 5])
        // Both need more than they have: the shares apply.
        let long: [[Table.Cell]] = [[.init(text: String(repeating: "a", count: 40)), .init(text: String(repeating: "b", count: 40))]]
        #expect(widths(table.sized(for: long, width: 41), 41) == [19, 19])
        // Both fit: each gets what it needs and the rest column what is left.
        let short: [[Table.Cell]] = [[.init(text: "aaa"), .init(text: "bb")]]
        #expect(widths(table.sized(for: short, width: 41), 41) == [3, 35])
    }
}
