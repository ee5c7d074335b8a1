import AmplemarketModels
import Foundation

extension APIJSON {
    /// `data` with every sequence that is not valid UTF-8 replaced by U+FFFD (the replacement character,
    /// bytes `EF BF BD`), one for each maximal invalid subpart as Unicode recommends; valid UTF-8 comes
    /// back unchanged. JSON decoding refuses a body with a single bad byte, so a name or note written in
    /// another encoding would otherwise cost the whole answer (or that field): repaired, the text shows
    /// where the bad bytes were and everything else survives.
    public static func repairingUTF8(_ data: Data) -> Data {
        if String(validating: data, as: UTF8.self) != nil { return data }
        return Data(String(decoding: data, as: UTF8.self).utf8)
    }
}
