import Foundation

/// SplitMix64: a small, fast, deterministic PRNG (the sandbox's own; same seed, same sequence).
struct SandboxRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence at `seed`.
    init(seed: UInt64) { state = seed }

    /// Next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// True with probability `p` (0…1).
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// A uniformly chosen element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

/// UUID version 7 (RFC 9562): 48-bit Unix milliseconds, version 7, 74 random bits, in lowercase
/// 8-4-4-4-12 form. Time-ordered like Amplemarket's ids.
func makeUUIDv7(at date: Date, using rng: inout some RandomNumberGenerator) -> String {
    let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
    let randA = rng.next() & 0x0FFF
    let randB = rng.next() & 0x3FFF_FFFF_FFFF_FFFF
    let high = (millis << 16) | 0x7000 | randA
    let low = 0x8000_0000_0000_0000 | randB
    let hex = String(format: "%016llx%016llx", high, low)
    let chars = Array(hex)
    return String(chars[0..<8]) + "-" + String(chars[8..<12]) + "-" + String(chars[12..<16]) + "-"
        + String(chars[16..<20]) + "-" + String(chars[20..<32])
}

/// Everything the seeded workspace starts with.
struct SeededData {
    var users: [SandboxUser]
    var dispositions: [SandboxDisposition]
    var tasks: [SandboxTask]
    /// Newest first.
    var calls: [SandboxCall]
    var accountID: String
}

/// Builds the deterministic seeded workspace for `seed` and `now` (dates in the past 90 days and a few
/// days ahead of `now`, whole seconds). Takes a few milliseconds for ~2 400 calls.
///
/// Ids depend on the seed only, never on `now`: every seeded id is a UUID v7 whose time part is
/// `idEpoch(seed:)` plus the record's offset from `now` as drawn from the seed, so the same seed gives the
/// same ids on every launch (a draft, an outbox entry or a script from a previous run still finds its
/// task, user and disposition).
enum Seeder {
    static let primaryUserEmail = "ines.carvalho@northwind-sandbox.example"
    static let accountName = "Northwind Traders (sandbox)"

    private struct PhoneTemplate {
        var pattern: String
        var utcOffset: Int
    }

    /// Spellings reps really type: spaces, dashes, dots, parentheses, `00` prefixes, no separators.
    private static let phoneTemplates: [PhoneTemplate] = [
        .init(pattern: "+1 415 555 0###", utcOffset: -8),
        .init(pattern: "(415) 555-0###", utcOffset: -8),
        .init(pattern: "+1-212-555-0###", utcOffset: -5),
        .init(pattern: "415.555.0###", utcOffset: -8),
        .init(pattern: "+44 20 7946 0###", utcOffset: 0),
        .init(pattern: "+4420794600##", utcOffset: 0),
        .init(pattern: "+3519########", utcOffset: 0),
        .init(pattern: "+351 21 ### ####", utcOffset: 0),
        .init(pattern: "00 49 30 9018##", utcOffset: 1),
        .init(pattern: "+49 (0)30 901820##", utcOffset: 1),
        .init(pattern: "+33 1 ## ## ## ##", utcOffset: 1),
        .init(pattern: "+34 6## ## ## ##", utcOffset: 1),
        .init(pattern: "+81 3-####-####", utcOffset: 9),
        .init(pattern: "+86 10 #### ####", utcOffset: 8),
        .init(pattern: "+972 3-###-####", utcOffset: 2),
        .init(pattern: "+971 4 ### ####", utcOffset: 4),
        .init(pattern: "+55 11 9####-####", utcOffset: -3),
        .init(pattern: "+61 2 #### ####", utcOffset: 10),
    ]

