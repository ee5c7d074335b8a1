import Foundation

/// HTTP dates (RFC 9110 §5.6.7), as found in `Date` and `Retry-After` headers.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), or the obsolete RFC 850
    /// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`) forms. Nil when the
    /// text is none of them. Whole seconds, UTC.
    static func parse(_ text: String) -> Date? {
        let v = text.trimmingCharacters(in: .whitespaces)
        if let d = fixdate(v) { return d }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: 0)
        for format in ["EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy", "EEE, dd MMM yyyy HH:mm:ss zzz"] {
            f.dateFormat = format
            if let d = f.date(from: v) { return d }
        }
        return nil
    }

    /// The IMF-fixdate of `date` (`Sun, 06 Nov 1994 08:49:37 GMT`), truncated to the second.
    static func format(_ date: Date) -> String {
        var t = time_t(floor(date.timeIntervalSince1970))
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let month = months[Int(parts.tm_mon)].capitalized
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d GMT", days[Int(parts.tm_wday)], parts.tm_mday, month,
                      Int(parts.tm_year) + 1900, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// The fixed-length form every current server sends, parsed by hand: a `DateFormatter` per answer
    /// would cost more than the rest of the answer's handling.
    private static func fixdate(_ v: String) -> Date? {
        let fields = v.split(separator: " ")
        guard fields.count == 6, fields[0].hasSuffix(","), fields[5] == "GMT",
              let day = Int(fields[1]), let year = Int(fields[3]),
              let month = months.firstIndex(of: fields[2].lowercased()) else { return nil }
        let clock = fields[4].split(separator: ":")
        guard clock.count == 3, let h = Int(clock[0]), let m = Int(clock[1]), let s = Int(clock[2]),
              (1...31).contains(day), (0...23).contains(h), (0...59).contains(m), (0...60).contains(s) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900); parts.tm_mon = Int32(month); parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(h); parts.tm_min = Int32(m); parts.tm_sec = Int32(s)
        let t = timegm(&parts)
        return t == -1 ? nil : Date(timeIntervalSince1970: Double(t))
    }
}
