import Foundation
import Testing
import AmplemarketModels
@testable import DispoViewModel

/// Numbers through libphonenumber in the view model: formatted as typed, sent in E.164, refused when
/// they cannot exist, confirmed when only possible, shown in one format with their place, and found by
/// E.164 in `/` whatever their spelling.
@Suite("Numbers in the form and lists") struct NumbersInTheFormTests {
    private func sent(_ effects: [Effect]) -> LogCallRequest? {
        for e in effects { if case .io(.submitLog(_, let r, _)) = e { return r } }
        return nil
    }

    /// Bruno's form (no number known): focus on To; the rep's From is +1 650…, so the region is US.
    private func brunoForm(_ environment: AppEnvironment = Fixtures.env) -> AppState {
        useUTF8Locale()
        var s = Fixtures.ready()
        s.environment = environment
        press(&s, .enter)
        return s
    }

    @Test func aNationalNumberIsFormattedAsTypedAndSentInE164() {
        var s = brunoForm()
        type(&s, "4155550142")
        #expect(s.logForm.form?.fields[.to]?.text == "(415) 555-0142", "as-you-type in the rep's region (US, from +1 650…)")
        press(&s, .tab, .tab)
        type(&s, "95")
        personAnswered(&s)
        let r = try! #require(sent(press(&s, .ctrl("s"))))
        #expect(r.to == "+14155550142" && r.from == "+16505550100")
    }

    /// No `default_region` and no From number of the rep's yet: the first form asks once which country
    /// national numbers are in; the answer is remembered (an effect) and used at once.
    @Test func withNoRegionKnownTheFormAsksOnce() {
        useUTF8Locale()
        var s = Fixtures.ready(calls: [])
        #expect(s.session.numbers.lastFrom == nil)
        press(&s, .enter)
        #expect(s.modal == .regionPicker(PickerState()) && s.logForm.form != nil)
        #expect(screen(s).contains("Which country are your numbers in?"))
        type(&s, "portu")
        #expect(RegionChoices.matching("portu").first?.code == "PT" && RegionChoices.matching("+351").first?.code == "PT")
        #expect(RegionChoices.matching("gb").first?.code == "GB", "an ISO code first")
        #expect(press(&s, .enter) == [.io(.rememberRegion("PT"))])
        #expect(s.modal == nil && s.environment.rememberedRegion == "PT")
        type(&s, "912345678")
        #expect(checkNumber(s.logForm.form?.fields[.to]?.text ?? "", defaultRegion: "PT").number?.e164 == "+351912345678")
        // Asked once per run: Esc on the first question, and the next form does not ask again.
        var t = Fixtures.ready(calls: [])
        press(&t, .enter, .escape)
        #expect(t.modal == nil && t.session.status?.text.contains("with +") == true)
        press(&t, .escape, .char("j"), .enter)
        #expect(t.modal == nil && t.logForm.form != nil)
        // Config default_region or the rep's From number: never asked.
        #expect(brunoForm().modal == nil)
    }

    /// The newest call to Bruno stored his number in a US colleague's national spelling; the rep reads
    /// numbers in Portugal. The form is filled with an international spelling of it from an older call,
    /// not with a number that reads as a bad Portuguese one.
    @Test func aNationalSpellingFromAnotherCountryIsNotPrefilled() {
        useUTF8Locale()
        func call(_ id: String, _ to: String, _ minutesAgo: Double) -> Call {
            Call(id: id, from: "+351 21 340 0100", to: to, duration: 10, answered: false, human: false, taskID: "t-0",
                 userID: "u-1", contact: Fixtures.bruno, startDate: fixtureNow.addingTimeInterval(-60 * minutesAgo))
        }
        var s = Fixtures.ready(calls: [call("n1", "(415) 555-0199", 5), call("n2", "+1 415 555 0199", 60)])
        #expect(s.session.numbers.lastTo["c-bruno"] == "(415) 555-0199")
        press(&s, .enter)
        #expect(s.logForm.form?.fields[.to]?.text == "+1 415-555-0199", "\(s.logForm.form?.fields[.to]?.text ?? "")")
        #expect(s.logForm.form?.errors[.to] == nil)
    }

    /// A draft restored at start (before any calls arrived) is not covered by the region question; its own
    /// From number says the region, and national numbers in it are read there.
    @Test func aRestoredDraftIsNotInterruptedByTheRegionQuestion() {
        useUTF8Locale()
        var s = AppState(environment: Fixtures.env)
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        _ = reduce(&s, .usersLoaded([Fixtures.rita]))
        _ = reduce(&s, .draftRestored(LogDraft(localID: "d", taskID: "t-1", userID: "u-1", to: "912 345 678",
                                               from: "+351 21 340 0100", duration: "10", answered: false, human: false)))
        #expect(s.modal == nil && s.logForm.keptDraft != nil)
        press(&s, .char("d"))
        #expect(s.modal == nil && s.logForm.form != nil)
        let r = sent(press(&s, .ctrl("s")))
        #expect(r?.to == "+351912345678", "read in the From number's region (PT)")
    }

