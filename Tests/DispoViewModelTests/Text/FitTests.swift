import Foundation
import Testing
@testable import DispoViewModel

@Suite("Fitting prose to a width")
struct FitTests {
    init() { useUTF8Locale() }

    @Test func fitsWhole() {
        #expect(fitWords("Duration is required", width: 20) == "Duration is required")
        #expect(fitWords("", width: 5) == "")
    }

    @Test func cutsAtTheLastWordThatLeavesRoomForTheEllipsis() {
        // 12 columns: "Duration is…" (11 + 1); the cut never lands inside "required".
        #expect(fitWords("Duration is required", width: 12) == "Duration is…")
        #expect(fitWords("Duration is required", width: 19) == "Duration is…")
        #expect(fitWords("Duration is required", width: 11) == "Duration…")
    }

    @Test func dropsPunctuationBeforeTheCut() {
        #expect(fitWords("optional: tomorrow 10:00, tue 14:30, +2h", width: 26) == "optional: tomorrow 10:00…")
        #expect(fitWords("one · two three", width: 8) == "one…")
        #expect(fitWords("one · two three", width: 10) == "one · two…")
    }

    @Test func cutsInsideOnlyAWordWiderThanTheRoom() {
        #expect(fitWords("supercalifragilistic word", width: 8) == "superca…")
        #expect(fitWords("abc", width: 1) == "…")
        #expect(fitWords("abc", width: 0) == "")
    }

    @Test func measuresWideCharacters() {
        // 王小明 is 6 columns: "call 王小明 now" is 15 columns.
        #expect(fitWords("call 王小明 now", width: 12) == "call 王小明…")
        #expect(displayWidth(fitWords("call 王小明 now", width: 12)) <= 12)
        #expect(fitWords("call 王小明 now", width: 8, ellipsis: ".") == "call.")
    }

    @Test func wrapsAndEndsTheLastLineWithAnEllipsis() {
        let text = "Duration must be a number of seconds or minutes and seconds, like 95 or 1:35"
        #expect(wrapWords(text, width: 30, maxLines: 5) == wrapText(text, width: 30))
        let two = wrapWords(text, width: 30, maxLines: 2)
        #expect(two.count == 2)
        #expect(two[0] == "Duration must be a number of")
        #expect(two[1] == "seconds or minutes and…")
        #expect(two.allSatisfy { displayWidth($0) <= 30 })
        #expect(wrapWords(text, width: 30, maxLines: 0).isEmpty)
    }
}