    /// Named contacts that every seed contains (exact numbers from the brief come first).
    private static let fixedContacts: [(name: String?, email: String?, company: String, phone: String, utc: Int)] = [
        ("José Ramírez", "jose.ramirez@acme-iberia.example", "Acme Iberia", "+1 415 555 0142", -8),
        ("Amelia Hartley", "amelia@brightside.example", "Brightside Ltd", "+44 20 7946 0958", 0),
        ("Dana Whitfield", "dana.whitfield@globex.example", "Globex", "(415) 555-0199", -8),
        ("Inês Sá", "ines.sa@lusotec.example", "Lusotec", "+351912345678", 0),
        ("Jürgen Weiß", "j.weiss@muellerbau.example", "Müller Bau GmbH", "00 49 30 901820", 1),
        ("王秀英", "wang.xiuying@huaxin.example", "华信科技", "+86 10 6552 9988", 8),
        ("佐藤花子", "hanako.sato@sakura-soft.example", "さくらソフト株式会社", "+81 3-1234-5678", 9),
        ("🚀 Rocket Ramos", "rocket@launchpad.example", "Launchpad 🚀", "+1-212-555-0187", -5),
        ("محمد الأحمد", "m.alahmad@gulfline.example", "Gulfline Logistics", "+971 4 555 0199", 4),
        ("דוד לוי", "david.levi@negev-ai.example", "Negev AI", "+972 3-555-0123", 2),
        (nil, "procurement@initech.example", "Initech", "+1 415 555 0110", -8),
        ("Nguyễn Thị Thu", nil, "Saigon Digital", "+84 28 3822 1234", 7),
        ("Ольга Смирнова", "olga.smirnova@volga.example", "Volga Systems", "+7 495 123-45-67", 3),
        ("김민준", "minjun.kim@hanriver.example", "Han River Labs", "+82 2-312-3456", 9),
        ("Zoë Ångström-Lefèvre de la Croix-Montgolfier", "zoe@montgolfier.example",
         "Montgolfier Aéronautique Internationale S.A.", "+33 1 42 68 53 00", 1),
        ("François Dupont", "f.dupont@paris-conseil.example", "Paris Conseil", "+33 6 12 34 56 78", 1),
    ]

    private static let firstNames = ["Ana", "Bruno", "Chloé", "Diego", "Elif", "Farah", "Gonçalo", "Hana", "Ivan", "Jamal",
                                     "Kenji", "Léa", "Mateus", "Nadia", "Olivier", "Priya", "Quentin", "Rosa", "Søren",
                                     "Tomás", "Ugo", "Valentina", "Wei", "Ximena", "Yusuf", "Zofia", "Björk", "Łucja",
                                     "Ngozi", "Aoife", "Raphaël", "Çağla"]
    private static let lastNames = ["Almeida", "Bennett", "Castro", "Dubois", "Eriksen", "Fischer", "García", "Hoffmann",
                                    "Ishikawa", "Jovanović", "Kowalski", "López", "Moreau", "Novák", "O'Connor", "Petrov",
                                    "Quintero", "Rossi", "Schäfer", "Tanaka", "Üzüm", "Villanueva", "Wójcik", "Yilmaz",
                                    "Zhang", "Okonkwo", "Ní Bhriain", "Raghunathan"]
    private static let companies = ["Contoso", "Fabrikam", "Umbrella Health", "Stark Logistics", "Wayne Analytics",
                                    "Tyrell Robotics", "Hooli", "Pied Piper", "Vandelay Industries", "Soylent Foods",
                                    "Cyberdyne", "Massive Dynamic", "Oscorp", "Gringotts FinTech", "Nakatomi Trading",
                                    "Aperture Labs", "Dunder Mifflin", "Bluth Company", "Wonka Confections", "Zorg Industries"]

    private static let sequences: [(key: String, name: String)] = [
        ("q4-outbound-midmarket", "Q4 Outbound — Mid-market"),
        ("webinar-follow-up", "Webinar follow-up 🎤"),
        ("re-engage-closed-lost", "Re-engage closed-lost"),
        ("dach-expansion", "EU expansion — DACH (Deutschland, Österreich, Schweiz)"),
        ("inbound-demo", "Inbound demo requests"),
    ]

