/// The state of the connection to the API, as the app's runtime sees it.
public enum ConnectionState: Sendable, Hashable {
    /// The last request reached the server.
    case online
    /// A request failed and is being retried; `attempt` counts from 1.
    case retrying(attempt: Int)
    /// The server cannot be reached; the string says why (already human).
    case offline(String)
    /// The server rejected the API key (401): nothing more will work until dispo starts with another key.
    case keyRejected
    /// The server refused a request for what it is (a 403 that explains itself, e.g. a key without
    /// access to calls); the string is its explanation, already free of control characters.
    case refused(String)
}
