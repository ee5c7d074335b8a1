import CNcursesw
import DispoViewModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether the terminal's background is light, for `theme = "auto"`: from `COLORFGBG` when it is set,
/// else from the terminal's answer to an OSC 11 query, else dark.
enum BackgroundDetection {
    /// The OSC 11 query (`ESC ] 11 ; ? ESC \`) followed by DA1 (`ESC [ c`). Terminals answer in order and
    /// nearly all answer DA1, so its answer arriving means no OSC 11 answer is coming.
    static let query: [UInt8] = Array("\u{1B}]11;?\u{1B}\\\u{1B}[c".utf8)

    /// How long the terminal has to answer, in milliseconds.
    static let timeoutMilliseconds = 100

    /// The background `COLORFGBG` names (`"fg;bg"`, or rxvt's `"fg;default;bg"`: the last field counts).
    /// ANSI numbers 0–6 and 8 are dark backgrounds, 7 and 9–15 light ones; `default`, other numbers,
    /// an empty value or garbage tell nothing (`nil`).
    static func fromCOLORFGBG(_ value: String) -> Background? {
        guard let last = value.split(separator: ";", omittingEmptySubsequences: false).last,
              let bg = Int(last.trimmingCharacters(in: .whitespaces)) else { return nil }
        switch bg {
        case 0...6, 8: return .dark
        case 7, 9...15: return .light
        default: return nil
        }
    }