    @Test func defaultRegionReadsNationalNumbersInIt() {
        var env = Fixtures.env
        env.defaultRegion = "GB"
        var s = brunoForm(env)
        type(&s, "020 7946 0958")
        press(&s, .tab, .tab)
        type(&s, "95")
        let text = gridText(render(s, size: Size(cols: 100, rows: 30), options: RenderOptions()))
        #expect(text.contains("\u{2192} +44 20 7946 0958 · London · "), "the number as it will be sent, its place and local time:\n\(text)")
        var ascii = s
        ascii.environment.unicode = false
        let plain = gridText(render(ascii, size: Size(cols: 100, rows: 30), options: RenderOptions(unicode: false, colors: false)))
        #expect(plain.contains("-> +44 20 7946 0958 | London | "), "ASCII terminals get ASCII marks:\n\(plain)")
        personAnswered(&s)
        #expect(sent(press(&s, .ctrl("s")))?.to == "+442079460958")
    }

    @Test func anExtensionTravelsAsExt() {
        var s = brunoForm()
        press(&s, .paste("415-555-0142 ext. 12"))
        press(&s, .tab, .tab)
        type(&s, "95")
        personAnswered(&s)
        #expect(sent(press(&s, .ctrl("s")))?.to == "+14155550142;ext=12")
    }

    @Test(arguments: [("12345678901234567890", "too long: 20 digits, at most 15 (E.164)"),
                      ("123", "too short: 3 digits, at least 10 for +1"),
                      ("call me", "not a phone number"), ("+999 123", "country code")])
    func numbersThatCannotExistAreRefusedSayingWhy(_ typed: String, _ why: String) {
        var s = brunoForm()
        press(&s, .paste(typed))
        press(&s, .tab, .tab)
        type(&s, "95")
        personAnswered(&s)
        #expect(sent(press(&s, .ctrl("s"))) == nil)
        let error = s.logForm.form?.errors[.to] ?? ""
        #expect(error.contains(why), "\(typed): \(error)")
        #expect(s.logForm.form?.fields[.to]?.text == typed, "what was typed is kept")
    }

    @Test func aPossibleButUnknownNumberIsSentOnlyOnceConfirmed() {
        var s = brunoForm()
        press(&s, .paste("+44 7700 900123"))  // a range kept out of use
        press(&s, .tab, .tab)
        type(&s, "95")
        personAnswered(&s)
        let text = gridText(render(s, size: Size(cols: 120, rows: 30), options: RenderOptions()))
        #expect(text.contains("! +44 7700 900123 is not a number libphonenumber knows is in use"))
        #expect(sent(press(&s, .ctrl("s"))) == nil)
        guard case .confirm(.sendContradicting(let concerns))? = s.modal else { Issue.record("not asked"); return }
        #expect(concerns.count == 1 && concerns[0].hasPrefix("+44 7700 900123 is not a number"))
        #expect(sent(press(&s, .char("y")))?.to == "+447700900123")
    }

    @Test func theCallDetailShowsNumbersInternationallyWithTheirPlace() {
        useUTF8Locale()
        var s = Fixtures.ready(size: Size(cols: 120, rows: 40))
        press(&s, .char("2"))
        let text = gridText(render(s, size: Size(cols: 120, rows: 40), options: RenderOptions()))
        #expect(text.contains("+351 912 345 678 · Portugal"))
        #expect(text.contains("+1 650-555-0100 · California"))
    }

    @Test func slashFindsACallByAnySpellingOfItsNumber() {
        let spelled = [
            Call(id: "k-1", from: "+1 650 555 0100", to: "(415) 555-0142", duration: 10, answered: true, human: true,
                 taskID: "t-1", userID: "u-1", startDate: fixtureNow),
            Call(id: "k-2", from: "+1 650 555 0100", to: "+1 415 555 0142", duration: 10, answered: true, human: true,
                 taskID: "t-1", userID: "u-1", startDate: fixtureNow.addingTimeInterval(-60)),
            Call(id: "k-3", from: "+1 650 555 0100", to: "011 1 415 555 0142", duration: 10, answered: true, human: true,
                 taskID: "t-1", userID: "u-1", startDate: fixtureNow.addingTimeInterval(-120)),
            Call(id: "k-4", from: "+1 650 555 0100", to: "+1 415 555 0199", duration: 10, answered: true, human: true,
                 taskID: "t-1", userID: "u-1", startDate: fixtureNow.addingTimeInterval(-180)),
        ]
        useUTF8Locale()
        var s = Fixtures.ready(calls: spelled)
        press(&s, .char("2"), .char("/"))
        type(&s, "415.555.0142")
        #expect(s.calls.list.matches?.map { s.calls.list.items[$0].id } == ["k-1", "k-2", "k-3"])
        let listed = gridText(render(s, size: Size(cols: 80, rows: 24), options: RenderOptions()))
        #expect(listed.components(separatedBy: "+1 415-555-0142").count - 1 >= 3, "one format in the list:\n\(listed)")
    }
}