    private static let sentences = [
        "Thanks for taking the call, I know it's a busy week.",
        "We spoke briefly at the webinar about pipeline coverage.",
        "Right now the team logs calls in a spreadsheet and reconciles them every Friday.",
        "They are evaluating two other vendors and want a decision before the quarter closes.",
        "The main concern is the integration with their existing CRM and how long onboarding takes.",
        "I walked through the sequence builder and the dialer, and she asked about pricing per seat.",
        "He mentioned the procurement process usually takes six to eight weeks.",
        "Budget was approved last month, so timing is good.",
        "Their SDR team is twelve people, split between Lisbon and Berlin.",
        "We agreed to send a short case study and a two-page security overview.",
        "She wants to loop in the VP of Sales for a follow-up next Tuesday at 10:00.",
        "Not a fit for this year; they just signed a three-year contract with a competitor.",
        "Asked to be called back after the holidays, ideally in the morning, their time.",
        "Connection was poor, so we cut it short and will continue by email.",
        "Great energy on the call — they're already using sequences and want the phone step.",
    ]

    private static let noteSnippets = [
        "Follow up Thursday with pricing.", "Gatekeeper — ask for Maria next time.",
        "Prefers WhatsApp; number is mobile.", "Wrong person, referred me to ops lead.",
        "Left VM referencing webinar.", "Asked to remove from list — check before next step.",
        "Very interested, send calendar link ✅", "Spoke in Portuguese, all good.",
        "Call dropped twice; try landline.", "Decision maker is 佐藤さん, back next week.",
    ]

    /// The fixed instant seeded ids are stamped relative to: 2025-01-01T00:00:00Z plus `seed` modulo one
    /// year, in whole seconds. Depends on the seed only.
    static func idEpoch(seed: UInt64) -> Date {
        Date(timeIntervalSince1970: 1_735_689_600 + Double(seed % (365 * 86_400)))
    }

