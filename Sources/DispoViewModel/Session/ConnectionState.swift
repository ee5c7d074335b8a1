/// The state of the connection to the API, as the app's runtime sees it.
public enum ConnectionState: Sendable, Hashable {
    /// The last request reached the server.
    case online
    /// A request failed and is being retried; `attempt` counts from 1.
    case retrying(attempt: Int)
    /// The server cannot be reached; the string says why (already human).
    case offline(String)
}
