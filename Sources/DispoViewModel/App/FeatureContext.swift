import Foundation

/// What a feature may read, but not change, outside its own state while it handles a key or is drawn.
struct FeatureContext {
    /// Facts fixed at start (and the clock).
    let environment: AppEnvironment
    /// The account, users, dispositions, connection, status line and the numbers known per contact.
    let session: SessionState
    /// Where everything is drawn at the current size.
    let frame: Frame
    /// True when Unicode glyphs are drawn (else keys such as arrows are written in words).
    var unicode: Bool

    init(environment: AppEnvironment, session: SessionState, frame: Frame, unicode: Bool? = nil) {
        self.environment = environment; self.session = session; self.frame = frame
        self.unicode = unicode ?? environment.unicode
    }

    var keymap: Keymap { environment.keymap }
    var now: Date { environment.now }
    var zone: TimeZone { environment.timeZone }
    /// What the log form is checked against.
    var formRules: FormRules {
        FormRules(dispositions: session.dispositions, requireDisposition: environment.requireDisposition,
                  defaultRegion: defaultRegion, now: now, timeZone: zone)
    }
    /// The region national numbers are read in: config `default_region`, else that of the rep's own
    /// From number (the one last used), else the one the rep chose when asked.
    var defaultRegion: String? {
        environment.defaultRegion ?? session.numbers.lastFrom.flatMap(numberRegion) ?? environment.rememberedRegion
    }
    /// How keys are written at the terminal's glyph set.
    var labels: KeyLabels { KeyLabels(keymap: keymap, unicode: unicode) }
}
