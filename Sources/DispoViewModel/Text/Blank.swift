/// True when `s` holds nothing but white space and newlines.
/// (Checks scalars directly: Foundation's trimming is slow on Linux, and list rows call this per frame.)
func isBlank(_ s: String) -> Bool {
    for u in s.utf8 where u != 0x20 && u != 0x09 && u != 0x0A && u != 0x0D {
        if u < 0x80 { return false }
        return s.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
    return true
}
