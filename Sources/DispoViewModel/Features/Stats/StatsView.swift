import Foundation
import AmplemarketModels

/// The Stats tab drawn, top to bottom: the periods (the one shown bracketed and reversed) with its days,
/// how complete and how old the history is, the numbers (two columns from 76 columns), the daily goal,
/// then each disposition's share as a bar beside dials per day (per hour today) as columns; below 76
/// columns the shares and the chart are stacked and the tab scrolls (`j`/`k`) when it does not fit.
/// Bars are block characters, `#` and `|` in ASCII; nothing depends on colour. Drawing reads the numbers
/// counted when the tallies arrived: its work does not grow with the calls.
enum StatsView {
    /// A line of segments, each with its style.
    typealias Line = [(text: String, style: CellStyle)]

    /// Columns from which the numbers stand in two columns and the shares beside the chart.
    static let twoColumns = 76
    /// Rows of the column chart: at least this many, more as the window allows (up to `maxChartRows`).
    static let minChartRows = 5, maxChartRows = 20

    static let label = CellStyle(role: .muted)
    static let value = CellStyle(bold: true)
    static let heading = CellStyle(bold: true, underline: true)

    /// The periods and what is said of the history stay on top; the rest scrolls under them.
    static func draw(_ s: StatsState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let body = context.frame.body
        let (pinned, rest) = lines(s, context)
        let height = max(0, body.height - pinned.count)
        let top = max(0, min(s.scroll, rest.count - height))
        let more = rest.count - top > height
        let shown = pinned + rest.dropFirst(top).prefix(more ? height - 1 : height)
        for (i, line) in shown.prefix(body.height).enumerated() {
            var x = body.col
            for seg in line where x < body.col + body.width {
                x += canvas.text(seg.text, col: x, row: body.row + i, width: body.col + body.width - x, style: seg.style)
            }
        }
        if more && height > 0 {
            let g = canvas.glyphs
            canvas.field(" \(canvas.unicode ? "↓" : "v") \(rest.count - top - height + 1) more lines \(g.dot) "
                         + "\(context.labels.primary(.down, .up)) scroll",
                         col: body.col, row: body.row + body.height - 1, width: body.width, style: CellStyle(role: .muted, bold: true))
        }
    }

    /// The most the tab scrolls at the current size.
    static func maxScroll(_ s: StatsState, _ context: FeatureContext) -> Int {
        let (pinned, rest) = lines(s, context)
        let h = context.frame.body.height - pinned.count
        return rest.count > h ? rest.count - h + 1 : 0  // the last row says how many lines are left while any are
    }

    /// Every line of the tab at the frame's size: those kept on top (the periods, what is said of the
    /// history) and those that scroll.
    static func lines(_ s: StatsState, _ context: FeatureContext) -> (pinned: [Line], rest: [Line]) {
        var pinned: [Line] = [periodLine(s, context, glyphs: context.unicode ? .unicode : .ascii)]
        if context.environment.keepsHistory {
            for note in notes(s, context) { pinned.append([(" " + note.text, note.style)]) }
        }
        return (pinned, body(s, context, pinnedRows: pinned.count))
    }

