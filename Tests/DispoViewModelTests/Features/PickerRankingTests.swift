import Testing
import AmplemarketModels
@testable import DispoViewModel

/// The disposition picker lists the best match first, and Enter or a digit takes the row shown.
@Suite("Picker ranking") struct PickerRankingTests {
    /// The workspace's default dispositions, in the sandbox's order (amplemarket-api.md's example names).
    static let defaults: [Disposition] = [
        Disposition(id: "na", name: "No answer", slug: "no_answer", action: .nextStage),
        Disposition(id: "vm", name: "Left voicemail", slug: "no_answer_voicemail", action: .nextStage),
        Disposition(id: "wrong", name: "Wrong number", slug: "wrong_number", action: .complete),
        Disposition(id: "busy", name: "Busy", slug: "busy", action: .nextStage),
        Disposition(id: "ni", name: "Not interested", slug: "not_interested", action: .complete),
        Disposition(id: "int", name: "Interested", slug: "interested", action: .complete),
    ]

    /// A workspace whose names differ: accents, words in another order, no slugs.
    static let custom: [Disposition] = [
        Disposition(id: "c-meh", name: "Uninterested — try in Q3", slug: nil, action: .complete),
        Disposition(id: "c-int", name: "Très intéressé", slug: nil, action: .complete),
        Disposition(id: "c-demo", name: "Interest shown: demo booked", slug: nil, action: .complete),
        Disposition(id: "c-vm", name: "Voicemail (left message)", slug: "vm", action: .nextStage),
        Disposition(id: "c-nvm", name: "No voicemail box", slug: "no_vm", action: .nextStage),
    ]

    static func ids(_ all: [Disposition], _ filter: String) -> [String] {
        PickerState.dispositions(all, matching: filter).map(\.id)
    }

    @Test("against the default dispositions", arguments: [
        ("int", ["int", "ni"]),                 // prefix before word prefix: never "Not interested" first
        ("interested", ["int", "ni"]),          // exact before a word of another name
        ("Interested", ["int", "ni"]),          // case does not matter
        ("INTERESTED ", ["int", "ni"]),         // nor trailing blanks
        ("not", ["ni"]),
        ("vo", ["vm"]),                         // a word of the name ("voicemail")
        ("no", ["na", "ni", "vm"]),             // names before slugs at the same kind
        ("swer", ["na", "vm"]),                 // substring of the name, then of a slug
        ("b", ["busy", "wrong"]),               // prefix, then inside "Wrong number"
        ("zz", []),
        ("", ["na", "vm", "wrong", "busy", "ni", "int"]),
    ])
    func defaultDispositions(filter: String, expected: [String]) {
        #expect(Self.ids(Self.defaults, filter) == expected, "filter \"\(filter)\"")
    }

    @Test("against a workspace whose names differ", arguments: [
        ("int", ["c-demo", "c-int", "c-meh"]),  // "Interest…" prefix, the word "intéressé", then inside "Uninterested"
        ("interesse", ["c-int"]),               // accents folded
        ("inter", ["c-demo", "c-int", "c-meh"]),
        ("vm", ["c-vm", "c-nvm"]),              // an exact slug, then a word of a slug
        ("voicemail", ["c-vm", "c-nvm"]),
    ])
    func customDispositions(filter: String, expected: [String]) {
        #expect(Self.ids(Self.custom, filter) == expected, "filter \"\(filter)\"")
    }

    /// In the form: typing `int` highlights "Interested", Enter takes it; `2` after filtering takes the
    /// second row shown.
    @Test func enterAndDigitsTakeTheRowsAsShown() {
        useUTF8Locale()
        var s = Fixtures.ready()
        press(&s, .enter, .tab, .tab, .tab, .enter)  // the disposition picker
        type(&s, "int")
        guard case .dispositionPicker(let p)? = s.modal else { Issue.record("no picker"); return }
        #expect(p.cursor == 0)
        #expect(PickerState.dispositions(s.session.dispositions.list, matching: p.filter).first?.id == "d-int")
        press(&s, .enter)
        #expect(s.logForm.form?.base.dispositionID == "d-int", "Enter takes the highlighted row: Interested")

        for _ in 0..<10 where s.logForm.form?.focus != .disposition { press(&s, .tab) }
        press(&s, .enter)
        type(&s, "interested")
        press(&s, .char("2"))
        #expect(s.logForm.form?.base.dispositionID == "d-ni", "2 takes the second row shown: Not interested")
    }
}