    /// Builds the workspace. Ids depend on `seed` only; dates (and so the content's placement in time) on
    /// `seed` and `now`.
    static func seed(seed: UInt64, now rawNow: Date) -> SeededData {
        var rng = SandboxRandom(seed: seed)
        let now = Date(timeIntervalSince1970: rawNow.timeIntervalSince1970.rounded(.down))
        let day: TimeInterval = 86_400
        let workspaceStart = now.addingTimeInterval(-120 * day)
        let epoch = idEpoch(seed: seed)
        /// The id time of a record dated `date`: the same offset from the seed's epoch as `date` has from
        /// `now`. Only for dates that are `now` plus a seed-drawn whole number of seconds.
        func idTime(_ date: Date) -> Date { epoch.addingTimeInterval(date.timeIntervalSince(now)) }

        // Users.
        let userSpecs: [(String, String, String, String, String)] = [
            ("Inês Carvalho", primaryUserEmail, "active", "sales_rep", "+351 21 340 0100"),
            ("Björn Åkesson", "bjorn.akesson@northwind-sandbox.example", "active", "sales_rep", "+44 20 7946 0100"),
            ("Zoë Fernández-Ruiz", "zoe.fernandez@northwind-sandbox.example", "active", "admin", "+1 415 555 0100"),
            ("Łukasz Wiśniewski", "lukasz.wisniewski@northwind-sandbox.example", "deactivated", "sales_rep", "+48 22 555 0100"),
        ]
        var users: [SandboxUser] = []
        for (index, spec) in userSpecs.enumerated() {
            let created = workspaceStart.addingTimeInterval(Double(index) * 3_600)
            let id = makeUUIDv7(at: idTime(created), using: &rng)
            let mailbox = SandboxMailbox(id: makeUUIDv7(at: idTime(created), using: &rng), email: spec.1)
            users.append(SandboxUser(id: id, name: spec.0, email: spec.1, status: spec.2, role: spec.3,
                                     mailboxes: [mailbox], phone: spec.4))
        }
        // The admin also has a second mailbox.
        users[2].mailboxes.append(SandboxMailbox(id: makeUUIDv7(at: idTime(workspaceStart), using: &rng),
                                                 email: "zoe@northwind-sandbox.example"))

        let accountID = makeUUIDv7(at: idTime(workspaceStart.addingTimeInterval(-day)), using: &rng)

        // Dispositions: the six defaults, in this order.
        let dispositionSpecs = [("No answer", "no_answer", "next_stage"),
                                ("Left voicemail", "no_answer_voicemail", "next_stage"),
                                ("Wrong number", "wrong_number", "complete"),
                                ("Busy", "busy", "next_stage"),
                                ("Not interested", "not_interested", "complete"),
                                ("Interested", "interested", "complete")]
        let dispositions = dispositionSpecs.enumerated().map { index, spec in
            SandboxDisposition(id: makeUUIDv7(at: idTime(workspaceStart.addingTimeInterval(Double(index))), using: &rng),
                               name: spec.0, slug: spec.1, action: spec.2)
        }

        // Contacts.
        var contacts: [SandboxContact] = []
        for spec in fixedContacts {
            contacts.append(SandboxContact(id: makeUUIDv7(at: idTime(workspaceStart), using: &rng), name: spec.name,
                                           email: spec.email, company: spec.company, phone: spec.phone,
                                           utcOffsetHours: spec.utc))
        }
        while contacts.count < 150 {
            let first = rng.pick(firstNames)
            let last = rng.pick(lastNames)
            let company = rng.pick(companies)
            let template = rng.pick(phoneTemplates)
            let emailLocal = (first + "." + last).lowercased().folding(options: [.diacriticInsensitive], locale: nil)
                .filter { $0.isLetter || $0 == "." }
            let domain = company.lowercased().filter { $0.isLetter } + ".example"
            contacts.append(SandboxContact(id: makeUUIDv7(at: idTime(workspaceStart), using: &rng), name: first + " " + last,
                                           email: rng.chance(0.9) ? emailLocal + "@" + domain : nil,
                                           company: company, phone: fill(template.pattern, using: &rng),
                                           utcOffsetHours: template.utcOffset))
        }

        // Tasks.
        var tasks: [SandboxTask] = []
        let taskCounts = [56, 44, 42, 40]
        for (userIndex, user) in users.enumerated() {
            // Each user works a slice of the contacts; the fixed (special) contacts go to the primary user first.
            let pool: [SandboxContact]
            if userIndex == 0 {
                pool = Array(contacts[0..<16]) + Array(contacts[16..<50])
            } else {
                let start = 16 + userIndex * 30
                pool = Array(contacts[start..<min(start + 40, contacts.count)]) + Array(contacts[0..<16])
            }
            for n in 0..<taskCounts[userIndex] {
                let sequence = rng.chance(0.85) ? rng.pick(sequences) : nil
                var type = rng.chance(0.7) ? "phone_call" : "email"
                var automatic = type == "email" ? rng.chance(0.7) : rng.chance(0.15)
                var status: String
                let roll = rng.int(0...99)
                status = roll < 55 ? "scheduled" : (roll < 85 ? "completed" : "skipped")
                if userIndex == 0 && n < 26 {  // the primary user has many open manual phone tasks
                    type = "phone_call"; automatic = false; status = "scheduled"
                }
                if user.status == "deactivated" && status == "scheduled" && rng.chance(0.7) { status = "skipped" }
                // Seconds from `now` to the due date as drawn (before rounding to the minute, which depends
                // on `now`): the task id's time is derived from this, so it depends on the seed only.
                let dueOffset: TimeInterval
                let dueOn: Date
                var finishedOn: Date? = nil
                if status == "scheduled" {
                    dueOffset = Double(rng.int(-3 * 86_400...5 * 86_400))
                    // The primary user's first tasks cover what a calling hour meets: overdue by hours and by
                    // days, due within the hour and later today, later this week (ids stay as drawn).
                    let fixedOffsets: [TimeInterval] = [-2 * 3600, -5 * 3600, -26 * 3600, 40 * 60, 2 * 3600, 3 * 86_400 + 1800]
                    let offset = userIndex == 0 && n < fixedOffsets.count ? fixedOffsets[n] : dueOffset
                    dueOn = now.addingTimeInterval(offset).roundedToMinute()
                } else {
                    dueOffset = -Double(rng.int(1 * 86_400...60 * 86_400))
                    dueOn = now.addingTimeInterval(dueOffset).roundedToMinute()
                    finishedOn = dueOn.addingTimeInterval(Double(rng.int(600...172_800)))
                    if finishedOn! > now { finishedOn = now.addingTimeInterval(-60) }
                }
                // Contact: always present for open manual phone tasks of the primary user; otherwise ~6% null.
                let mustHaveContact = userIndex == 0 && status == "scheduled" && type == "phone_call" && !automatic
                var contact: SandboxContact? = n < pool.count ? pool[n] : rng.pick(pool)
                // Several tasks for one contact (two sequences reach the same person).
                if userIndex == 0 && (n == 24 || n == 25) { contact = pool[n - 24] }
                if !mustHaveContact && rng.chance(0.06) { contact = nil }
                let notes: String? = rng.chance(0.3) ? rng.pick(noteSnippets) : nil
                let createdOffset = min(dueOffset - Double(rng.int(86_400...10 * 86_400)), 0)
                tasks.append(SandboxTask(
                    id: makeUUIDv7(at: epoch.addingTimeInterval(createdOffset), using: &rng), automatic: automatic, type: type,
                    status: status, dueOn: dueOn, finishedOn: finishedOn, notes: notes,
                    sequenceKey: sequence?.key, sequenceName: sequence?.name, userID: user.id,
                    userEmail: user.email, contact: contact, messageOpens: rng.chance(0.5) ? rng.int(1...9) : 0,
                    leadCompleted: status == "completed" && rng.chance(0.3)))
            }
        }

        // Calls.
        var calls: [SandboxCall] = []
        let callCounts = [900, 650, 450, 350]
        let start90 = now.addingTimeInterval(-90 * day)
        for (userIndex, user) in users.enumerated() {
            let userTasks = tasks.filter { $0.userID == user.id }
            let phoneTasks = userTasks.filter { $0.type == "phone_call" }
            // Every open manual phone task with a contact gets at least one earlier call to that contact.
            let mustCall = phoneTasks.filter { $0.status == "scheduled" && !$0.automatic && $0.contact != nil }
            for i in 0..<callCounts[userIndex] {
                let task = i < mustCall.count ? mustCall[i] : rng.pick(rng.chance(0.85) ? phoneTasks : userTasks)
                let start = start90.addingTimeInterval(Double(rng.int(0...Int(89.9 * day))))
                calls.append(makeCall(user: user, task: task, start: start, idTime: idTime(start), dispositions: dispositions,
                                      deactivated: user.status == "deactivated", rng: &rng))
            }
        }
        // A few calls to contacts that are null on the call itself, and a couple of "huge" recordings.
        for i in stride(from: 7, to: calls.count, by: 97) { calls[i].contact = nil }
        var hugeMarked = 0
        for i in calls.indices where calls[i].hasDownloadableRecording && i % 5 == 3 {
            calls[i].recordingTooLarge = true
            hugeMarked += 1
            if hugeMarked == 2 { break }
        }
        // One note carrying terminal escape sequences: strings from the server are data, never terminal output.
        if let i = calls.indices.first(where: { calls[$0].notes != nil && $0 > 20 }) {
            calls[i].notes = "Said \u{1B}[1mURGENT\u{1B}[0m twice\u{07}; tab\there; bell above."
        }
        calls.sort(by: callOrder)
        return SeededData(users: users, dispositions: dispositions, tasks: tasks, calls: calls, accountID: accountID)
    }