    static func body(_ s: StatsState, _ context: FeatureContext, pinnedRows: Int) -> [Line] {
        let width = context.frame.body.width
        let unicode = context.unicode
        let g: Glyphs = unicode ? .unicode : .ascii
        var out: [Line] = [[]]
        guard context.environment.keepsHistory else {
            out.append([(" Stats are counted from the local history of your calls, which is off (history = false", label)])
            out.append([(" in config.toml).", label)])
            return out
        }
        guard let stats = s.stats else {
            let who = context.session.user == nil ? " Waiting to know who you are" : " Reading your call history"
            out.append([(who + String(g.ellipsis), label)])
            return out
        }
        if stats.dials == 0 {
            out.append([(" " + emptyText(stats.period), value)])
            let others = StatsPeriod.allCases.compactMap { p -> String? in
                guard p != stats.period, let n = s.counted[p]?.dials, n > 0 else { return nil }
                return "\(p.title): \(groupedCount(n)) \(n == 1 ? "dial" : "dials") (\(p.key))"
            }
            if !others.isEmpty { out.append([(" " + others.joined(separator: "  "), label)]) }
            else { out.append([(" Calls you log and calls synced from the server are counted as they arrive.", label)]) }
            if let goal = goalLine(stats, context, width: width, unicode: unicode) { out.append([]); out.append(goal) }
            return out
        }
        out += numbers(stats, context, width: width, unicode: unicode, dash: g.dash)
        out.append([])
        if width >= twoColumns {
            // Shares on the left, the chart on the right, as tall as the window leaves (a row of margin);
            // the periods compared below them when the window is tall enough for both.
            let free = context.frame.body.height - pinnedRows - out.count - 1
            let table = compareLines(s, dash: g.dash)
            let withTable = free - table.count - 3 >= minChartRows + 2 && width >= compareWidth + 1
            let chartRows = max(minChartRows, min(maxChartRows, free - 3 - (withTable ? table.count : 0)))
            let shareWidth = max(40, min(60, (width - 2) * 2 / 5))
            let chart = chartLines(stats, width: width - shareWidth - 4, rows: chartRows, unicode: unicode)
            let shares = shareLines(stats, context, width: shareWidth, unicode: unicode, limit: max(6, chart.count - 1))
            for i in 0..<max(shares.count, chart.count) {
                let left = i < shares.count ? shares[i] : []
                let pad = max(0, shareWidth + 3 - left.reduce(0) { $0 + displayWidth($1.text) })
                out.append([(" ", .plain)] + left + [(String(repeating: " ", count: pad), .plain)] + (i < chart.count ? chart[i] : []))
            }
            if withTable { out += table }
        } else {
            out += shareLines(stats, context, width: width - 2, unicode: unicode, limit: 8).map { [(" ", .plain)] + $0 }
            out.append([])
            out += chartLines(stats, width: width - 2, rows: minChartRows, unicode: unicode).map { [(" ", .plain)] + $0 }
        }
        return out
    }

    /// Columns of the periods compared.
    static let compareWidth = 17 + 4 * 14

    /// The three periods side by side (the shown one bold), and an average day of the 30 (over the days
    /// with calls): dials, connects, conversations, voicemails, talk time, average conversation.
    static func compareLines(_ s: StatsState, dash: String) -> [Line] {
        let periods = StatsPeriod.allCases.compactMap { p in s.counted[p].map { (p, $0) } }
        guard periods.count == StatsPeriod.allCases.count, let month = s.counted[.month] else { return [] }
        let activeDays = max(1, month.buckets.filter { $0.dials > 0 }.count)
        func cell(_ text: String, _ style: CellStyle) -> (text: String, style: CellStyle) {
            (String(repeating: " ", count: max(0, 14 - displayWidth(text))) + text, style)
        }
        func perDay(_ n: Int) -> String {
            let v = Double(n) / Double(activeDays)
            return v >= 100 ? String(Int(v.rounded())) : String(format: "%.1f", v)
        }
        var out: [Line] = [[], [(" " + "Compared".padding(toLength: 17, withPad: " ", startingAt: 0), heading)]
            + periods.map { p, _ in cell(p.title, p == s.period ? CellStyle(bold: true, underline: true) : heading) }
            + [cell("Avg call day", heading)]]
        func row(_ name: String, _ text: (CallStats) -> String, _ day: String) -> Line {
            [(" " + name.padding(toLength: 17, withPad: " ", startingAt: 0), label)]
                + periods.map { p, st in cell(text(st), p == s.period ? value : .plain) } + [cell(day, label)]
        }
        func counted(_ n: Int, of st: CallStats) -> String { "\(groupedCount(n))  " + percent(n, of: st.dials) }
        out.append(row("Dials", { groupedCount($0.dials) }, perDay(month.dials)))
        out.append(row("Connects", { counted($0.connects, of: $0) }, perDay(month.connects)))
        out.append(row("Conversations", { counted($0.conversations, of: $0) }, perDay(month.conversations)))
        out.append(row("Voicemails", { counted($0.voicemails, of: $0) }, perDay(month.voicemails)))
        out.append(row("Talk time", { formatTalkTime($0.talkSeconds) }, formatTalkTime(month.talkSeconds / activeDays)))
        out.append(row("Avg conversation", { $0.averageConversationSeconds.map(formatTalkTime) ?? dash }, ""))
        out.append([(" Avg call day: the 30 days' numbers over the \(activeDays) \(activeDays == 1 ? "day" : "days") with calls.", label)])
        return out
    }

