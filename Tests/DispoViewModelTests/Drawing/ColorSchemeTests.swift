import Foundation
import Testing
@testable import DispoViewModel

@Suite("Colour schemes for dark and light backgrounds")
struct ColorSchemeTests {
    init() { useUTF8Locale() }

    static let light16 = ColorScheme(background: .light, uses256: false)
    static let light256 = ColorScheme(background: .light, uses256: true)
    static let dark16 = ColorScheme(background: .dark, uses256: false)
    static let dark256 = ColorScheme(background: .dark, uses256: true)
    static let white = ColorScheme.relativeLuminance(red: 255, green: 255, blue: 255)
    static let black = ColorScheme.relativeLuminance(red: 0, green: 0, blue: 0)

    /// The contrast of colour number `n` (as xterm draws it) with a background of luminance `bg`.
    func contrast(_ n: Int, with bg: Double) -> Double {
        let c = ColorScheme.xtermRGB(n)
        return ColorScheme.contrast(ColorScheme.relativeLuminance(red: c.red, green: c.green, blue: c.blue), bg)
    }

    @Test func noLightStyleUsesYellowWhiteOrABrightColour() {
        for scheme in [Self.light16, Self.light256] {
            for colors in [8, 16, 256] {
                for role in ColorRole.allCases {
                    guard let fg = scheme.foreground(role, colors: colors) else { continue }
                    #expect(![3, 7, 11, 15].contains(fg), "\(role) is yellow or white on a light background (\(fg))")
                    #expect(!(9...14).contains(fg), "\(role) uses bright colour \(fg) on a light background")
                }
            }
        }
    }

    @Test func light256ColoursReadOnWhiteEitherWayRound() {
        // WCAG AA for text: 4.5 : 1, whether drawn on white or (reversed: header, selection) under white text.
        for role in ColorRole.allCases {
            guard let fg = Self.light256.foreground(role, colors: 256) else { continue }
            #expect(contrast(fg, with: Self.white) >= 4.5, "\(role) (\(fg)): \(contrast(fg, with: Self.white))")
            // Yellow in the cube: red and green high, blue low.
            let c = ColorScheme.xtermRGB(fg)
            #expect(!(c.red >= 175 && c.green >= 175 && c.blue < 135), "\(role) (\(fg)) is yellow")
        }
    }

    @Test func headerReadsOnBothBackgrounds() {
        // The header is reversed: its colour is the bar, the text takes the terminal's background.
        for (scheme, bg) in [(Self.dark16, Self.black), (Self.dark256, Self.black), (Self.light16, Self.white),
                             (Self.light256, Self.white)] {
            let header = scheme.foreground(.header, colors: 256)!
            #expect(contrast(header, with: bg) >= 4.5, "\(scheme.background) header \(header): \(contrast(header, with: bg))")
        }
        // With 8 colours too; the blue the dark header had was about 2 : 1 under black text.
        let eight = Self.dark16.foreground(.header, colors: 8)!
        #expect(contrast(eight, with: Self.black) >= 4.5)
        #expect(contrast(4, with: Self.black) < 3)
    }

    @Test func darkSchemesAreTheOnesThatWereThere() {
        // The dark 16-colour scheme keeps its colours except the header; 256 is unchanged.
        #expect(Self.dark16.foreground(.warning, colors: 16) == 3)
        #expect(Self.dark16.foreground(.accent, colors: 16) == 6)
        #expect(Self.dark16.foreground(.muted, colors: 8) == nil)
        #expect(Self.dark256.foreground(.sandbox, colors: 256) == 214)
        #expect(ColorRole.allCases.allSatisfy { Self.light16.foreground($0, colors: 16) != nil || $0 == .normal })
    }

    @Test func xtermPalette() {
        #expect(ColorScheme.xtermRGB(16) == (0, 0, 0))
        #expect(ColorScheme.xtermRGB(231) == (255, 255, 255))
        #expect(ColorScheme.xtermRGB(24) == (0, 95, 135))
        #expect(ColorScheme.xtermRGB(232) == (8, 8, 8))
        #expect(ColorScheme.xtermRGB(255) == (238, 238, 238))
        #expect(abs(ColorScheme.contrast(Self.white, Self.black) - 21) < 0.01)
    }
}

/// A screen as a light-background terminal draws it: the text, then per column the colour its role takes
/// in `scheme` (a letter per colour number, legend above the layer), in capitals where it is reversed.
func textAndColors(_ grid: Grid, _ scheme: ColorScheme, colors: Int) -> String {
    var letters: [Int: Character] = [:]
    var legend: [String] = []
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
    func letter(_ role: ColorRole) -> Character {
        guard let fg = scheme.foreground(role, colors: colors) else { return "." }
        if let l = letters[fg] { return l }
        let l = alphabet[letters.count]
        letters[fg] = l
        let c = ColorScheme.xtermRGB(fg)
        legend.append("\(l) = colour \(fg) (\(c.red),\(c.green),\(c.blue))")
        return l
    }
    var layer = ""
    for row in 0..<grid.size.rows {
        for col in 0..<grid.size.cols {
            let st = grid[col, row].style
            let l = letter(st.role)
            layer.append(st.reverse ? (l == "." ? ":" : Character(l.uppercased())) : l)
        }
        layer += "|\n"
    }
    return gridText(grid) + "-- colours, one character a column: . the terminal's own, a letter a colour number; "
        + "reversed (the colour is the bar under text in the terminal's background): : or the letter in capitals\n"
        + legend.sorted().joined(separator: "\n") + "\n" + layer
}

@Suite("Light theme screens")
struct LightThemeScreenTests {
    init() { useUTF8Locale() }

    @Test func tasksOnALightBackground() {
        var s = Fixtures.ready()
        _ = reduce(&s, .resize(Size(cols: 80, rows: 24)))
        let grid = render(s, size: s.size, options: RenderOptions())
        let scheme = ColorScheme(background: .light, uses256: true)
        assertTextSnapshot(textAndColors(grid, scheme, colors: 256), "App/light-256-tasks-80x24")
        // Nothing on screen is drawn in a colour that is hard to read on white.
        for cell in grid.cells {
            if let fg = scheme.foreground(cell.style.role, colors: 256) {
                let c = ColorScheme.xtermRGB(fg)
                let l = ColorScheme.relativeLuminance(red: c.red, green: c.green, blue: c.blue)
                #expect(ColorScheme.contrast(l, 1) >= 4.5)
            }
        }
    }
}
