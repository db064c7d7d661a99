import CLineEdit
import Foundation
import HARShell

/// The interactive shell's line source on a terminal: libedit with emacs keys, TAB completion and a
/// history that persists in `~/.har_history` as plain lines.
final class LineEditor: LineSource {
    private let historyFile: HistoryFile
    private var lines: [String]

    /// Starts libedit; nil when it cannot. Completion asks `completer` for the line left of the cursor.
    init?(historyFile: HistoryFile, completer: cle_completer) {
        guard cle_open("har", completer) == 0 else { return nil }
        self.historyFile = historyFile
        lines = historyFile.load()
        for line in lines { cle_history_add(line) }
    }

    deinit { cle_close() }

    func readLine(prompt: String) -> LineInput {
        var interrupted: Int32 = 0
        guard let line = cle_read_line(prompt, &interrupted) else { return interrupted != 0 ? .interrupted : .end }
        defer { free(line) }
        return .line(String(cString: line))
    }

    func addHistory(_ line: String) {
        cle_history_add(line)
        lines.append(line)
        try? historyFile.save(lines)
    }
}
