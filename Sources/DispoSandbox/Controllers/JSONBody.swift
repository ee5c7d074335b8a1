/// Reading JSON request bodies, whatever their `Content-Type` says.
enum JSONBody {
    /// Parses `bytes` as JSON. A body of only whitespace is nil when `allowEmpty`, else 400 `bad_request`;
    /// a body that is not JSON is 400 `bad_request` with the parser's reason.
    static func parse(_ bytes: [UInt8], allowEmpty: Bool) throws(APIError) -> JSON? {
        let trimmed = bytes.drop(while: { [0x20, 0x09, 0x0A, 0x0D].contains($0) })
        if trimmed.isEmpty {
            if allowEmpty { return nil }
            throw APIError.badJSON("The request body is empty; a JSON object is required")
        }
        do {
            return try JSONParser.parse(bytes)
        } catch let error as JSONParseError {
            throw APIError.badJSON("The request body is not valid JSON: \(error.description)")
        } catch {
            throw APIError.badJSON("The request body is not valid JSON")
        }
    }
}
