import Foundation
import Testing
@testable import DispoApp
import DispoViewModel

/// `config.toml` parsing for the settings the view models use: `date_format`, `time_zone` and `[keys]`
/// (a bad line gets a clear error naming the line).
@Suite struct ConfigurationTests {
    func parseError(_ text: String) -> String? {
        do { _ = try ConfigFile.parse(text, path: "/c.toml"); return nil } catch { return "\(error)" }
    }

    @Test func keysDateFormatAndZoneAreRead() throws {
        let text = """
        time_zone = "Europe/Lisbon"
        date_format = "yyyy-MM-dd HH:mm"
        require_disposition = true

        [keys]
        down = "n"
        up = "e"
        log = ["L", "ctrl-o"]
        """
        let c = try ConfigFile.parse(text, path: "/c.toml")
        #expect(c.timeZone == "Europe/Lisbon")
        #expect(c.dateStyle == .iso)
        #expect(c.requireDisposition == true)
        #expect(c.keyBindings == ["down": ["n"], "up": ["e"], "log": ["L", "ctrl-o"]])
        #expect(c.keymap.listAction(.char("n")) == .down)
        #expect(c.keymap.listAction(.ctrl("o")) == .log)
        #expect(c.keymap.listAction(.char("j")) == nil)
    }

    @Test func defaultsWhenAbsent() throws {
        let c = try ConfigFile.parse("user = \"a@b.c\"\n", path: "/c.toml")
        #expect(c.dateStyle == nil && c.keyBindings.isEmpty && c.keymap == .default && c.requireDisposition == nil)
    }

    @Test(arguments: [
        ("user = \"x\"\n[keys]\ndown = \"j\"\nlgo = \"l\"\n", "/c.toml:4:", "unknown key action `lgo`"),
        ("[keys]\n\ndown = \"jj\"\n", "/c.toml:3:", "cannot read the key \"jj\""),
        ("[keys]\nlog = \"j\"\ndown = \"j\"\n", "/c.toml:", "j is already bound to"),
        ("calling_hours = \"9\"\n", "/c.toml:1:", "not a range of hours"),
        ("advance = \"yes\"\n", "/c.toml:1:", "`advance` must be true or false"),
        ("[keys]\nsend = \"s\"\n", "/c.toml:2:", "must be a Ctrl, Alt or F key"),
        ("[keys]\ndown = 3\n", "/c.toml:2:", "keys.down must be a key in quotes"),
        ("[keys]\ndown = [\"j\", 4]\n", "/c.toml:2:", "every key must be a string"),
        ("keys = \"j\"\n", "/c.toml:1:", "`keys` must be a table"),
        ("theme = \"auto\"\ndate_format = \"dd.MM.yy\"\n", "/c.toml:2:", "date_format must be one of"),
        ("time_zone = \"Mars/Olympus\"\n", "/c.toml:1:", "unknown time zone"),
        ("theme = \"sepia\"\n", "/c.toml:1:", "theme must be auto, default, 256, light, light-256 or mono"),
        ("mouse = false\nrequire_disposition = \"yes\"\n", "/c.toml:2:", "`require_disposition` must be true or false"),
    ])
    func badLinesAreNamed(_ text: String, _ location: String, _ message: String) {
        guard let error = parseError(text) else { Issue.record("accepted: \(text)"); return }
        #expect(error.hasPrefix(location), "\(error)")
        #expect(error.contains(message), "\(error)")
    }

    @Test func lightThemesAreRead() throws {
        #expect(try ConfigFile.parse("theme = \"light\"\n", path: "/c.toml").theme == "light")
        #expect(try ConfigFile.parse("theme = \"light-256\"\n", path: "/c.toml").theme == "light-256")
        #expect(themeFromSetting("light") == .light16 && themeFromSetting("light-256") == .light256)
        #expect(themeFromSetting("auto") == .auto && themeFromSetting("256") == .color256)
    }

    @Test func theExampleParsesWhenUncommented() throws {
        // Every commented setting line of the example, uncommented, is a valid configuration.
        var lines: [String] = []
        for line in ConfigFile.example.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("# ") else { continue }
            let body = String(t.dropFirst(2))
            if body.hasPrefix("[keys]") || (body.contains(" = ") && !body.hasPrefix("Keys") && !body.hasPrefix("api_key")) {
                lines.append(body)
            }
        }
        let c = try ConfigFile.parse(lines.joined(separator: "\n"), path: "/example.toml")
        #expect(c.dateStyle == .monthDay)
        #expect(c.keyBindings["log"] == ["l", "ctrl-o"])
    }
}
