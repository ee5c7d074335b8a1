import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// A hand-counted workspace for the Stats tab, in America/Los_Angeles (not the host's zone, nor the
/// fixtures' New York): now is Wednesday 2025-11-26 15:00 PST, so today starts 08:00Z, the week Monday
/// Nov 24 08:00Z and the 30 days Tuesday Oct 28 00:00 PDT (07:00Z), which holds Sunday Nov 2, the 25-hour
/// day DST ended on.
enum StatsWorkspace {
    static let la = TimeZone(identifier: "America/Los_Angeles")!
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!
    /// Wed 2025-11-26 15:00 PST.
    static let now = date("2025-11-26T23:00:00Z")

    static func t(_ iso: String, _ answered: Bool?, _ human: Bool?, _ seconds: Int?, _ id: String?,
                  _ name: String? = nil) -> CallTally {
        CallTally(startDate: date(iso), answered: answered, human: human, duration: seconds, dispositionID: id,
                  dispositionName: name)
    }

    static let tallies: [CallTally] = [
        // 1–4, 14: today (Wednesday in Los Angeles).
        t("2025-11-26T17:15:00Z", true, true, 300, "d-int"),         //  1 Wed 09:15, a conversation
        t("2025-11-26T18:00:00Z", true, false, 25, "d-vm"),          //  2 Wed 10:00, a voicemail
        t("2025-11-26T22:59:00Z", false, false, 0, nil),             //  3 Wed 14:59, no disposition
        t("2025-11-26T08:30:00Z", true, true, 65, "d-gone"),         //  4 Wed 00:30, an id nobody names
        // 5: Tuesday 23:30 in Los Angeles though Wednesday in UTC.
        t("2025-11-26T07:30:00Z", true, true, 120, "d-ni"),          //  5 Tue 23:30
        // 6: Monday 00:00 exactly: the week's first instant.
        t("2025-11-24T08:00:00Z", false, nil, nil, "d-na"),          //  6 Mon 00:00, no duration
        // 7: one second before the week.
        t("2025-11-24T07:59:59Z", true, false, 30, "d-vm"),          //  7 Sun 23:59:59
        // 8–10: Sunday Nov 2, 25 hours long: 01:30 twice, and 23:30 (Monday in UTC).
        t("2025-11-02T08:30:00Z", true, true, 600, nil, "Legacy outcome"),  //  8 01:30 PDT, named by the call only
        t("2025-11-02T09:30:00Z", false, false, 0, nil),             //  9 01:30 PST
        t("2025-11-03T07:30:00Z", true, true, 45, "d-int"),          // 10 Sun 23:30 PST
        // 11: the 30 days' first day; answered unknown.
        t("2025-10-28T07:10:00Z", nil, nil, 10, "d-busy"),           // 11 Tue Oct 28 00:10 PDT
        // 12: the day before the 30 days; 13: no start date.
        t("2025-10-28T06:50:00Z", true, true, 999, "d-int"),         // 12 Mon Oct 27 23:50 PDT
        CallTally(startDate: nil, answered: true, human: true, duration: 999, dispositionID: "d-int"),  // 13
        // 14: 30 s after now (the server's clock ahead): today's last hour. The workspace's name wins.
        t("2025-11-26T23:00:30Z", true, true, 90, "d-int", "Old name"),    // 14 Wed 15:00:30
        // 15: a name carrying escape sequences, no id.
        t("2025-11-20T20:00:00Z", false, false, 0, nil, "Bad\u{1B}[2J\u{1B}]52;c;eA==\u{07}name"),  // 15 Thu Nov 20
    ]

    static var dispositions: Dispositions {
        var d = Dispositions()
        d.set(Fixtures.dispositions)
        return d
    }

    static func stats(_ period: StatsPeriod, zone: TimeZone = la, now: Date = now, _ tallies: [CallTally] = tallies) -> CallStats {
        CallStats.compute(tallies, period: period, now: now, zone: zone, dispositions: dispositions)
    }

    static func shares(_ s: CallStats) -> [String] { s.byDisposition.map { "\($0.name) \($0.count)" } }
}

@Suite("Stats: counting") struct CallStatsTests {
    typealias W = StatsWorkspace
    init() { useUTF8Locale() }