    /// ` [Today]  This week   30 days    Wed Nov 26`: the periods, then the days the shown one covers.
    static func periodLine(_ s: StatsState, _ context: FeatureContext, glyphs g: Glyphs) -> Line {
        var line: Line = [(" ", .plain)]
        for p in StatsPeriod.allCases {
            let current = p == s.period
            line.append((current ? "[\(p.title)]" : " \(p.title) ", current ? CellStyle(role: .accent, bold: true, reverse: true) : label))
            line.append((" ", .plain))
        }
        if let stats = s.stats { line.append(("   " + days(stats, context, dash: g.dash), value)) }
        return line
    }

    /// `Wed Nov 26`, `Mon Nov 24 – Wed Nov 26`, `Oct 28 – Nov 26`.
    static func days(_ st: CallStats, _ context: FeatureContext, dash: String) -> String {
        let zone = context.zone
        func day(_ d: Date, weekday: Bool) -> String {
            let c = CivilTime(d, zone: zone)
            return (weekday ? c.weekdayName + " " : "") + c.monthName + " " + String(c.day)
        }
        switch st.period {
        case .today: return day(st.until, weekday: true)
        case .week: return day(st.since, weekday: true) + " \(dash) " + day(st.until, weekday: true)
        case .month: return day(st.since, weekday: false) + " \(dash) " + day(st.until, weekday: false)
        }
    }

    /// What is said of the history under the periods: "history still loading: 64 %" while the mirror does
    /// not reach back over the period; when no sync runs and the last one is old, its age.
    static func notes(_ s: StatsState, _ context: FeatureContext) -> [(text: String, style: CellStyle)] {
        guard let p = context.session.historyProgress ?? s.progress else { return [] }
        let now = context.now
        var out: [(text: String, style: CellStyle)] = []
        let since = s.stats?.since ?? s.period.start(now: now, zone: context.zone)
        let share = p.coverage(since: since, now: now)
        if share < 1 {
            var text = "history still loading: \(Int((share * 100).rounded(.down))) % of this period"
            if let oldest = p.oldestStart {
                text += " (back to \(context.environment.shortDate(oldest).split(separator: " ").joined(separator: " ")))"
            }
            out.append((text + "; numbers will grow", CellStyle(role: .warning, bold: true)))
        }
        if !p.isSyncing, let at = p.syncedAt, now.timeIntervalSince(at) >= staleAfter {
            out.append(("as of \(age(now.timeIntervalSince(at))) ago (last sync \(context.environment.shortDate(at).split(separator: " ").joined(separator: " ")) "
                        + "\(context.environment.hourMinute(at))); calls since then are not counted", CellStyle(role: .warning)))
        }
        return out
    }

    /// Seconds after the last sync from which its age is said.
    static let staleAfter: TimeInterval = 15 * 60

    /// `25 min`, `3 h`, `2 days`.
    static func age(_ seconds: TimeInterval) -> String {
        let m = Int(seconds / 60)
        if m < 120 { return "\(m) min" }
        if m < 48 * 60 { return "\(m / 60) h" }
        return "\(m / 1440) days"
    }

    static func emptyText(_ period: StatsPeriod) -> String {
        switch period {
        case .today: "No calls today yet."
        case .week: "No calls this week yet."
        case .month: "No calls in the last 30 days."
        }
    }

