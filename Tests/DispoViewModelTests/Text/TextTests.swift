import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Text: the sanitiser, display width, fitting and wrapping, durations, date styles, search folding.
@Suite("Text") struct TextTests {
    init() { useUTF8Locale() }

    @Test func plainTextIsUnchanged() {
        #expect(sanitize("Ana Lima +351 912") == "Ana Lima +351 912")
        #expect(sanitize("王小明 Zoë") == "王小明 Zoë")
        // The replacement character the API client puts where a server string was not UTF-8 is shown.
        #expect(sanitize("Zo\u{FFFD} Fern\u{FFFD}ndez") == "Zo\u{FFFD} Fern\u{FFFD}ndez")
        #expect(displayWidth("Zo\u{FFFD}") == 3)
    }

    @Test func escapeSequencesBecomeInert() {
        #expect(sanitize("\u{1B}[31mRed\u{1B}[0m") == "␛[31mRed␛[0m")
        // OSC 52 (clipboard write) terminated by BEL, and by ST.
        #expect(sanitize("\u{1B}]52;c;ZXZpbA==\u{07}") == "␛]52;c;ZXZpbA==␇")
        #expect(sanitize("\u{1B}]0;title\u{1B}\\") == "␛]0;title␛\\")
        #expect(!sanitize("a\u{1B}b\u{07}c\u{7F}").unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(sanitize("a\u{7F}") == "a␡")
    }

    @Test func c1ControlsAndBidiOverridesAreVisible() {
        #expect(sanitize("a\u{9B}31m") == "a\u{FFFD}31m")         // 8-bit CSI
        #expect(sanitize("\u{202E}evil\u{202C}") == "\u{FFFD}evil\u{FFFD}")
        #expect(sanitize("x\u{2066}y\u{2069}") == "x\u{FFFD}y\u{FFFD}")
        #expect(sanitize("a\u{200F}b") == "a\u{FFFD}b")
    }

    @Test func newlinesAndCarriageReturnsAreShown() {
        #expect(sanitize("one\ntwo") == "one␊two")
        #expect(sanitize("one\r\ntwo") == "one␍␊two")
    }

    @Test func tabsExpandToEightColumns() {
        #expect(sanitize("ab\tc") == "ab      c")
        #expect(sanitize("王\tx") == "王      x")
        #expect(displayWidth("\t") == 8)
    }

    @Test func loneCombiningMarkGetsABase() {
        let s = sanitize("\u{301}x")
        #expect(s.first == "\u{25CC}\u{301}")
        #expect(displayWidth("\u{301}x") == 2)
    }