    /// Newest first; ties broken by id, descending.
    static func callOrder(_ a: SandboxCall, _ b: SandboxCall) -> Bool {
        a.startDate != b.startDate ? a.startDate > b.startDate : a.id > b.id
    }

    /// One seeded call starting at `start`, its id stamped at `idTime` (seed-only, see `idEpoch`).
    private static func makeCall(user: SandboxUser, task: SandboxTask, start: Date, idTime: Date,
                                 dispositions: [SandboxDisposition], deactivated: Bool,
                                 rng: inout SandboxRandom) -> SandboxCall {
        let id = makeUUIDv7(at: idTime, using: &rng)
        let answered = rng.chance(0.6)
        let human = answered && rng.chance(0.7)
        let duration: Int = !answered ? 0 : (human ? rng.int(20...1_500) : rng.int(12...75))
        let bySlug = Dictionary(uniqueKeysWithValues: dispositions.map { ($0.slug, $0) })
        var disposition: SandboxDisposition?
        if !answered {
            disposition = rng.chance(0.8) ? bySlug["no_answer"] : (rng.chance(0.5) ? bySlug["busy"] : nil)
        } else if !human {
            disposition = rng.chance(0.85) ? bySlug["no_answer_voicemail"] : nil
        } else {
            let roll = rng.int(0...99)
            disposition = roll < 35 ? bySlug["interested"] : roll < 65 ? bySlug["not_interested"]
                : roll < 75 ? bySlug["wrong_number"] : nil
        }
        var transcription: String? = nil
        if human && rng.chance(0.55) {
            let paragraphs = rng.chance(0.3) ? rng.int(3...6) : 1
            transcription = (0..<paragraphs).map { _ in
                (0..<rng.int(2...5)).map { _ in rng.pick(sentences) }.joined(separator: " ")
            }.joined(separator: "\n\n")
        } else if answered && !human && rng.chance(0.4) {
            transcription = "Hi, you've reached \(task.contact?.name ?? "this number"). Please leave a message after the tone."
        }
        let external = rng.chance(0.4)
        var recordingURL: String? = nil
        if answered && !external && rng.chance(0.7) {
            recordingURL = "https://app.amplemarket.example/calls/\(id)/recording"
        } else if external && answered && rng.chance(0.35) {
            recordingURL = "https://recordings.example-dialer.com/r/\(id.prefix(8)).mp3"
        }
        // The number: the contact's, sometimes respelled; calls with no contact go to a random number.
        var to = task.contact?.phone ?? fill("+1 646 555 0###", using: &rng)
        // One in three calls spells the contact's number another way, as real workspaces do.
        if rng.chance(0.33), case let others = Spellings.of(to), !others.isEmpty { to = rng.pick(others) }
        return SandboxCall(id: id, from: user.phone, to: to, duration: duration, answered: answered, human: human,
                           transcription: transcription, notes: rng.chance(0.3) ? rng.pick(noteSnippets) : nil,
                           recordingURL: recordingURL, dispositionID: disposition?.id, taskID: task.id,
                           userID: user.id, external: external, contact: task.contact, startDate: start,
                           recordingTooLarge: false)
    }