    @Test func periodStarts() {
        #expect(StatsPeriod.today.start(now: W.now, zone: W.la) == date("2025-11-26T08:00:00Z"))
        #expect(StatsPeriod.week.start(now: W.now, zone: W.la) == date("2025-11-24T08:00:00Z"))
        #expect(StatsPeriod.month.start(now: W.now, zone: W.la) == date("2025-10-28T07:00:00Z"))  // PDT then
        // A Sunday belongs to the week that began the Monday before (ISO weeks).
        #expect(StatsPeriod.week.start(now: date("2025-11-30T20:00:00Z"), zone: W.la) == date("2025-11-24T08:00:00Z"))
        // Monday 00:30 is already the new week.
        #expect(StatsPeriod.week.start(now: date("2025-12-01T08:30:00Z"), zone: W.la) == date("2025-12-01T08:00:00Z"))
        // In Tokyo it is already Thursday 08:00.
        #expect(StatsPeriod.today.start(now: W.now, zone: W.tokyo) == date("2025-11-26T15:00:00Z"))
        #expect(StatsPeriod.week.start(now: W.now, zone: W.tokyo) == date("2025-11-23T15:00:00Z"))
        #expect(StatsPeriod.month.start(now: W.now, zone: W.tokyo) == date("2025-10-28T15:00:00Z"))
    }

    @Test func today() {
        let s = W.stats(.today)
        #expect(s.since == date("2025-11-26T08:00:00Z") && s.until == W.now)
        #expect(s.dials == 5)             // 1 2 3 4 14
        #expect(s.connects == 4)          // 1 2 4 14
        #expect(s.conversations == 3)     // 1 4 14
        #expect(s.voicemails == 1)        // 2
        #expect(s.talkSeconds == 480)     // 300 + 25 + 0 + 65 + 90
        #expect(s.conversationSeconds == 455)
        #expect(s.averageConversationSeconds == 152)  // 455 / 3 = 151.7
        #expect(W.shares(s) == ["Interested 2", "Left voicemail 1", "No disposition 1", "Unknown disposition 1"])
        // Hours 0…15 of Wednesday: 00:30, 09:15, 10:00, 14:59, 15:00:30.
        #expect(s.buckets.map(\.label) == (0...15).map(String.init))
        #expect(s.buckets.map(\.dials) == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1])
        #expect(s.dialsToday == 5)
    }

