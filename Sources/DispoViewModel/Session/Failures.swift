import AmplemarketModels

extension SessionState {
    /// A failure in words the rep can act on: 401 is a rejected key; a 403 that explains itself is shown
    /// in the server's words ("Amplemarket refused: …"); no answer, a reset or 5xx mean the server cannot
    /// be reached; a body that is not the API's means a wrong base URL.
    func describe(_ failure: APIFailure, what: String, _ environment: AppEnvironment) -> String {
        let base = environment.baseURLDisplay
        let retry = environment.keymap.primary(.refresh, unicode: environment.unicode)
        switch failure.kind {
        case .unauthorized:
            return "The API key was rejected by \(base). Check AMPLEMARKET_API_KEY (or api_key_file / "
                + "api_key_command in the config) and start dispo again."
        case .forbidden:
            return "\(failure.message) (\(what))."
        case .notSent, .uncertain:
            return "Cannot reach \(base) (\(failure.message)). Check the network or AMPLEMARKET_BASE_URL; \(retry) retries."
        case .badResponse:
            return "\(base) does not look like the Amplemarket API (\(failure.message)). Check AMPLEMARKET_BASE_URL."
        case .notFound:
            return "\(base) does not look like the Amplemarket API (\(what): not found). Check AMPLEMARKET_BASE_URL."
        case .configuration:
            return "Configuration problem: \(failure.message)"
        default:
            return "Could not load \(what): \(failure.description). \(retry) retries."
        }
    }

    /// Shows a failure that makes the app unusable as the pane's message. With `onlyIfFatal`, only a
    /// rejected key does; returns true when the pane message was set.
    @discardableResult
    mutating func block(_ failure: APIFailure, what: String, _ environment: AppEnvironment, onlyIfFatal: Bool = false) -> Bool {
        if onlyIfFatal && failure.kind != .unauthorized { return false }
        paneError = describe(failure, what: what, environment)
        paneErrorFromFailure = true
        return true
    }
}
