/// Renders a command-language error: an optional `file:line:` prefix, the message, and when the error has
/// a position, the source line with a caret under the offending word.
public enum ErrorView {
    /// The error as lines to print.
    public static func render(_ error: ShellError, source: String, origin: String?, style: Style) -> [String] {
        let prefix = origin.map { "\($0): " } ?? ""
        var lines = [style.red("error: ") + prefix + error.message]
        guard let position = error.position else { return lines }
        let chars = Array(source)
        guard position >= 0, position <= chars.count else { return lines }
        var lineStart = position
        while lineStart > 0, !chars[lineStart - 1].isNewline { lineStart -= 1 }
        var lineEnd = position
        while lineEnd < chars.count, !chars[lineEnd].isNewline { lineEnd += 1 }
        let line = String(chars[lineStart..<lineEnd])
        let column = position - lineStart
        var wordLength = 0
        while position + wordLength < lineEnd, !chars[position + wordLength].isWhitespace, chars[position + wordLength] != ";" {
            wordLength += 1
        }
        lines.append("  " + line)
        lines.append("  " + String(repeating: " ", count: column) + style.green("^" + String(repeating: "~", count: max(0, wordLength - 1))))
        return lines
    }
}
