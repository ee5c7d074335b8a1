import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Notes kept only in the local journal (design.md §4) reach the call detail, labelled as such.
@Suite struct JournalNotesTests {
    init() { useUTF8Locale() }

    @Test func mergedAndForgotten() {
        var s = Fixtures.ready()
        _ = reduce(&s, .journalNotes(["call-2": "left a voicemail in Mandarin", "call-3": "busy"]))
        _ = reduce(&s, .journalNotes(["call-3": "", "call-4": "asked for email"]))
        #expect(s.calls.journalNotes == ["call-2": "left a voicemail in Mandarin", "call-4": "asked for email"])
    }

    @Test func detailShowsLocalNotesLabelled() {
        var s = Fixtures.ready(size: Size(cols: 120, rows: 40))
        _ = reduce(&s, .journalNotes(["call-2": "Spoke to the assistant; call back Monday.",
                                      "call-1": "Wants the deck by Friday."]))  // same as the server's: not repeated
        press(&s, .char("2"))
        var text = gridText(render(s, size: s.size, options: RenderOptions()))
        #expect(!text.contains("kept locally"), "call-1's local notes equal the server's")
        press(&s, .char("j"))
        text = gridText(render(s, size: s.size, options: RenderOptions()))
        #expect(text.contains("(kept locally – not stored by the server)"))
        #expect(text.contains("Spoke to the assistant; call back Monday."))
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "calls-journal-notes-120x40")
    }

    @Test func serverAndLocalNotesBothShownAgainstAmplemarket() {
        var s = Fixtures.ready(size: Size(cols: 120, rows: 40))
        s.environment.isSandbox = false
        _ = reduce(&s, .journalNotes(["call-1": "Also: budget approved in Q1."]))
        press(&s, .char("2"))
        let lines = gridText(render(s, size: s.size, options: RenderOptions())).split(separator: "\n").map(String.init)
        let notes = lines.firstIndex { $0.contains("│ Notes ") } ?? -1
        let server = lines.firstIndex { $0.contains("Wants the deck by Friday.") } ?? -1
        let label = lines.firstIndex { $0.contains("(kept locally – not stored by Amplemarket)") } ?? -1
        let local = lines.firstIndex { $0.contains("Also: budget approved in Q1.") } ?? -1
        #expect(notes >= 0 && notes < server && server < label && label < local)
    }

    /// Regression: a label as long as "Transcription" keeps a space before its value.
    @Test func detailLabelsAreSeparatedFromValues() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("j"), .enter)
        let text = gridText(render(s, size: s.size, options: RenderOptions()))
        #expect(text.contains("Transcription  (none)"))
        #expect(!text.contains("Transcription("))
    }
}
