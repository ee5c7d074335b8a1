import Foundation
import AmplemarketModels

/// The Stats tab drawn: the periods (current bracketed), how complete the history is, the numbers, the
/// goal, each disposition's share as a bar and dials per day as a column chart. From 100 columns the
/// shares and the chart stand side by side; narrower they are stacked and the tab scrolls (`j`/`k`)
/// when it does not fit. Bars are block characters, `#` in ASCII; nothing depends on colour.
enum StatsView {
    /// A line of segments, each with its style.
    typealias Line = [(text: String, style: CellStyle)]

    /// Rows of the column chart: 5, more in a tall window (up to 12).
    static func chartRows(_ context: FeatureContext) -> Int { max(5, min(12, context.frame.body.height - 16)) }
    /// Columns before the bars of the shares (names are cut to fit).
    static let shareNameWidth = 16

    static func draw(_ s: StatsState, _ context: FeatureContext, _ canvas: inout Canvas) {
        let body = context.frame.body
        let all = lines(s, context, width: body.width, glyphs: canvas.glyphs, unicode: canvas.unicode)
        let top = max(0, min(s.scroll, all.count - body.height))
        for (i, line) in all.dropFirst(top).prefix(body.height).enumerated() {
            var x = body.col
            for seg in line where x < body.col + body.width {
                x += canvas.text(seg.text, col: x, row: body.row + i, width: body.col + body.width - x, style: seg.style)
            }
        }
        if all.count - top > body.height {
            canvas.field("\(canvas.unicode ? "↓" : "v") \(all.count - top - body.height) more lines \(canvas.glyphs.dot) \(context.labels.primary(.down, .up)) scroll",
                         col: body.col, row: body.row + body.height - 1, width: body.width, style: CellStyle(role: .muted, bold: true))
        }
    }

    /// How many lines the tab has at `width` (for scrolling).
    static func lineCount(_ s: StatsState, _ context: FeatureContext) -> Int {
        lines(s, context, width: context.frame.body.width, glyphs: context.environment.unicode ? .unicode : .ascii,
              unicode: context.environment.unicode).count
    }

    static func lines(_ s: StatsState, _ context: FeatureContext, width: Int, glyphs g: Glyphs, unicode: Bool) -> [Line] {
        var out: [Line] = [periodLine(s, glyphs: g)]
        if let note = completeness(s, context) { out.append([(" " + note, CellStyle(role: .warning, bold: true))]) }
        out.append([])
        guard context.environment.keepsHistory else {
            out.append([(" Stats come from the local history, which is off (history = false in the config).", CellStyle(role: .muted))])
            return out
        }
        guard let stats = s.stats else {
            out.append([(" Reading the history" + String(g.ellipsis), CellStyle(role: .muted))])
            return out
        }
        out += numbers(stats, context, glyphs: g, unicode: unicode, width: width)
        out.append([])
        if stats.dials == 0 {
            out.append([(" No calls \(stats.period == .today ? "today" : "in this period") yet.", CellStyle(role: .muted))])
            return out
        }
        let wide = width >= 78
        let shareWidth = wide ? max(40, width / 2 - 2) : width - 1
        let shares = shareLines(stats, width: shareWidth, unicode: unicode, limit: context.frame.body.height >= 30 ? 12 : 6)
        let chart = chartLines(stats, width: wide ? width - shareWidth - 4 : width - 1, rows: chartRows(context), unicode: unicode)
        if wide {
            for i in 0..<max(shares.count, chart.count) {
                let left = i < shares.count ? shares[i] : []
                let pad = max(0, shareWidth + 2 - left.reduce(0) { $0 + displayWidth($1.text) })
                out.append([(" ", .plain)] + left + [(String(repeating: " ", count: pad), .plain)] + (i < chart.count ? chart[i] : []))
            }
        } else {
            out += shares.map { [(" ", .plain)] + $0 }
            out.append([])
            out += chart.map { [(" ", .plain)] + $0 }
        }
        return out
    }

    /// ` [Today]  This week   30 days   (t w m)`.
    static func periodLine(_ s: StatsState, glyphs g: Glyphs) -> Line {
        var line: Line = [(" ", .plain)]
        for p in StatsPeriod.allCases {
            let current = p == s.period
            line.append((current ? "[\(p.title)]" : " \(p.title) ", current ? CellStyle(role: .accent, bold: true, reverse: true) : CellStyle(role: .muted)))
            line.append(("  ", .plain))
        }
        line.append(("(t w m)", CellStyle(role: .muted)))
        return line
    }