    /// Dials, connects, conversations, voicemails; talk time, average conversation and the goal beside
    /// them (below them when narrow).
    static func numbers(_ st: CallStats, _ context: FeatureContext, width: Int, unicode: Bool, dash: String) -> [Line] {
        func row(_ name: String, _ v: String, _ extra: String = "", labelWidth: Int = 15) -> Line {
            [(" " + name.padding(toLength: labelWidth, withPad: " ", startingAt: 0), label),
             (String(repeating: " ", count: max(0, 7 - v.count)) + v, value), (extra.isEmpty ? "" : "  " + extra, label)]
        }
        func share(_ n: Int, _ what: String) -> String {
            let p = percent(n, of: st.dials)
            return String(repeating: " ", count: max(0, 5 - p.count)) + p + " " + what
        }
        let counts: [Line] = [
            row("Dials", groupedCount(st.dials)),
            row("Connects", groupedCount(st.connects), share(st.connects, "answered")),
            row("Conversations", groupedCount(st.conversations), share(st.conversations, "a person")),
            row("Voicemails", groupedCount(st.voicemails), share(st.voicemails, "a machine")),
        ]
        var times: [Line] = [
            row("Talk time", formatTalkTime(st.talkSeconds), labelWidth: 17),
            row("Avg conversation", st.averageConversationSeconds.map(formatTalkTime) ?? dash, labelWidth: 17),
        ]
        let leftWidth = 42
        if let goal = goalLine(st, context, width: width >= twoColumns ? width - leftWidth : width, unicode: unicode) {
            times.append(goal)
        }
        guard width >= twoColumns else { return counts + times }
        return (0..<max(counts.count, times.count)).map { i in
            let left = i < counts.count ? counts[i] : []
            let pad = max(0, leftWidth - left.reduce(0) { $0 + displayWidth($1.text) })
            return left + [(String(repeating: " ", count: pad), .plain)] + (i < times.count ? times[i] : [])
        }
    }

    /// ` Goal today  [██████░░░░]  42 / 60` (`[######....]` in ASCII), `done` once reached; nil with no goal.
    static func goalLine(_ st: CallStats, _ context: FeatureContext, width: Int, unicode: Bool) -> Line? {
        guard let goal = context.environment.dailyDialGoal, goal > 0 else { return nil }
        let n = st.dialsToday
        let count = " \(groupedCount(n)) / \(groupedCount(goal))" + (n >= goal ? " done" : "")
        let barWidth = max(8, min(30, width - 18 - 2 - count.count - 1))
        let filled = min(barWidth, Int((Double(barWidth) * Double(n) / Double(goal)).rounded(.down)))
        return [(" " + "Goal today".padding(toLength: 17, withPad: " ", startingAt: 0), label), ("[", .plain),
                (String(repeating: unicode ? "█" : "#", count: filled), CellStyle(role: .success, bold: true)),
                (String(repeating: unicode ? "░" : ".", count: barWidth - filled), label), ("]", .plain),
                (count, value)]
    }

    /// `Outcomes` and a line per disposition, most common first: name, a bar of its share of the dials,
    /// count and percent; the rest summed on one line past `limit`.
    static func shareLines(_ st: CallStats, _ context: FeatureContext, width: Int, unicode: Bool, limit: Int) -> [Line] {
        var out: [Line] = [[("Outcomes", heading)]]
        let names = st.byDisposition.map { share in
            sanitize(context.session.dispositions.name(id: share.dispositionID, fallback: share.name) ?? share.name)
        }
        let shown = st.byDisposition.count > limit ? limit - 1 : st.byDisposition.count
        let nameWidth = max(8, min(22, width * 2 / 5, names.prefix(shown).map(displayWidth).max() ?? 8))
        let countWidth = max(3, String(st.dials).count)
        let barWidth = max(4, width - nameWidth - 1 - 1 - countWidth - 6)
        for (share, name) in zip(st.byDisposition.prefix(shown), names) {
            let count = String(share.count), pct = percent(share.count, of: st.dials)
            out.append([(fitToWidth(name, nameWidth, ellipsis: unicode ? "…" : "~") + " ", .plain),
                        (bar(Double(share.count) / Double(max(1, st.dials)), width: barWidth, unicode: unicode), CellStyle(role: .accent)),
                        (" " + String(repeating: " ", count: max(0, countWidth - count.count)) + count, value),
                        (String(repeating: " ", count: max(0, 6 - pct.count)) + pct, label)])
        }
        if st.byDisposition.count > shown {
            let rest = st.byDisposition.dropFirst(shown)
            let n = rest.reduce(0) { $0 + $1.count }
            out.append([("\(rest.count) more outcomes: \(groupedCount(n)) calls (\(percent(n, of: st.dials)))", label)])
        }
        return out
    }

