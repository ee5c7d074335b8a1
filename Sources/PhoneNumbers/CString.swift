import CPhoneNumbers

/// Takes a string CPhoneNumbers malloc'd: copies it into a Swift String and frees it. nil stays nil.
func takeCString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    defer { cpn_free(pointer) }
    return String(cString: pointer)
}

/// Copies a string CPhoneNumbers still owns (a parse result's field). nil stays nil.
func copyCString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    pointer.map { String(cString: $0) }
}
