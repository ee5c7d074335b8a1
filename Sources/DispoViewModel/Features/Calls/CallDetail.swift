import Foundation
import AmplemarketModels

/// The lines of a call's detail: contact, numbers, start, duration, answered, disposition and its
/// effect, notes (with those kept only locally, labelled so), transcription, recording, ids. Both the
/// view and the scroll limit read these lines, so what scrolls is what is drawn.
struct CallDetail {
    let call: Call
    /// Notes the local journal kept for this call because the server did not store them.
    let localNotes: String?
    let context: FeatureContext
    let glyphs: Glyphs

    typealias Line = (text: String, style: CellStyle)

    /// The lines `width` columns wide; long notes and transcriptions are wrapped only as far as `rows`
    /// rows need (a 10 000-character note costs no more). Returns the lines and whether text was cut short.
    func lines(width: Int, rows height: Int) -> (lines: [Line], cut: Bool) {
        var lines: [Line] = []
        var truncatedText = false
        let labelW = 15
        let c = call
        let g = glyphs
        func add(_ label: String, _ value: String, _ style: CellStyle = .plain) {
            for (i, v) in wrapText(value, width: max(1, width - labelW)).enumerated() {
                // The label column always ends in a space, however long a label gets.
                lines.append(((i == 0 ? fitToWidth(label, labelW - 1) + " " : String(repeating: " ", count: labelW)) + v,
                              style))
            }
        }
        func body(_ text: String) {
            let budget = max(1, height) * (width + 1)
            var shown = text
            var cut = false
            if text.utf8.count > budget { shown = String(text.prefix(budget)); cut = shown.count < text.count }
            for l in wrapText(shown, width: max(1, width - 2)) { lines.append(("  " + l, .plain)) }
            if cut { truncatedText = true }
        }
        func block(_ label: String, _ text: String?) {
            guard let text, !isBlank(text) else { add(label, "(none)", CellStyle(role: .muted)); return }
            lines.append((label, CellStyle(bold: true)))
            body(text)
        }
        let region = context.defaultRegion
        lines.append((CallsView.contactLabel(c, region: region), CellStyle(role: .accent, bold: true)))
        if let e = c.contact?.email, !e.isEmpty { add("Email", e) }
        if c.contact == nil { add("Contact", "(no contact)", CellStyle(role: .muted)) }
        add("To", c.to.map { numberWithPlace($0, region: region, now: context.now, g) } ?? "")
        add("From", c.from.map { numberWithPlace($0, region: region, now: context.now, g) } ?? "")
        add("Start", context.environment.detailDateTime(c.startDate))
        add("Duration", c.duration.map { "\(formatDuration($0)) (\($0) s)" } ?? "unknown")
        let answered: String = switch (c.answered, c.human) {
        case (false?, _): "no answer"
        case (true?, true?): "answered by a person (H)"
        case (true?, false?): "answered by voicemail / a machine (VM)"
        case (true?, nil): "answered"
        default: "unknown"
        }
        add("Answered", answered)
        if let id = c.dispositionID, let d = context.session.dispositions.byID[id] {
            add("Disposition", "\(d.name ?? d.slug ?? id) \(g.dash) \(d.action.words)")
        } else if let name = c.dispositionName {
            add("Disposition", "\(name) \(g.dash) effect unknown (not in the loaded list)")
        } else if let id = c.dispositionID {
            add("Disposition", "\(id) \(g.dash) unknown disposition")
        } else {
            add("Disposition", "(none)", CellStyle(role: .muted))
        }
        if c.direction != nil { add("Direction", c.direction ?? "") }
        // Notes the server did not store, from the local journal, labelled as such.
        if let local = localNotes, !isBlank(local),
           local.trimmingCharacters(in: .whitespacesAndNewlines)
            != (c.notes ?? "").trimmingCharacters(in: .whitespacesAndNewlines) {
            if let server = c.notes, !isBlank(server) { block("Notes", server) } else {
                lines.append(("Notes", CellStyle(bold: true)))
            }
            let who = context.environment.isSandbox ? "the server" : "Amplemarket"
            lines.append(("  (kept locally \(g.dash) not stored by \(who))", CellStyle(role: .warning, underline: true)))
            body(local)
        } else {
            block("Notes", c.notes)
        }
        block("Transcription", c.transcription ?? c.transcript.map { entries in
            entries.map { "\($0.speaker ?? "?"): \($0.text ?? "")" }.joined(separator: "\n") })
        let hasRecording = c.recordingURL?.isEmpty == false
        let labels = context.labels
        if c.external == true && hasRecording {
            add("Recording", c.recordingURL! + " (\(labels.primary(.copyID)) copies)")
        } else if c.external == false && hasRecording {
            add("Recording", "\(labels.primary(.recording)) downloads it to " + context.environment.downloadDirectory)
        } else {
            add("Recording", "no recording", CellStyle(role: .muted))
        }
        add("Call id", c.id, CellStyle(role: .muted))
        if let t = c.taskID { add("Task id", t, CellStyle(role: .muted)) }
        return (lines, truncatedText)
    }

    /// The furthest the detail can scroll at `scroll` in `frame` (lines beyond one pane).
    func maxScroll(from scroll: Int, frame: Frame) -> Int {
        let height = frame.detailRows
        let (lines, cut) = self.lines(width: frame.detail.width, rows: scroll + 2 * height)
        return max(0, lines.count - height + (cut ? 1 : 0))
    }
}

extension DispositionAction {
    /// The disposition's effect on the task, in words.
    var words: String {
        switch self {
        case .complete: "completes task + lead"
        case .nextStage: "keeps task open"
        case .unknown: "unknown effect"
        }
    }

    /// The effect in words on a task that is already completed: a completing disposition completes
    /// nothing more, and nothing reopens it.
    func words(taskIsCompleted: Bool) -> String {
        guard taskIsCompleted else { return words }
        switch self {
        case .complete, .nextStage: return "task stays completed"
        case .unknown: return "unknown effect"
        }
    }
}

/// A number in international format with where it belongs and, when its country has one time zone, the
/// local time there: `+44 20 7946 0958 · London · 16:05 local`. A number that does not parse is shown as
/// stored, with nothing guessed.
func numberWithPlace(_ raw: String, region: String?, now: Date, _ g: Glyphs) -> String {
    var parts = [shownNumber(raw, defaultRegion: region)]
    if let place = numberPlace(raw, defaultRegion: region) { parts.append(place) }
    if let zone = numberTimeZone(raw, defaultRegion: region) { parts.append(localTime(now, zone) + " local") }
    return parts.joined(separator: " \(g.dot) ")
}

/// `now` as `HH:mm` in `zone`.
func localTime(_ now: Date, _ zone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let c = calendar.dateComponents([.hour, .minute], from: now)
    return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
}
