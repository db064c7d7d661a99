import Foundation

/// Splits a script into logical lines: a line ending in `\` joins the next; each logical line keeps
/// the number of the physical line where it starts, for `file:line` messages.
public enum ScriptReader {
    /// One logical line of a script.
    public struct Line: Sendable, Equatable {
        /// 1-based number of the physical line where this logical line starts.
        public var number: Int
        /// The text, continuation lines joined with a space.
        public var text: String
    }

    /// The logical lines of `text`.
    public static func lines(of text: String) -> [Line] {
        var result: [Line] = []
        var pending: Line?
        var number = 0
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var piece = String(String.UnicodeScalarView(raw))
            if piece.hasSuffix("\r") { piece.removeLast() }
            let continues = endsWithContinuation(piece)
            if continues { piece.removeLast() }
            if var open = pending {
                open.text += " " + piece
                pending = open
            } else {
                pending = Line(number: number, text: piece)
            }
            if !continues, let done = pending {
                result.append(done)
                pending = nil
            }
        }
        if let open = pending { result.append(open) }
        return result.filter { !$0.text.allSatisfy(\.isWhitespace) }
    }

    /// Whether `line` ends in a `\` that continues it (outside a comment).
    public static func endsWithContinuation(_ line: String) -> Bool {
        guard line.hasSuffix("\\") else { return false }
        return (try? Tokenizer.tokenize(String(line.dropLast()))) != nil && !hasComment(line)
    }

    private static func hasComment(_ line: String) -> Bool {
        guard let tokens = try? Tokenizer.tokenize(line), let last = tokens.last else {
            return line.trimmingCharacters(in: .whitespaces).hasPrefix("#")
        }
        return line.dropFirst(last.end).contains("#")
    }
}