    @Test func everyClusterOfTheResultIsVisible() {
        let hostile = "\u{1B}[2J\u{0}\u{85}\u{200B}\u{2028}\u{FEFF}\u{E0001}ok"
        for c in sanitize(hostile) { #expect(clusterWidth(c) >= 1, "\(c.unicodeScalars.map { $0.value })") }
    }

    @Test func asciiAndLatin() {
        #expect(displayWidth("") == 0)
        #expect(displayWidth("hello") == 5)
        #expect(displayWidth("Zoë") == 3)
        #expect(displayWidth("Zoe\u{308}") == 3)  // decomposed: combining mark is 0
    }

    @Test func wideAndEmoji() {
        #expect(displayWidth("王小明") == 6)
        #expect(displayWidth("ＡＢ") == 4)
        #expect(displayWidth("🎉") == 2)
        #expect(displayWidth("👨‍👩‍👧") == 2)       // ZWJ family: one cluster
        #expect(displayWidth("❤️") == 2)           // VS16
        #expect(displayWidth("❤") == 1)
        #expect(displayWidth("🇵🇹") == 2)
    }

    @Test func rightToLeftIsMeasuredByColumns() {
        #expect(displayWidth("محمد علي") == 8)
        #expect(displayWidth("שלום") == 4)
    }

    @Test func controlsCountAsTheirStandIns() {
        #expect(displayWidth("\u{1B}[0m") == 4)
        #expect(displayWidth("\u{202E}") == 1)
    }

    @Test func fitTruncatesWithEllipsisByWidth() {
        #expect(fitToWidth("Ana Lima", 5) == "Ana …")
        #expect(fitToWidth("Ana", 5) == "Ana  ")
        #expect(fitToWidth("42", 5, alignRight: true) == "   42")
        // A wide character that would straddle the cut is dropped, and the result is still 5 columns.
        #expect(fitToWidth("王小明王小明", 5) == "王小…")
        #expect(displayWidth(fitToWidth("王小明王小明", 6)) == 6)
        #expect(displayWidth(fitToWidth("a🎉🎉🎉", 4)) == 4)
    }

    @Test func wrapKeepsWordsAndWidth() {
        let lines = wrapText("the quick brown fox jumps", width: 10)
        #expect(lines == ["the quick", "brown fox", "jumps"])
        for l in wrapText(String(repeating: "王", count: 13), width: 5) { #expect(displayWidth(l) <= 5) }
        #expect(wrapText("a\nb", width: 5) == ["a", "b"])
    }

    @Test(arguments: [("95", 95), ("1:35", 95), ("1m35s", 95), ("2m", 120), ("45s", 45), ("1:02:03", 3723),
                      ("0", 0), (" 1m 5s ", 65), ("1h", 3600), ("1h2m3s", 3723), ("0:00", 0), ("10:05", 605)])
    func accepts(_ text: String, _ seconds: Int) {
        #expect(parseDuration(text) == seconds)
    }

    @Test(arguments: ["", " ", "-5", "1.5", "abc", "1:75", "1:5", "1::2", "5s3m", "1m1m", "m", "1:2:3:4",
                      "99999999999999", "1:02:60", "٣"])
    func rejects(_ text: String) {
        #expect(parseDuration(text) == nil)
    }

    @Test func formats() {
        #expect(formatDuration(95) == "1:35")
        #expect(formatDuration(0) == "0:00")
        #expect(formatDuration(3723) == "1:02:03")
    }

    @Test func durationForms() {
        #expect(parseDuration("1m35") == 95)
        #expect(parseDuration("95s") == 95)
        #expect(parseDuration("1m35s") == 95)
        #expect(parseDuration("1:75") == nil)
        #expect(parseDuration("1m75") == nil)
        #expect(parseDuration("-5") == nil)
        #expect(parseDuration("-1:00") == nil)
    }

    @Test func everyStyleHasItsWidth() {
        let d = date("2025-11-29T20:32:08Z")
        let ny = TimeZone(identifier: "America/New_York")!
        let expected: [DateStyle: (String, String)] = [
            .monthDay: ("Nov 29 15:32", "2025-11-29 15:32:08 UTC-05:00"),
            .iso: ("2025-11-29 15:32", "2025-11-29 15:32:08 UTC-05:00"),
            .dayMonth: ("29/11 15:32", "29/11/2025 15:32:08 UTC-05:00"),
            .monthDayNumeric: ("11/29 15:32", "11/29/2025 15:32:08 UTC-05:00"),
            .monthDay12h: ("Nov 29  3:32 PM", "Nov 29, 2025 3:32:08 PM UTC-05:00"),
        ]
        for style in DateStyle.allCases {
            #expect(style.listDateTime(d, zone: ny) == expected[style]!.0)
            #expect(style.listDateTime(d, zone: ny).count == style.width)
            #expect(style.detailDateTime(d, zone: ny) == expected[style]!.1)
        }
        #expect(utcOffset(0) == "UTC" && utcOffset(20_700) == "UTC+05:45" && utcOffset(-12_600) == "UTC-03:30")
    }

    /// List dates come from a cache after the first time; what it gives is what formatting gives, in every
    /// style and zone, also where a zone's offset is not whole minutes (New York kept local mean time,
    /// UTC-04:56:02, until 1883), across every second of a minute.
    @Test func cachedListDatesAreTheFormattedOnes() {
        let zones = ["America/New_York", "Asia/Kathmandu", "UTC"].map { TimeZone(identifier: $0)! }
        let starts = [date("2025-11-29T20:32:00Z"), date("1880-06-01T12:00:00Z")]
        for zone in zones {
            for style in DateStyle.allCases {
                for start in starts {
                    for second in 0..<60 {
                        let d = start.addingTimeInterval(Double(second) + 0.5)
                        let formatted = style.formatListDateTime(d, zone: zone)
                        #expect(style.listDateTime(d, zone: zone) == formatted, "\(style) \(zone.identifier) \(d)")
                        #expect(style.listDateTime(d, zone: zone) == formatted, "again: \(style) \(zone.identifier) \(d)")
                    }
                }
            }
        }
        let d = date("2025-11-29T20:32:08Z")
        #expect(DateStyle.monthDay.listDateTime(d, zone: zones[0]) == "Nov 29 15:32")
        #expect(DateStyle.monthDay.listDateTime(d, zone: zones[1]) == "Nov 30 02:17")
        // 12:00:30 UTC less 4:56:02 is 07:04:28, and 12:00:00 is 07:03:58: one UTC minute, two local ones.
        #expect(DateStyle.monthDay.listDateTime(date("1880-06-01T12:00:30Z"), zone: zones[0]) == "Jun  1 07:04")
        #expect(DateStyle.monthDay.listDateTime(date("1880-06-01T12:00:00Z"), zone: zones[0]) == "Jun  1 07:03")
    }

    @Test func foldingFunction() {
        #expect(foldForSearch("José GARCÍA") == "jose garcia")
        #expect(foldForSearch("Øresund Straße") == "oresund strasse")
        #expect(foldForSearch("王小明") == "王小明")
    }
}