    /// Replaces every `#` in `pattern` with a random digit.
    private static func fill(_ pattern: String, using rng: inout SandboxRandom) -> String {
        String(pattern.map { $0 == "#" ? Character(String(rng.int(0...9))) : $0 })
    }
}

extension Date {
    /// This date truncated to the whole minute.
    func roundedToMinute() -> Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 / 60).rounded(.down) * 60)
    }
}

// MARK: - Large workspaces

extension Seeder {
    /// Words the notes of a large workspace are made of: next steps, objections, competitors, places,
    /// figures, names with accents, so a search over years of calls has rare words to find.
    private static let noteParts: [[String]] = [
        ["Spoke with", "Left a message for", "Reached", "Quick chat with", "Long call with", "Voicemail to"],
        ["the VP of Sales", "their RevOps lead", "Zoë in procurement", "Herr Müller", "the CFO", "an SDR manager",
         "the founder", "Ana from São Paulo", "Søren (Øresund office)", "田中さん", "the IT security team"],
        ["about pricing per seat", "about the Salesforce integration", "about onboarding timelines", "about GDPR and SOC 2",
         "about replacing Outreach", "about a pilot for 12 reps", "about the Gong comparison", "about the renewal in Q3",
         "about the Lisbon team", "about budget (€40k approved)", "about a Reykjavík expansion", "about churn last quarter",
         "about the Kraków office", "about legal redlines", "about call recording consent"],
        ["— send the case study.", "— follow up Tuesday.", "— wants a demo next week.", "— not before January.",
         "— loop in legal.", "— asked for references.", "— decision by end of month.", "— said no for now.",
         "— call back after the holidays.", "— send the security overview."],
    ]

