/// The log form's keys: moving between fields, the disposition picker, toggles, the timer, `$EDITOR`,
/// sending (only the send key sends: Enter moves on, so a paste's newlines never send a half-typed log),
/// Esc keeping the draft; every other key edits the focused field.
enum LogFormKeys {
    /// Tab order of the form.
    static let order = FormField.allCases

    static func bindings(_ state: LogFormState, _ context: FeatureContext) -> BindingTable<LogFormState> {
        let focus = state.form?.focus ?? .to
        let labels = context.labels
        let u = context.unicode
        func next(_ s: inout LogFormState, _ step: Int) {
            guard var form = s.form else { return }
            let i = order.firstIndex(of: form.focus) ?? 0
            form.focus = order[(i + step + order.count) % order.count]
            s.form = form
        }
        return BindingTable([
            Binding(keys: [.tab, .down], hint: "next", rank: 1, hintKeys: "Tab/Enter", help: "next / previous field",
                    helpKeys: u ? "Tab ↓ / S-Tab ↑" : "Tab Down / S-Tab Up") { s, _, _ in next(&s, 1); return .none },
            Binding(keys: [.backTab, .up], hint: "back", rank: 2, hintKeys: labels.key(.backTab)) { s, _, _ in next(&s, -1); return .none },
            Binding(keys: [.enter], hint: focus == .disposition ? "pick disposition" : nil, rank: 0,
                    help: "next field (wraps); on Disposition: picker") { s, _, _ in
                if focus == .disposition { return .request(.present(.dispositionPicker(PickerState()))) }
                next(&s, 1)
                return .none
            },
            Binding(keys: focus.isToggle || focus == .disposition ? [.char(" ")] : [],
                    hint: focus.isToggle ? "toggle" : nil, rank: 0,
                    help: "toggle Answered / Human (y / n set, Backspace unsets)", helpKeys: "Space") { s, c, key in
                focus == .disposition ? .request(.present(.dispositionPicker(PickerState()))) : s.input(key, c)
            },
            Binding([.send], hint: "send", rank: 3, help: "send (the only key that sends)") { s, c, _ in
                s.submit(confirmed: false, c)
            },
            Binding([.timer], hint: focus == .duration ? (state.timer != nil ? "stop timer" : "timer") : nil, rank: 0,
                    help: "start / stop the call timer (fills Duration)") { s, c, _ in s.toggleTimer(c) },
            Binding([.editor], hint: focus.usesEditor ? "$EDITOR" : nil, rank: 0,
                    help: "edit \(FormField.notes.label) / \(FormField.transcription.label) in $EDITOR") { s, c, key in
                guard let form = s.form, form.focus.usesEditor else { return s.input(key, c) }
                return .effects([.terminal(.openEditor(field: form.focus, text: form.fields[form.focus]?.text ?? ""))])
            },
            Binding(keys: [.escape], hint: state.form?.fromOutbox == true ? "close" : "keep draft", rank: 4,
                    help: "close, keep the draft") { s, c, _ in s.close(c) },
            Binding(help: "start / end of field", helpKeys: "Ctrl-A/E Home/End", run: nil),
            Binding(help: "character left / right", helpKeys: u ? "Ctrl-B/F ←/→" : "Ctrl-B/F Left/Right", run: nil),
            Binding(help: "word left / right", helpKeys: "Alt-B / Alt-F", run: nil),
            Binding(help: "cut to end / to start", helpKeys: "Ctrl-K / Ctrl-U", run: nil),
            Binding(help: "cut word before / after", helpKeys: "Ctrl-W / Alt-D", run: nil),
            Binding(help: "paste what was cut", helpKeys: "Ctrl-Y", run: nil),
            Binding(keys: [.ctrl("l")], help: "redraw the screen", run: nil),
            Binding(keys: [.ctrl("c")], help: "quit (asks first)") { _, _, _ in .request(.quit) },
            Binding(keys: [.function(1)], hint: "help", rank: 5) { _, _, _ in .request(.present(.help(top: 0))) },
        ])
    }
}

extension LogFormState {
    /// A key no row of the form's table answers: it edits the focused field (a toggle takes Space, `x`,
    /// `y`, `n` and Backspace; a text field takes text and readline keys). Saves the draft when something changed.
    mutating func input(_ key: Key, _ context: FeatureContext) -> Reply {
        guard var form else { return .none }
        defer { self.form = form }
        if form.focus.isToggle {
            switch key {
            case .char(" "), .char("x"):
                form.toggle(form.focus)
                return saving(form)
            case .char("y"), .char("n"):
                form.set(form.focus, key == .char("y"))
                return saving(form)
            case .backspace, .delete:
                form.unset(form.focus)
                return saving(form)
            case .char, .paste:
                // Text typed on a yes/no field goes nowhere: say so, rather than lose it silently.
                return .status("\(form.focus.label) is yes or no: Space toggles, y / n set it; Tab moves on to type text.")
            default:
                return .none
            }
        }
        guard LogForm.textFields.contains(form.focus), var field = form.fields[form.focus] else { return .none }
        let result = field.handle(key)
        if result == .edited, form.focus == .to || form.focus == .from {
            field = Self.formattedAsTyped(field, after: key, region: context.defaultRegion)
        }
        form.fields[form.focus] = field
        guard result == .edited else { return .none }
        form.errors[form.focus] = nil
        return saving(form)
    }

    /// A number field formatted as the rep types it (libphonenumber's as-you-type formatter, in `region`):
    /// only for a digit typed at its end, and only while the text before it is digits (and `+`) or the
    /// formatter's own output, so spaces, dashes or an extension the rep typed are never taken away; and
    /// only when formatting keeps every digit.
    static func formattedAsTyped(_ field: TextField, after key: Key, region: String?) -> TextField {
        let text = field.text
        guard case .char(let typed) = key, typed.isNumber, field.cursor == text.count else { return field }
        // The formatter ends a finished country code with a space; the rep may type that space too.
        func formatted(_ s: String) -> String {
            String(formatNumberAsTyped(s, region: region).reversed().drop { $0 == " " }.reversed())
        }
        let before = String(text.dropLast())
        let trimmedBefore = String(before.reversed().drop { $0 == " " }.reversed())
        guard before.allSatisfy({ $0.isNumber || $0 == "+" }) || trimmedBefore == formatted(before) else { return field }
        let formatted = formatted(text)
        guard formatted.compactMap(\.wholeNumberValue) == text.compactMap(\.wholeNumberValue), formatted != text else {
            return field
        }
        var out = field
        out.set(formatted)
        return out
    }

    /// Esc: the form closes. An edited form's draft is kept (and saved) to resume later; an unchanged one
    /// leaves no draft behind; a form editing an outbox entry leaves the entry in the outbox.
    mutating func close(_ context: FeatureContext) -> Reply {
        guard let form else { return .none }
        self.form = nil
        if form.fromOutbox {
            return .status("Closed; the log stays in the Outbox (\(context.labels.primary(.outboxTab))) until you "
                + "re-send or discard it.")
        }
        if !form.isChanged {
            // Nothing typed: a draft saved while typing is cleared.
            return .request(.clearNotice) + (keptDraft == nil ? .effects([.io(.clearDraft)]) : .none)
        }
        keptDraft = form.draft
        return .status("Draft kept. Log the same task again (\(context.labels.primary(.open)) or "
            + "\(context.labels.primary(.log))) to resume it.") + saving(form)
    }
}