    /// "history still loading: 64 %" while the mirror does not reach back over the period; when the
    /// last sync is old, its age.
    static func completeness(_ s: StatsState, _ context: FeatureContext) -> String? {
        guard let stats = s.stats, let p = context.session.historyProgress ?? s.progress else { return nil }
        let share = p.coverage(since: stats.since, now: context.now)
        if share < 1 { return "history still loading: \(Int((share * 100).rounded(.down))) % of this period" }
        if let at = p.syncedAt, context.now.timeIntervalSince(at) > 3600, !p.isSyncing {
            return "as of \(context.environment.shortDate(at)) \(context.environment.hourMinute(at)) (not synced since)"
                .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }
        return nil
    }

    /// Dials, connects, conversations, voicemails, talk time, average conversation, and the goal.
    static func numbers(_ st: CallStats, _ context: FeatureContext, glyphs g: Glyphs, unicode: Bool, width: Int) -> [Line] {
        let label = CellStyle(role: .muted)
        let value = CellStyle(bold: true)
        func row(_ name: String, _ v: String, _ extra: String = "") -> Line {
            [(" " + name.padding(toLength: 18, withPad: " ", startingAt: 0), label),
             (String(repeating: " ", count: max(0, 8 - v.count)) + v, value), (extra.isEmpty ? "" : "  " + extra, label)]
        }
        let counts: [Line] = [
            row("Dials", groupedCount(st.dials)),
            row("Connects", groupedCount(st.connects), percent(st.connects, of: st.dials) + " answered"),
            row("Conversations", groupedCount(st.conversations), percent(st.conversations, of: st.dials) + " a person"),
            row("Voicemails", groupedCount(st.voicemails), percent(st.voicemails, of: st.dials) + " a machine"),
        ]
        var times: [Line] = [
            row("Talk time", formatTalkTime(st.talkSeconds)),
            row("Avg conversation", st.averageConversationSeconds.map(formatTalkTime) ?? g.dash),
        ]
        if let goal = context.environment.dailyDialGoal {
            let today = st.period == .today ? st.dials : (st.buckets.last?.dials ?? 0)
            let barWidth = max(10, min(24, width - 68))
            let done = today >= goal ? (unicode ? " ✓" : " done") : ""
            times.append([(" " + "Goal today".padding(toLength: 18, withPad: " ", startingAt: 0), label)])
            times.append([(" ", .plain)] + progressBar(today, of: goal, width: barWidth, unicode: unicode)
                         + [(" \(today) / \(goal)\(done)", value)])
        }
        // Side by side when both columns fit, else one under the other.
        let leftWidth = 46
        guard width >= leftWidth + 30 else { return counts + times }
        return (0..<max(counts.count, times.count)).map { i in
            let left = i < counts.count ? counts[i] : []
            let pad = max(0, leftWidth - left.reduce(0) { $0 + displayWidth($1.text) })
            return left + [(String(repeating: " ", count: pad), .plain)] + (i < times.count ? times[i] : [])
        }
    }

    /// `[██████░░░░]`, or `[######....]` in ASCII.
    static func progressBar(_ n: Int, of goal: Int, width: Int, unicode: Bool) -> Line {
        let filled = goal > 0 ? min(width, Int((Double(width) * Double(n) / Double(goal)).rounded(.down))) : 0
        return [("[", .plain), (String(repeating: unicode ? "█" : "#", count: filled), CellStyle(role: .success, bold: true)),
                (String(repeating: unicode ? "░" : ".", count: width - filled), CellStyle(role: .muted)), ("]", .plain)]
    }