    /// The background in a terminal's answer to OSC 11: `ESC ] 11 ; rgb:R/G/B` (or `rgba:R/G/B/A`), each
    /// channel 1–4 hex digits, ended by `ESC \` or BEL, anywhere in `bytes` (other answers and typed keys
    /// around it are ignored). Light when dark text has more contrast on it than light text (WCAG
    /// relative luminance above 0.179). `nil` when no complete, well-formed answer is there.
    static func fromOSC11Reply(_ bytes: [UInt8]) -> Background? {
        guard let (start, end) = oscRange(bytes) else { return nil }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        guard text.hasPrefix("\u{1B}]11;") else { return nil }
        var spec = text.dropFirst(5)
        if spec.hasSuffix("\u{1B}\\") { spec = spec.dropLast(2) } else if spec.hasSuffix("\u{07}") { spec = spec.dropLast() }
        let parts = spec.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0] == "rgb" || parts[0] == "rgba" else { return nil }
        let channels = parts[1].split(separator: "/", omittingEmptySubsequences: false)
        guard channels.count == (parts[0] == "rgb" ? 3 : 4) else { return nil }
        var rgb: [Int] = []
        for c in channels.prefix(3) {
            guard (1...4).contains(c.count), c.allSatisfy(\.isHexDigit), let v = Int(c, radix: 16) else { return nil }
            let maxValue = (1 << (4 * c.count)) - 1
            rgb.append((v * 255 + maxValue / 2) / maxValue)
        }
        let luminance = ColorScheme.relativeLuminance(red: rgb[0], green: rgb[1], blue: rgb[2])
        return luminance > 0.179 ? .light : .dark
    }

    /// Where the OSC 11 answer is: from its `ESC ] 11 ;` up to and including its terminator.
    private static func oscRange(_ bytes: [UInt8]) -> (Int, Int)? {
        let intro = Array("\u{1B}]11;".utf8)
        guard bytes.count >= intro.count else { return nil }
        for i in 0...(bytes.count - intro.count) where Array(bytes[i..<(i + intro.count)]) == intro {
            var j = i + intro.count
            while j < bytes.count {
                if bytes[j] == 0x07 { return (i, j + 1) }
                if bytes[j] == 0x1B { return j + 1 < bytes.count && bytes[j + 1] == 0x5C ? (i, j + 2) : nil }
                j += 1
            }
            return nil
        }
        return nil
    }

    /// True when `bytes` hold a complete DA1 answer (`ESC [ ?` digits and `;` then `c`).
    static func hasDA1Reply(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0x1B && bytes[i + 1] == 0x5B && bytes[i + 2] == 0x3F {
                var j = i + 3
                while j < bytes.count, bytes[j] == 0x3B || (0x30...0x39).contains(bytes[j]) { j += 1 }
                if j < bytes.count && bytes[j] == 0x63 { return true }
            }
            i += 1
        }
        return false
    }

    /// The bytes that are not the terminal's answers (the OSC 11 and DA1 replies): what the rep typed
    /// while the query ran, to be read as keys.
    static func typedBytes(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        if let (s, e) = oscRange(out) { out.removeSubrange(s..<e) }
        var i = 0
        while i + 2 < out.count {
            if out[i] == 0x1B && out[i + 1] == 0x5B && out[i + 2] == 0x3F {
                var j = i + 3
                while j < out.count, out[j] == 0x3B || (0x30...0x39).contains(out[j]) { j += 1 }
                if j < out.count && out[j] == 0x63 { out.removeSubrange(i...j); continue }
            }
            i += 1
        }
        return out
    }

    /// Asks the terminal on `outFd` for its background and reads the answer from `inFd` (already in raw
    /// mode) until the DA1 answer arrives or `timeoutMilliseconds` pass. Returns everything read.
    static func ask(inFd: Int32, outFd: Int32, timeoutMilliseconds: Int = timeoutMilliseconds) -> [UInt8] {
        let written = query.withUnsafeBytes { write(outFd, $0.baseAddress, $0.count) }
        guard written == query.count else { return [] }
        let deadline = Date().addingTimeInterval(Double(timeoutMilliseconds) / 1000)
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while !hasDA1Reply(got) {
            let left = Int32(deadline.timeIntervalSinceNow * 1000)
            if left <= 0 { break }
            var fd = pollfd(fd: inFd, events: Int16(POLLIN), revents: 0)
            guard poll(&fd, 1, left) > 0, fd.revents & Int16(POLLIN) != 0 else { break }
            let n = buffer.withUnsafeMutableBytes { read(inFd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            got += buffer[0..<n]
        }
        return got
    }

    /// The background for `auto`: `COLORFGBG` when it names one; else, when `askTerminal` is given, the
    /// OSC 11 answer it returns (the bytes the terminal sent); else dark.
    static func detect(environment: [String: String], askTerminal: (() -> [UInt8])?) -> Background {
        if let value = environment["COLORFGBG"], let bg = fromCOLORFGBG(value) { return bg }
        if let askTerminal, let bg = fromOSC11Reply(askTerminal()) { return bg }
        return .dark
    }
}

extension Theme {
    /// The colours this setting asks for on a terminal with `colors` colours and a `background`
    /// background (used by `auto` only); `nil` for `mono`. The 256-colour themes need 256 colours and
    /// fall back to their 16-colour form.
    func scheme(background: Background, colors: Int) -> ColorScheme? {
        let many = colors >= 256
        switch self {
        case .mono: return nil
        case .auto: return ColorScheme(background: background, uses256: false)
        case .default16: return ColorScheme(background: .dark, uses256: false)
        case .color256: return ColorScheme(background: .dark, uses256: many)
        case .light16: return ColorScheme(background: .light, uses256: false)
        case .light256: return ColorScheme(background: .light, uses256: many)
        }
    }
}

extension TerminalUI {
    /// The background for `theme`: detected for `auto` only (`BackgroundDetection.detect`, asking the
    /// terminal when `COLORFGBG` tells nothing and `NO_COLOR` is unset), dark otherwise. Keys the rep typed
    /// while the terminal was asked are given back to ncurses, so none is lost.
    static func detectBackground(_ theme: Theme, inFd: Int32, outFd: Int32) -> Background {
        let env = ProcessInfo.processInfo.environment
        guard theme == .auto, (env["NO_COLOR"] ?? "").isEmpty else { return .dark }
        var typed: [UInt8] = []
        let background = BackgroundDetection.detect(environment: env) {
            let got = BackgroundDetection.ask(inFd: inFd, outFd: outFd)
            typed = BackgroundDetection.typedBytes(got)
            return got
        }
        // ungetch is last in, first out.
        for byte in typed.reversed() { ungetch(Int32(byte)) }
        return background
    }
}
