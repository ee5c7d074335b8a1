import CNcursesw
import DispoViewModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Handing long text to the rep's editor.
extension TerminalUI {
    /// `$EDITOR` hand-off: the text goes to a private temp file (0600, in `$TMPDIR` or `/tmp`), curses
    /// mode is left, `$VISUAL` / `$EDITOR` / `vi` runs through `/bin/sh -c` on the file, curses mode comes
    /// back at the current size, and `.editorFinished` carries the file's text (one trailing newline
    /// removed), or nil when the editor could not run or exited non-zero (a status message says so).
    /// While the editor runs, Ctrl-C and Ctrl-\ are its own and Ctrl-Z stops both.
    func openEditor(field: FormField, text: String) {
        let env = ProcessInfo.processInfo.environment
        let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let dir = (env["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
        var template = Array("\(dir)/dispo-\(field.rawValue)-XXXXXX.txt".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard fd >= 0 else {
            post(.statusMessage("cannot create a temporary file for the editor (errno \(errno))", isError: true))
            post(.editorFinished(field: field, text: nil))
            return
        }
        let path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
        defer { unlink(path) }
        let data = Array(text.utf8)
        var written = 0
        while written < data.count {
            let n = data[written...].withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            written += n
        }
        close(fd)

        leaveScreen()
        // While the editor has the terminal: Ctrl-C / Ctrl-\ belong to it; Ctrl-Z stops us with it.
        SignalBridge.ignore(SIGINT)
        SignalBridge.ignore(SIGQUIT)
        SignalBridge.setDefault(SIGTSTP)
        let status = SignalBridge.spawnShell("\(editor) \"$1\"", arg: path)
        SignalBridge.setOrderly(SIGINT)
        SignalBridge.setOrderly(SIGQUIT)
        SignalBridge.setOrderly(SIGTSTP)
        enterScreen()
        if let msg = checkResize() { post(msg) }

        var result: String?
        let exitedOK = status >= 0 && (status & 0x7F) == 0 && ((status >> 8) & 0xFF) == 0
        if exitedOK, let contents = try? String(contentsOfFile: path, encoding: .utf8) {
            result = contents.hasSuffix("\n") ? String(contents.dropLast()) : contents
        } else if !exitedOK {
            post(.statusMessage("editor `\(editor)` failed (status \(status)): text unchanged", isError: true))
        }
        post(.editorFinished(field: field, text: result))
    }
}
