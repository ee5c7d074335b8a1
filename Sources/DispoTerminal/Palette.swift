import CNcursesw
import DispoViewModel
#if canImport(Glibc)
import Glibc
#endif

/// The colours in use, resolved from `Theme`, `NO_COLOR`, the terminal's background and what the
/// terminal can do: a colour scheme, or none.
enum ResolvedTheme: Sendable, Hashable {
    case colors(ColorScheme)
    case mono
}

/// Colour pairs and extra attributes per `ColorRole`. Pair 0 is the terminal's own
/// colours; role `r` (not `.normal`) uses pair `r.rawValue + 1`, foreground only, on the default
/// background (-1), so the rep's terminal background shows through.
struct Palette {
    let theme: ResolvedTheme
    private var attrs: [attr_t]
    private var pairs: [Int16]

    init(theme: ResolvedTheme) {
        self.theme = theme
        attrs = Array(repeating: dispo_a_normal(), count: ColorRole.allCases.count)
        pairs = Array(repeating: 0, count: ColorRole.allCases.count)
        // Selection is always reverse video, so it shows with or without colour.
        attrs[Int(ColorRole.selection.rawValue)] = dispo_a_reverse()
        if theme == .mono {
            attrs[Int(ColorRole.muted.rawValue)] = dispo_a_dim()
            attrs[Int(ColorRole.danger.rawValue)] = dispo_a_bold()
            attrs[Int(ColorRole.warning.rawValue)] = dispo_a_bold()
            attrs[Int(ColorRole.sandbox.rawValue)] = dispo_a_reverse()
            return
        }
        guard case .colors(let scheme) = theme else { return }
        let colors = Int(dispo_colors())
        let many = colors >= 16
        func fg(_ role: ColorRole) -> Int16 { scheme.foreground(role, colors: colors).map(Int16.init) ?? -1 }
        let hasDefault = use_default_colors() == OK
        for role in ColorRole.allCases where role != .normal {
            let pair = Int16(role.rawValue) + 1
            var f = fg(role)
            var b: Int16 = -1
            if !hasDefault {
                let light = scheme.background == .light
                b = Int16(light ? COLOR_WHITE : COLOR_BLACK)
                if f < 0 { f = Int16(light ? COLOR_BLACK : COLOR_WHITE) }
            }
            if Int32(pair) < dispo_color_pairs() && init_pair(pair, f, b) == OK {
                pairs[Int(role.rawValue)] = pair
            }
        }
        if !many { attrs[Int(ColorRole.muted.rawValue)] = dispo_a_dim() }
    }

    @inline(__always)
    func attributes(for style: CellStyle) -> (attr_t, Int16) {
        var a = attrs[Int(style.role.rawValue)]
        if style.bold { a |= dispo_a_bold() }
        if style.reverse { a |= dispo_a_reverse() }
        if style.underline { a |= dispo_a_underline() }
        if style.dim { a |= dispo_a_dim() }
        return (a, pairs[Int(style.role.rawValue)])
    }
}
