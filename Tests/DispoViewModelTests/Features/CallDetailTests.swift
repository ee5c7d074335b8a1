import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The call detail: opened over the list when narrow, beside it when wide; scrolling and its limit; the
/// recording line; notes kept only in the local journal, labelled as such.
@Suite("Call detail") struct CallDetailTests: SnapshotSuite {
    init() { useUTF8Locale() }

    @Test func narrowDetailOpensAndEscBacksOut() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .enter)
        #expect(s.calls.detail.isOpen)
        press(&s, .escape)
        #expect(!s.calls.detail.isOpen)
    }

    @Test func stackedDetailScrollsWithJKAndPages() {
        let long = (1...80).map { "Line \($0) of the notes." }.joined(separator: "\n")
        var calls = Fixtures.calls
        calls[0].notes = long
        var s = Fixtures.ready(calls: calls)
        press(&s, .char("2"), .enter)
        #expect(s.calls.detail.isOpen)
        var text = screen(s)
        #expect(text.contains("↓") && text.contains("j/k PgDn/PgUp scroll"))
        #expect(!text.contains("Line 30 of the notes."))
        press(&s, .char("j"))
        #expect(s.calls.detail.scroll == 1 && s.selectedCall?.id == "call-1", "j scrolls, the call stays")
        press(&s, .pageDown, .char(" "))
        text = screen(s)
        #expect(text.contains("Line 40 of the notes."))
        press(&s, .pageUp, .pageUp, .char("k"), .char("k"))
        #expect(s.calls.detail.scroll == 0)
        for _ in 0..<200 { press(&s, .char("j")) }
        text = screen(s)
        #expect(text.contains("Line 80 of the notes.") && text.contains("Call id"))
        #expect(!text.contains("more lines"))
        press(&s, .escape)
        #expect(!s.calls.detail.isOpen)
    }

    @Test func sideBySideDetailScrollsWithShiftJK() {
        let long = (1...80).map { "Line \($0) of the notes." }.joined(separator: "\n")
        var calls = Fixtures.calls
        calls[0].notes = long
        let size = Size(cols: 120, rows: 30)
        var s = Fixtures.ready(size: size, calls: calls)
        press(&s, .char("2"))
        #expect(screen(s, size).contains("J/K scroll"))
        press(&s, .char("J"), .char("J"), .char("J"))
        #expect(s.calls.detail.scroll == 3 && s.calls.list.cursor == 0)
        press(&s, .char("K"))
        #expect(s.calls.detail.scroll == 2)
        press(&s, .char("j"))  // another call: its detail starts at the top
        #expect(s.calls.list.cursor == 1 && s.calls.detail.scroll == 0)
        press(&s, .char("?"))
        #expect(screen(s, Size(cols: 120, rows: 40)).contains("scroll the detail beside the list"))
    }

    @Test func recordingLineAndSavedMessage() {
        var calls = Fixtures.calls
        calls[3].recordingURL = "https://api.example/rec/4"  // call-4: Amplemarket's own, with a recording
        var s = Fixtures.ready(size: Size(cols: 120, rows: 30), calls: calls)
        press(&s, .char("2"), .char("j"), .char("j"), .char("j"))
        #expect(screen(s, Size(cols: 120, rows: 30)).contains("r downloads it to /home/rita/calls"))
        #expect(press(&s, .char("r")) == [.io(.downloadRecording(callID: "call-4", path: "/home/rita/calls/call-call-4.mp3"))])
        _ = reduce(&s, .recordingSaved(callID: "call-4", path: "/home/rita/calls/call-call-4.mp3", bytes: 2048))
        #expect(s.session.status?.text == "Saved recording to /home/rita/calls/call-call-4.mp3 (2.0 KB)")
        press(&s, .char("j"))  // call-5: external with a URL
        #expect(screen(s, Size(cols: 120, rows: 30)).contains("https://rec.example.com/r/5.mp3 (Y"))
        press(&s, .char("k"), .char("k"))  // call-3: external without a URL
        let text = screen(s, Size(cols: 120, rows: 30))
        #expect(text.contains("no recording") && !text.contains("downloads it"))
        s = Fixtures.ready(size: Size(cols: 120, rows: 30))
        press(&s, .char("2"), .char("j"), .char("j"), .char("j"))  // call-4 without a recording URL
        #expect(press(&s, .char("r")).isEmpty)
        #expect(s.session.status?.text == "This call has no recording.")
    }

    @Test func callWithoutContactDetail() {
        var s = Fixtures.ready(size: Self.large)
        press(&s, .char("2"), .char("G"))
        assertSnapshot(render(s, size: Self.large, options: options), "Calls/calls-no-contact-120x40")
    }

    /// A label as long as "Transcription" keeps a space before its value.
    @Test func detailLabelsAreSeparatedFromValues() {
        var s = Fixtures.ready()
        press(&s, .char("2"), .char("j"), .enter)
        let text = gridText(render(s, size: s.size, options: RenderOptions()))
        #expect(text.contains("Transcription  (none)"))
        #expect(!text.contains("Transcription("))
    }

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
        assertSnapshot(render(s, size: s.size, options: RenderOptions()), "Calls/calls-journal-notes-120x40")
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

    /// A long transcription on call-1, as many lines, or as one paragraph longer than the detail wraps at once.
    @Test(arguments: [false, true])
    func theScrollLimitIsWhatIsDrawn(oneParagraph: Bool) {
        var calls = Fixtures.calls
        calls[0].transcription = oneParagraph ? String(repeating: "Rep: we spoke about the renewal. ", count: 600)
            : (1...150).map { "Rep: line \($0) of the call." }.joined(separator: "\n")
        var s = Fixtures.ready(calls: calls)
        press(&s, .char("2"), .enter)
        #expect(s.calls.detail.isOpen && !s.frame.isSideBySide)
        var limit = -1
        for _ in 0..<500 where s.calls.detail.scroll != limit {
            limit = s.calls.detail.scroll
            press(&s, .pageDown)
        }
        press(&s, .char("j"), .char(" "), .ctrl("d"))
        #expect(s.calls.detail.scroll == limit && limit > 100, "at the limit: \(limit)")
        var lines = screen(s).split(separator: "\n").map(String.init)
        let bodyEnd = s.frame.body.row + s.frame.body.height - 1
        #expect(lines[bodyEnd].hasPrefix("Task id        t-1"), "the last line drawn: \(lines[bodyEnd])")
        #expect(!lines.contains { $0.contains("more lines") || $0.contains("↓ more") })
        #expect(lines[bodyEnd - 1].hasPrefix("Call id        call-1"))
        press(&s, .char("k"))
        #expect(s.calls.detail.scroll == limit - 1)
        lines = screen(s).split(separator: "\n").map(String.init)
        #expect(lines[bodyEnd].hasPrefix("↓ 2 more lines · j/k PgDn/PgUp scroll"), "\(lines[bodyEnd])")
        #expect(lines[bodyEnd - 1].hasPrefix("Recording"), "\(lines[bodyEnd - 1])")
    }

    /// With `down = ["J"]`, J moves the list; the detail beside it offers only K for scrolling, in its
    /// "more lines" line and in the help overlay.
    @Test func theBesideDetailScrollKeysFollowARebinding() throws {
        var calls = Fixtures.calls
        calls[0].notes = (1...80).map { "Line \($0) of the notes." }.joined(separator: "\n")
        let size = Size(cols: 120, rows: 30)
        var s = Fixtures.ready(size: size, calls: calls)
        s.environment.keymap = try Keymap(overrides: ["down": ["J"]])
        press(&s, .char("2"))
        let more = screen(s, size).split(separator: "\n").first { $0.contains("more lines") }.map(String.init) ?? ""
        #expect(more.contains("· K scroll"), "\(more)")
        press(&s, .char("J"))
        #expect(s.calls.list.cursor == 1 && s.calls.detail.scroll == 0, "J is the rebound down key")
        press(&s, .char("K"))
        #expect(s.calls.detail.scroll == 0, "K scrolls up, already at the top")
        press(&s, .char("?"))
        let help = screen(s, Size(cols: 120, rows: 40))
        #expect(!help.contains("J / K ") && help.contains("K "), "\(help)")
    }

    /// The wheel over the detail scrolls the detail (open over the list, or under the pointer beside it),
    /// not the list hidden under it or beside it.
    @Test func theWheelOverTheDetailScrollsIt() {
        var calls = Fixtures.calls
        calls[0].notes = (1...80).map { "Line \($0) of the notes." }.joined(separator: "\n")
        var s = Fixtures.ready(calls: calls)
        press(&s, .char("2"), .enter)
        press(&s, .mouse(MouseEvent(kind: .wheelDown, col: 10, row: 10)))
        #expect(s.calls.detail.scroll == 3 && s.calls.list.cursor == 0)
        press(&s, .mouse(MouseEvent(kind: .wheelUp, col: 10, row: 10)))
        #expect(s.calls.detail.scroll == 0)
        var wide = Fixtures.ready(size: Size(cols: 160, rows: 48), calls: calls)
        press(&wide, .char("2"))
        let detailCol = wide.frame.detail.col + 5
        press(&wide, .mouse(MouseEvent(kind: .wheelDown, col: detailCol, row: 10)))
        #expect(wide.calls.detail.scroll == 3 && wide.calls.list.cursor == 0)
        press(&wide, .mouse(MouseEvent(kind: .wheelDown, col: 5, row: 10)))
        #expect(wide.calls.list.cursor == 3, "over the list the wheel moves the cursor")
    }
}
