/// Turns a command line into commands: `;` and line breaks separate them, `?CMD` means `help CMD`.
public enum Parser {
    /// The commands of `source`, in order; empty commands (blank lines, comments, `;;`) are skipped.
    /// - Throws: `ShellError` with the position of the offending token.
    public static func parse(_ source: String) throws -> [ParsedCommand] {
        var commands: [ParsedCommand] = []
        var current: ParsedCommand?
        for token in try Tokenizer.tokenize(source) {
            switch token.kind {
            case .separator:
                if let command = current { commands.append(command) }
                current = nil
            case .option:
                guard var command = current else {
                    throw ShellError("a command must start with a command word, not '\(token.key ?? "")=\(token.text)'", at: token.offset)
                }
                command.arguments.append(Argument(key: token.key, value: token.text, offset: token.offset))
                current = command
            case .word, .string:
                if var command = current {
                    command.arguments.append(Argument(value: token.text, quoted: token.kind == .string, offset: token.offset))
                    current = command
                } else if token.kind == .string {
                    throw ShellError("a command must start with a command word, not a quoted string", at: token.offset)
                } else if token.text.hasPrefix("?") {
                    var command = ParsedCommand(name: "help", offset: token.offset)
                    if token.text.count > 1 {
                        command.arguments.append(Argument(value: String(token.text.dropFirst()), offset: token.offset + 1))
                    }
                    current = command
                } else {
                    current = ParsedCommand(name: token.text, offset: token.offset)
                }
            }
        }
        if let command = current { commands.append(command) }
        return commands
    }
}
