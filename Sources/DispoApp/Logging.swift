import DispoStore
import Foundation
import Logging

/// Sends swift-log output to `$XDG_STATE_HOME/dispo/dispo.log` (0600) for the whole process, before
/// any logger exists: the terminal belongs to the UI (and scripts' stdout to their data), so dispo never
/// logs to the terminal. Safe to call more than once; only the first call counts.
///
/// `DISPO_LOG_LEVEL` (`trace` … `critical`) sets the level; default `info`.
public func bootstrapFileLogging(environment: [String: String] = ProcessInfo.processInfo.environment) {
    loggingBootstrapLock.lock(); defer { loggingBootstrapLock.unlock() }
    guard !loggingBootstrapped else { return }
    loggingBootstrapped = true
    let dir = (DispoStore.defaultPath(environment: environment) as NSString).deletingLastPathComponent
    let level = environment["DISPO_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    FileLogHandler.bootstrap(path: dir + "/dispo.log", level: level)
}

private let loggingBootstrapLock = NSLock()
nonisolated(unsafe) private var loggingBootstrapped = false
