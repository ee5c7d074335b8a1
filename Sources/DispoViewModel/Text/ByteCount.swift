import Foundation

/// A file size for the rep: `812 bytes`, `4.2 KB`, `1.3 MB` (1 KB = 1024 bytes).
func formatBytes(_ bytes: Int) -> String {
    if bytes < 1024 { return "\(bytes) bytes" }
    if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
    return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
}
