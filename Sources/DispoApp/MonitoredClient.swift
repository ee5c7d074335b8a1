import AmplemarketAPI
import AmplemarketModels
import Foundation

/// The API client whose every request tells the connection monitor how it went: an answer means the
/// server is there, a failure is judged by `ConnectionMonitor.observe`.
struct MonitoredClient: Sendable {
    let client: AmplemarketClient
    let connection: ConnectionMonitor

    /// Makes one request (`body` gets the client) and reports its outcome. Rethrows `body`'s error.
    func request<T: Sendable>(_ body: (AmplemarketClient) async throws -> T) async throws -> T {
        do {
            let value = try await body(client)
            await connection.reached()
            return value
        } catch {
            await connection.observe(failure(error))
            throw error
        }
    }
}

/// Maps any error to an APIFailure for the view models (`.other` for errors that are not one).
func failure(_ error: Error) -> APIFailure {
    if let f = error as? APIFailure { return f }
    return APIFailure(kind: .other, message: String(describing: error))
}