    /// `Outcomes` and a line per disposition: name, a bar (the most common fills it), count and percent.
    static func shareLines(_ st: CallStats, width: Int, unicode: Bool, limit: Int) -> [Line] {
        var out: [Line] = [[("Outcomes", CellStyle(bold: true))]]
        let barWidth = max(4, width - shareNameWidth - 14)
        let shown = st.byDisposition.prefix(limit)
        let largest = max(1, shown.first?.count ?? 1)
        for share in shown {
            let name = truncate(share.name, width: shareNameWidth - 1, ellipsis: unicode ? "…" : "~")
            let pad = String(repeating: " ", count: max(0, shareNameWidth - displayWidth(name)))
            let count = String(share.count), pct = percent(share.count, of: st.dials)
            out.append([(name + pad, .plain), (bar(Double(share.count) / Double(largest), width: barWidth, unicode: unicode),
                                               CellStyle(role: .accent)),
                        (" " + String(repeating: " ", count: max(0, 5 - count.count)) + count + " " + String(repeating: " ", count: max(0, 5 - pct.count)) + pct,
                         CellStyle(role: .muted))])
        }
        if st.byDisposition.count > shown.count {
            let rest = st.byDisposition.dropFirst(shown.count).reduce(0) { $0 + $1.count }
            out.append([("\(st.byDisposition.count - shown.count) more: \(rest) calls", CellStyle(role: .muted))])
        }
        return out
    }

    /// A horizontal bar of `share` (0…1) over `width` columns, with eighths in Unicode.
    static func bar(_ share: Double, width: Int, unicode: Bool) -> String {
        let eighths = Int((max(0, min(1, share)) * Double(width * 8)).rounded())
        guard unicode else {
            let n = eighths / 8 + (eighths % 8 >= 4 ? 1 : 0)
            return String(repeating: "#", count: n) + String(repeating: " ", count: width - n)
        }
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        let text = String(repeating: "█", count: eighths / 8) + partial
        return text + String(repeating: " ", count: max(0, width - eighths / 8 - (partial.isEmpty ? 0 : 1)))
    }

    /// `Dials per day` (per hour today): columns of `chartRows` rows (a tall window gets more) scaled to the busiest, eighths in
    /// Unicode and `#` in ASCII, the busiest count on the left, labels below every few columns.
    static func chartLines(_ st: CallStats, width: Int, rows chartRows: Int, unicode: Bool) -> [Line] {
        let title = st.period == .today ? "Dials per hour" : "Dials per day"
        let peak = st.buckets.map(\.dials).max() ?? 0
        let axis = max(3, String(peak).count + 1)
        // One column per bucket, and a gap between them when there is room; the newest kept when not.
        let columns = max(1, width - axis - 1)
        let gap = st.buckets.count * 2 <= columns ? 1 : 0
        let shown = Array(st.buckets.suffix(max(1, columns / (1 + gap))))
        var out: [Line] = [[(title, CellStyle(bold: true)), ("  busiest \(peak)", CellStyle(role: .muted))]]
        let levels = unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : ["#"]
        for r in (0..<chartRows).reversed() {
            var text = ""
            for b in shown {
                let units = peak > 0 ? Double(b.dials) / Double(peak) * Double(chartRows) : 0  // in rows
                let here = units - Double(r)
                if here >= 1 { text += unicode ? "█" : "#" }
                else if here > 0 {
                    let i = Int((here * Double(levels.count)).rounded(.up)) - 1
                    text += unicode ? levels[max(0, min(levels.count - 1, i))] : (here >= 0.5 ? "#" : (b.dials > 0 && r == 0 ? "." : " "))
                } else { text += (r == 0 && b.dials == 0) ? (unicode ? "·" : ".") : " " }
                if gap == 1 { text += " " }
            }
            let label = r == chartRows - 1 ? String(peak) : r == 0 ? "0" : ""
            out.append([(String(repeating: " ", count: max(0, axis - 1 - label.count)) + label + " ", CellStyle(role: .muted)),
                        (text, CellStyle(role: .accent, bold: true))])
        }
        // Labels: the first of each run of columns wide enough for it.
        var labels = ""
        var x = 0
        for (i, b) in shown.enumerated() {
            let col = i * (1 + gap)
            if col >= x { labels += String(repeating: " ", count: col - x) + b.label + " "; x = col + b.label.count + 1 }
        }
        out.append([(String(repeating: " ", count: axis), .plain), (labels, CellStyle(role: .muted))])
        return out
    }
}

/// `text` cut to `width` columns, ending with `ellipsis` when cut (control characters removed first).
func truncate(_ text: String, width: Int, ellipsis: String) -> String {
    let clean = sanitize(text)
    guard displayWidth(clean) > width else { return clean }
    var out = "", used = 0
    let room = max(0, width - displayWidth(ellipsis))
    for ch in clean {
        let w = clusterWidth(ch)
        if used + w > room { break }
        out.append(ch); used += w
    }
    return out + ellipsis
}
