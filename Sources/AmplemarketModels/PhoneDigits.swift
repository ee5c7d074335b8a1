/// How calls are searched by a phone number typed in any spelling: the one rule the Calls `/` filter and
/// `dispo calls search` share.
///
/// A query made only of digits and phone punctuation (`+ ( ) - . /` and spaces), with at least
/// ``minimumDigits`` digits, is a number query: it is searched by its digits, after a leading `+` or `00`
/// (the international prefix) is dropped, and it finds a call when those digits occur anywhere in one
/// of the digit forms of the call's numbers (E.164 digits, national significant number, national format
/// digits, as stored). Any other query is text.
public enum PhoneDigits {
    /// Fewer digits than this are searched as text: two digits occur in nearly every number.
    public static let minimumDigits = 3

    /// The digits `query` is searched by when it is a number query (see the type), nil when it is text.
    /// `"(415) 555-0142"` → `"4155550142"`, `"+1 415 555 0142"` and `"0014155550142"` → `"14155550142"`,
    /// `"5550142"` → itself, `"42"` and `"Ana 555"` → nil. Digits of other scripts (full-width `４`)
    /// count as their ASCII digit.
    public static func searchDigits(_ query: String) -> String? {
        var digits = ""
        for ch in query {
            if let d = asciiDigit(ch) {
                digits.append(d)
            } else if !(ch.isWhitespace || punctuation.contains(ch)) {
                return nil
            }
        }
        if digits.hasPrefix("00") { digits.removeFirst(2) }
        return digits.count >= minimumDigits ? digits : nil
    }

    /// The characters a spelling of a number may hold besides digits and spaces.
    static let punctuation: Set<Character> = ["+", "(", ")", "-", ".", "/"]

    /// True when `digits` (from `searchDigits`) occurs in one of `forms` (digit strings).
    public static func matches(_ digits: String, forms: [String]) -> Bool {
        forms.contains { $0.contains(digits) }
    }

    /// The words a word-start index must hold so that every run of `minimumDigits` or more digits of
    /// `forms` is found as a word start: each form's suffixes of at least `minimumDigits` digits
    /// (the form itself first), without repeats. `["14155550142"]` → `14155550142`, `4155550142`, …, `142`.
    public static func indexWords(_ forms: [String]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for form in forms {
            var s = Substring(form)
            while s.count >= minimumDigits {
                if seen.insert(String(s)).inserted { out.append(String(s)) }
                s = s.dropFirst()
            }
        }
        return out
    }

    /// The decimal digits of `text`, in order, as ASCII (`"+1 (415)"` → `"1415"`).
    public static func digits(of text: String) -> String {
        String(text.compactMap(asciiDigit))
    }

    /// `ch` as an ASCII digit when it is a decimal digit of any script, else nil.
    static func asciiDigit(_ ch: Character) -> Character? {
        guard ch.unicodeScalars.count == 1, let u = ch.unicodeScalars.first, u.properties.numericType == .decimal,
              let v = u.properties.numericValue, v >= 0, v <= 9 else { return nil }
        return Character(String(Int(v)))
    }
}
