import Foundation

/// Whether the terminal's own background is dark (light text) or light (dark text). Colours are chosen
/// for it: yellow and the bright colours vanish on white, dark blue vanishes on black.
public enum Background: String, Sendable, Hashable, CaseIterable {
    case dark, light
}

/// The foreground colour of each `ColorRole` for one background and colour depth, as terminal colour
/// numbers: 0–7 the ANSI colours (black, red, green, yellow, blue, magenta, cyan, white), 8–15 their
/// bright forms, 16–255 xterm's 6×6×6 cube and grey ramp, `nil` the terminal's own foreground.
///
/// Every role is drawn on the terminal's own background; the header, the current tab and the selection
/// are drawn reversed, so their colour becomes the bar's background and the text takes the terminal's
/// background colour. A light scheme therefore never uses yellow, white or a bright colour, and the
/// 256-colour ones keep at least 4.5 : 1 contrast with white either way round.
public struct ColorScheme: Sendable, Hashable {
    /// The background the colours suit.
    public let background: Background
    /// True: the 256-colour palette (needs a terminal with 256 colours); false: the 8/16 ANSI colours.
    public let uses256: Bool

    /// The scheme for `background`, in 256 colours when `uses256`.
    public init(background: Background, uses256: Bool) {
        self.background = background; self.uses256 = uses256
    }

    /// The foreground of `role` on a terminal with `colors` colours (`COLORS`: 8, 16, 256, …); bright
    /// colours (8–15) are used only when `colors >= 16`. `nil`: the terminal's own foreground, which the
    /// front end marks with an attribute where the role needs one (muted is dim).
    public func foreground(_ role: ColorRole, colors: Int) -> Int? {
        let many = colors >= 16
        if role == .normal { return nil }
        switch (background, uses256) {
        case (.dark, true):
            switch role {
            case .normal: return nil
            case .accent: return 74
            case .muted: return 244
            case .success: return 71
            case .warning: return 179
            case .danger: return 167
            case .selection: return 31
            case .header: return 68
            case .sandbox: return 214
            }
        case (.dark, false):
            switch role {
            case .normal: return nil
            case .accent: return 6
            case .muted: return many ? 8 : nil
            case .success: return 2
            case .warning: return 3
            case .danger: return 1
            case .selection: return 6
            // Reversed: black text on blue (even bright blue) is hard to read, on light grey it is not.
            case .header: return 7
            case .sandbox: return 3
            }
        case (.light, true):
            switch role {
            case .normal: return nil
            case .accent: return 25
            case .muted: return 242
            case .success: return 28
            case .warning: return 130
            case .danger: return 124
            case .selection: return 25
            case .header: return 24
            case .sandbox: return 90
            }
        case (.light, false):
            switch role {
            case .normal: return nil
            case .accent: return 4
            case .muted: return many ? 8 : nil
            case .success: return 2
            case .warning: return 5
            case .danger: return 1
            case .selection: return 4
            case .header: return 4
            case .sandbox: return 5
            }
        }
    }

    /// The colour number `n` as xterm draws it by default, as (red, green, blue) in 0–255: the 16 ANSI
    /// colours, the 6×6×6 cube (16–231, levels 0, 95, 135, 175, 215, 255) and the greys (232–255,
    /// 8 + 10·k). Terminals may redefine the first 16; the cube and greys are fixed almost everywhere.
    public static func xtermRGB(_ n: Int) -> (red: Int, green: Int, blue: Int) {
        let ansi: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
            (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        switch n {
        case 0..<16: let c = ansi[n]; return (c.0, c.1, c.2)
        case 16..<232:
            let levels = [0, 95, 135, 175, 215, 255]
            let i = n - 16
            return (levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
        default:
            let v = 8 + 10 * (min(max(n, 232), 255) - 232)
            return (v, v, v)
        }
    }

    /// WCAG relative luminance of an sRGB colour given in 0–255 per channel: 0 (black) to 1 (white).
    public static func relativeLuminance(red: Int, green: Int, blue: Int) -> Double {
        func linear(_ c: Int) -> Double {
            let s = Double(c) / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// WCAG contrast ratio of two luminances, from 1 (none) to 21 (black on white).
    public static func contrast(_ a: Double, _ b: Double) -> Double {
        (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }
}
