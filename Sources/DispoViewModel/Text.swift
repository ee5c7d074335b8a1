import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The display width of `s` in terminal columns, after `sanitize`.
public func displayWidth(_ s: String) -> Int { s.count }

/// Untrusted text → inert, visible text.
public func sanitize(_ s: String) -> String { s }

/// Parses a duration typed by the rep into seconds.
public func parseDuration(_ s: String) -> Int? { Int(s) }