    /// A horizontal bar of `share` (0…1) over `width` columns, with eighths in Unicode, `#` in ASCII;
    /// always `width` columns (blank after the bar). Anything above zero shows at least a sliver.
    static func bar(_ share: Double, width: Int, unicode: Bool) -> String {
        let s = max(0, min(1, share))
        guard unicode else {
            let n = s > 0 ? max(1, Int((s * Double(width)).rounded())) : 0
            return String(repeating: "#", count: n) + String(repeating: " ", count: width - n)
        }
        let eighths = s > 0 ? max(1, Int((s * Double(width * 8)).rounded())) : 0
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        let text = String(repeating: "█", count: eighths / 8) + partial
        return text + String(repeating: " ", count: max(0, width - eighths / 8 - (partial.isEmpty ? 0 : 1)))
    }

    /// The buckets the chart shows: today's hours from 8:00 (or the first hour with a call, if earlier).
    static func chartBuckets(_ st: CallStats) -> [CallStats.Bucket] {
        guard st.period == .today else { return st.buckets }
        let first = st.buckets.firstIndex { $0.dials > 0 || Int($0.label) ?? 0 >= 8 } ?? 0
        return Array(st.buckets[first...])
    }

    /// `Dials per day` (per hour today): a column per bucket over `rows` rows scaled to the busiest, eighths
    /// in Unicode, `#` in ASCII, on an axis (`│ └─`, `| +-` in ASCII) marked with the busiest count; labels
    /// below where they fit. Columns widen (with gaps) as the width allows; the newest kept when short.
    static func chartLines(_ st: CallStats, width: Int, rows: Int, unicode: Bool) -> [Line] {
        let all = chartBuckets(st)
        let title = st.period == .today ? "Dials per hour" : "Dials per day"
        let peak = all.map(\.dials).max() ?? 0
        let axis = max(2, String(peak).count) + 2  // "12 │"
        let room = max(1, width - axis)
        let step = max(1, min(6, room / max(1, all.count)))  // columns per bucket
        let barWidth = step == 1 ? 1 : step - 1
        let shown = Array(all.suffix(max(1, room / step)))
        let vertical = unicode ? "│" : "|", corner = unicode ? "└" : "+", horizontal = unicode ? "─" : "-"
        let levels = unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : []
        let barStyle = CellStyle(role: .accent, bold: true)
        var out: [Line] = [[(title, heading), ("  peak \(peak)", label)]]
        for r in (0..<rows).reversed() {
            var text = ""
            for b in shown {
                let height = peak > 0 ? Double(b.dials) / Double(peak) * Double(rows) : 0  // in rows
                let here = height - Double(r)
                var cell = " "
                if here >= 1 { cell = unicode ? "█" : "#" }
                else if here > 0 {
                    if unicode { cell = levels[max(0, min(7, Int((here * 8).rounded(.up)) - 1))] }
                    else if here >= 0.5 || r == 0 { cell = "#" }  // a call always shows in ASCII
                }
                text += String(repeating: cell, count: barWidth) + String(repeating: " ", count: step - barWidth)
            }
            let mark = r == rows - 1 ? String(peak) : ""
            out.append([(String(repeating: " ", count: axis - 2 - mark.count) + mark + " " + vertical, label),
                        (text, barStyle)])
        }
        out.append([(String(repeating: " ", count: axis - 3) + "0 " + corner + String(repeating: horizontal, count: shown.count * step), label)])
        // Labels: every `every`-th bucket (counted back from the newest) so that they never touch.
        let widest = shown.map(\.label.count).max() ?? 1
        let every = max(1, (widest + 1 + step - 1) / step)
        var labels = "", x = 0
        for (i, b) in shown.enumerated() where (shown.count - 1 - i) % every == 0 {
            let col = i * step
            if col >= x { labels += String(repeating: " ", count: col - x) + b.label + " "; x = col + b.label.count + 1 }
        }
        out.append([(String(repeating: " ", count: axis), .plain), (labels, label)])
        return out
    }
}
