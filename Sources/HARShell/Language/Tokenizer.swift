/// Splits a command line into tokens: words, numbers, quoted strings, `key=value` options and `;`.
///
/// A comma ending a bare word separates list items and is dropped. `#` at the start of a word begins a comment that runs
/// to the end of the line, except `#` and a digit after a command's first word, which is a run reference (`compare #5`);
/// a backslash before a line break joins the two lines.
public enum Tokenizer {
    /// The tokens of `source`.
    /// - Throws: `ShellError` at the opening quote of an unterminated string.
    public static func tokenize(_ source: String) throws -> [Token] {
        let chars = Array(source)
        var tokens: [Token] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, chars[i + 1].isNewline {
                i += 2
                continue
            }
            if c == ";" || c.isNewline {
                tokens.append(Token(.separator, ";", offset: i, end: i + 1))
                i += 1
                continue
            }
            if c.isWhitespace { i += 1; continue }
            // `#` starts a comment, except `#N` after a command's first word: a run reference as the shell writes runs
            // (`compare #5`), which a comment would silently drop.
            let inCommand = tokens.last.map { $0.kind != .separator } ?? false
            if c == "#", !(inCommand && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber) {
                while i < chars.count, !chars[i].isNewline { i += 1 }
                continue
            }
            if c == "\"" || c == "'" {
                let (text, next) = try quoted(chars, from: i)
                tokens.append(Token(.string, text, offset: i, end: next))
                i = next
                continue
            }
            let start = i
            var word = ""
            while i < chars.count, !endsWord(chars[i]) {
                if chars[i] == "=", !word.isEmpty {
                    let key = word
                    i += 1
                    var value = ""
                    if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
                        let (text, next) = try quoted(chars, from: i)
                        value = text
                        i = next
                    } else {
                        while i < chars.count, !endsWord(chars[i]) { value.append(chars[i]); i += 1 }
                        value = droppingListComma(value)
                    }
                    tokens.append(Token(.option, value, key: key, offset: start, end: i))
                    word = ""
                    break
                }
                word.append(chars[i])
                i += 1
            }
            word = droppingListComma(word)
            if !word.isEmpty { tokens.append(Token(.word, word, offset: start, end: i)) }
        }
        return tokens
    }

    /// A comma ending a bare word separates list items (`augment jitter, rotate`); it is not part of the word.
    private static func droppingListComma(_ word: String) -> String {
        word.hasSuffix(",") ? String(word.dropLast()) : word
    }

    private static func endsWord(_ c: Character) -> Bool {
        c.isWhitespace || c == ";" || c == "\"" || c == "'"
    }

    /// Reads a quoted string starting at the quote at `start`; returns its content and the index past it.
    private static func quoted(_ chars: [Character], from start: Int) throws -> (String, Int) {
        let quote = chars[start]
        var i = start + 1
        var text = ""
        while i < chars.count {
            let c = chars[i]
            if c == quote { return (text, i + 1) }
            if c == "\\", quote == "\"", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" {
                text.append(chars[i + 1])
                i += 2
                continue
            }
            text.append(c)
            i += 1
        }
        throw ShellError("unterminated string: add the closing \(quote)", at: start)
    }
}