    /// Gives the primary rep `total` calls in all: older calls are added before the seeded 90 days,
    /// about 110 dials a working day (weekdays, 08:00–18:00 UTC), going back as far as `total` needs;
    /// with fewer than seeded, the oldest are dropped. Deterministic for `seed`. Every
    /// `needleEvery`-th added call carries a unique quote reference (`QX` and five digits) in its notes:
    /// `needles` names them, for checks that one call deep in the history is found.
    static func growPrimary(_ data: inout SeededData, total: Int, seed: UInt64, now rawNow: Date) -> [(word: String, callID: String)] {
        let user = data.users[0]
        let mine = data.calls.indices.filter { data.calls[$0].userID == user.id }
        if total <= mine.count {
            let drop = Set(mine.suffix(mine.count - total))  // newest first: the suffix is the oldest
            data.calls = data.calls.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
            return []
        }
        var rng = SandboxRandom(seed: seed ^ 0x4C41_5247_4557_53)  // "LARGEWS"
        let now = Date(timeIntervalSince1970: rawNow.timeIntervalSince1970.rounded(.down))
        let day: TimeInterval = 86_400
        let epoch = idEpoch(seed: seed)
        let tasks = data.tasks.filter { $0.userID == user.id && $0.type == "phone_call" }
        let anyTasks = data.tasks.filter { $0.userID == user.id }
        let need = total - mine.count
        let needleEvery = max(1, need / 25)
        var needles: [(word: String, callID: String)] = []
        var added: [SandboxCall] = []
        added.reserveCapacity(need)
        var dayStart = Calendar(identifier: .gregorian).startOfDay(for: now.addingTimeInterval(-91 * day))
        var k = 0
        while k < need {
            let weekday = Calendar(identifier: .gregorian).component(.weekday, from: dayStart)
            if weekday != 1 && weekday != 7 {
                let dials = min(need - k, rng.int(80...140))
                for _ in 0..<dials {
                    let start = dayStart.addingTimeInterval(Double(8 * 3_600 + rng.int(0...(10 * 3_600 - 1))))
                    let task = tasks.isEmpty ? rng.pick(anyTasks) : rng.pick(tasks)
                    // Ids are stamped before the seed's epoch, one second apart: unique and seed-stable.
                    var call = makeCall(user: user, task: task, start: start,
                                        idTime: epoch.addingTimeInterval(-Double(k + 1) - 120 * day),
                                        dispositions: data.dispositions, deactivated: false, rng: &rng)
                    if rng.chance(0.55) { call.notes = noteParts.map { rng.pick($0) }.joined(separator: " ") }
                    if k % needleEvery == needleEvery / 2 {
                        let word = "QX" + String(10_000 + needles.count * 3_571 % 90_000)
                        call.notes = (call.notes ?? "Quote sent") + " Quote reference \(word)."
                        needles.append((word, call.id))
                    }
                    added.append(call)
                    k += 1
                }
            }
            dayStart = dayStart.addingTimeInterval(-day)
        }
        data.calls += added
        data.calls.sort(by: callOrder)
        return needles
    }
}