    @Test func week() {
        let s = W.stats(.week)
        #expect(s.dials == 7)             // today's 5, 5 (Tue 23:30), 6 (Mon 00:00)
        #expect(s.connects == 5)
        #expect(s.conversations == 4)
        #expect(s.voicemails == 1)
        #expect(s.talkSeconds == 600)
        #expect(s.averageConversationSeconds == 144)  // 575 / 4 = 143.75
        #expect(W.shares(s) == ["Interested 2", "Left voicemail 1", "No answer 1", "No disposition 1",
                                "Not interested 1", "Unknown disposition 1"])
        #expect(s.buckets.map(\.label) == ["Mon", "Tue", "Wed"])
        #expect(s.buckets.map(\.dials) == [1, 1, 5])
        #expect(s.dialsToday == 5)
    }

    @Test func thirtyDays() {
        let s = W.stats(.month)
        #expect(s.dials == 13)            // all but 12 (the day before) and 13 (no date)
        #expect(s.connects == 8)          // the week's 5, 7, 8, 10 (11's answer is unknown)
        #expect(s.conversations == 6)
        #expect(s.voicemails == 2)
        #expect(s.talkSeconds == 1285)    // 600 + 30 + 600 + 0 + 45 + 10 + 0
        #expect(s.conversationSeconds == 1220)
        #expect(s.averageConversationSeconds == 203)
        #expect(W.shares(s) == ["Interested 3", "Left voicemail 2", "No disposition 2", "Bad␛[2J␛]52;c;eA==␇name 1",
                                "Busy 1", "Legacy outcome 1", "No answer 1", "Not interested 1", "Unknown disposition 1"])
        #expect(!s.byDisposition.contains { $0.name.unicodeScalars.contains { $0.value < 0x20 } })
        #expect(s.buckets.count == 30)
        #expect(s.buckets.first?.start == date("2025-10-28T07:00:00Z") && s.buckets.first?.label == "28")
        #expect(s.buckets.last?.start == date("2025-11-26T08:00:00Z") && s.buckets.last?.label == "26")
        let byDay = Dictionary(uniqueKeysWithValues: s.buckets.map { ($0.start, $0.dials) })
        #expect(byDay[date("2025-11-02T07:00:00Z")] == 3)  // 01:30 twice and 23:30, in the 25-hour day
        #expect(byDay[date("2025-11-03T08:00:00Z")] == 0)  // the next midnight is PST
        #expect(byDay[date("2025-10-28T07:00:00Z")] == 1)
        #expect(byDay[date("2025-11-20T08:00:00Z")] == 1)
        #expect(byDay[date("2025-11-23T08:00:00Z")] == 1)
        #expect(s.buckets.map(\.dials).reduce(0, +) == 13)
        #expect(s.dialsToday == 5)
    }

    /// The same calls counted in Tokyo, where it is already Thursday 08:00: 23:30 and 00:30 local fall on
    /// different days there too.
    @Test func tokyo() {
        let today = W.stats(.today, zone: W.tokyo)
        #expect(today.dials == 4)  // 1 2 3 14: Thursday 02:15 … 08:00:30 JST
        #expect(today.buckets.count == 9 && today.buckets.map(\.dials) == [0, 0, 1, 1, 0, 0, 0, 1, 1])
        let late = [W.t("2025-11-26T14:30:00Z", true, true, 60, "d-int"),   // Wed 23:30 JST
                    W.t("2025-11-26T15:30:00Z", true, false, 20, "d-vm")]   // Thu 00:30 JST
        let t2 = W.stats(.today, zone: W.tokyo, late)
        #expect(t2.dials == 1 && t2.voicemails == 1 && t2.buckets.first?.dials == 1)
        let w2 = W.stats(.week, zone: W.tokyo, late)
        #expect(w2.buckets.map(\.label) == ["Mon", "Tue", "Wed", "Thu"] && w2.buckets.map(\.dials) == [0, 0, 1, 1])
        #expect(w2.conversations == 1 && w2.voicemails == 1)
    }

    /// Days of 23 and 25 hours: today's hours skip 02:00 in March and hold 01:00 twice in November.
    @Test func dstDays() {
        let spring = date("2025-03-10T03:00:00Z")  // Sun Mar 9 20:00 PDT
        let calls = [W.t("2025-03-09T10:30:00Z", true, true, 60, nil),  // 03:30 PDT
                     W.t("2025-03-09T08:10:00Z", false, false, 0, nil)]  // 00:10 PST
        let s = W.stats(.today, now: spring, calls)
        #expect(s.since == date("2025-03-09T08:00:00Z"))
        #expect(s.buckets.map(\.label) == ["0", "1"] + (3...20).map(String.init))
        #expect(s.buckets[0].dials == 1 && s.buckets[2].dials == 1 && s.dials == 2)
        let w = W.stats(.week, now: spring, calls)
        #expect(w.buckets.count == 7 && w.buckets.last?.label == "Sun" && w.buckets.last?.dials == 2)
        #expect(w.buckets.last?.start == date("2025-03-09T08:00:00Z"))

        let fall = date("2025-11-03T02:00:00Z")  // Sun Nov 2 18:00 PST
        let f = W.stats(.today, now: fall)
        #expect(f.since == date("2025-11-02T07:00:00Z"))
        #expect(f.buckets.map(\.label) == ["0", "1", "1"] + (2...18).map(String.init))
        #expect(f.buckets[1].dials == 1 && f.buckets[2].dials == 1)  // 01:30 PDT, then 01:30 PST
        #expect(f.dials == 3 && f.buckets.last?.dials == 1)  // 23:30 is after now but today: the last hour
        let m = W.stats(.month, now: fall)
        #expect(m.since == date("2025-10-04T07:00:00Z") && m.buckets.count == 30)
    }

    @Test func nothingToCount() {
        let s = W.stats(.week, [])
        #expect(s.dials == 0 && s.connects == 0 && s.averageConversationSeconds == nil && s.byDisposition.isEmpty)
        #expect(s.buckets.map(\.dials) == [0, 0, 0])
        #expect(s.summary.averageConversationSeconds == nil)
    }

    @Test func talkTime() {
        #expect(formatTalkTime(0) == "0s")
        #expect(formatTalkTime(45) == "45s")
        #expect(formatTalkTime(725) == "12m 05s")
        #expect(formatTalkTime(4980) == "1h 23m")
        #expect(formatTalkTime(-5) == "0s")
    }

    /// `dispo stats --json`: the keys, dates at the rep's offset, a null average with no conversation.
    @Test func json() throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let week = try JSONSerialization.jsonObject(with: enc.encode(W.stats(.week).summary)) as! [String: Any]
        #expect(Set(week.keys) == ["period", "since", "until", "dials", "connects", "conversations", "voicemails",
                                   "talk_seconds", "average_conversation_seconds", "by_disposition", "dials_per_day"])
        #expect(week["period"] as? String == "week")
        #expect(week["since"] as? String == "2025-11-24T00:00:00-08:00")
        #expect(week["until"] as? String == "2025-11-26T15:00:00-08:00")
        #expect(week["dials"] as? Int == 7 && week["connects"] as? Int == 5 && week["conversations"] as? Int == 4)
        #expect(week["voicemails"] as? Int == 1 && week["talk_seconds"] as? Int == 600)
        #expect(week["average_conversation_seconds"] as? Int == 144)
        #expect(week["by_disposition"] as? [String: Int] == ["Interested": 2, "Left voicemail": 1, "No answer": 1,
                                                              "No disposition": 1, "Not interested": 1, "Unknown disposition": 1])
        #expect(week["dials_per_day"] as? [String: Int] == ["2025-11-24T00:00:00-08:00": 1, "2025-11-25T00:00:00-08:00": 1,
                                                             "2025-11-26T00:00:00-08:00": 5])
        let empty = String(decoding: try enc.encode(W.stats(.today, []).summary), as: UTF8.self)
        #expect(empty.contains("\"average_conversation_seconds\":null"))
        let month = try JSONSerialization.jsonObject(with: enc.encode(W.stats(.month).summary)) as! [String: Any]
        #expect(month["since"] as? String == "2025-10-28T00:00:00-07:00")
        #expect((month["dials_per_day"] as? [String: Int])?["2025-11-02T00:00:00-07:00"] == 3)
        #expect((month["dials_per_day"] as? [String: Int])?["2025-11-03T00:00:00-08:00"] == 0)
        #expect(isoLocal(W.now, TimeZone(identifier: "UTC")!) == "2025-11-26T23:00:00Z")
        #expect(isoLocal(W.now, TimeZone(identifier: "Asia/Kolkata")!) == "2025-11-27T04:30:00+05:30")
    }

    @Test func textLines() {
        #expect(W.stats(.week).textLines == [
            "period\tThis week\t2025-11-24T00:00:00-08:00\t2025-11-26T15:00:00-08:00",
            "dials\t7",
            "connects\t5\t71 %",
            "conversations\t4\t57 %",
            "voicemails\t1\t14 %",
            "talk time\t10m 00s\t600",
            "average conversation\t2m 24s\t144",
            "disposition\tInterested\t2\t29 %",
            "disposition\tLeft voicemail\t1\t14 %",
            "disposition\tNo answer\t1\t14 %",
            "disposition\tNo disposition\t1\t14 %",
            "disposition\tNot interested\t1\t14 %",
            "disposition\tUnknown disposition\t1\t14 %",
        ])
        #expect(W.stats(.today, []).textLines.contains("average conversation\t-"))
    }

    /// The name closure the CLI passes: the workspace's name by id, else the call's.
    @Test func namesByClosure() {
        let names = ["d-int": "Interested"]
        let s = CallStats.compute(W.tallies, period: .today, now: W.now, zone: W.la) { t in
            t.dispositionID.flatMap { names[$0] } ?? t.dispositionName
        }
        // Two ids it cannot name stay two shares (the tab names them once the list arrives); the text and
        // JSON forms add them up under one name.
        #expect(W.shares(s) == ["Interested 2", "No disposition 1", "Unknown disposition 1", "Unknown disposition 1"])
        #expect(s.textLines.filter { $0.hasPrefix("disposition\t") } == [
            "disposition\tInterested\t2\t40 %", "disposition\tUnknown disposition\t2\t40 %", "disposition\tNo disposition\t1\t20 %"])
        #expect(s.summary.byDisposition == ["Interested": 2, "Unknown disposition": 2, "No disposition": 1])
    }
}
