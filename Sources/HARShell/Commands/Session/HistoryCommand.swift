import Foundation
import HARKit

/// `history [N]` / `history save FILE`: the last commands, or the successful ones as a script.
struct HistoryCommand: ShellCommand {
    static let spec = CommandSpec("history", family: .session, usage: "history [N] | history save FILE",
                                  summary: "the last commands; `history save FILE` writes the successful ones as a script",
                                  examples: ["history", "history 5", "history save session.har"], keywords: ["save"],
                                  positionals: 1, forms: ["save": ArgumentForm(positionals: 2, completions: [.keywords, .files])],
                                  replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.history(arguments) }
}

private extension Interpreter {
    func history(_ arguments: Arguments) throws -> CommandResult {
        if let first = arguments.positional(0), !first.quoted, first.value == "save" {
            let file = try arguments.required(1, "FILE")
            let lines = session.replayableHistory
            let stamp = ISO8601DateFormatter().string(from: Date())
            let text = (["# har \(HARKit.version) session history, saved \(stamp)"] + lines).joined(separator: "\n") + "\n"
            do { try ScriptFile.write(text, to: resolve(file.value)) } catch let error as ShellError {
                throw ShellError(error.message, at: file.offset)
            }
            output.text("wrote \(lines.count) command\(lines.count == 1 ? "" : "s") to \(file.value)")
            return CommandResult(command: "history", fields: [("file", .string(file.value)), ("commands", .int(lines.count))])
        }
        let count = try arguments.positional(0).map { try arguments.integer($0, "count", in: 1...Int.max) } ?? 20
        let entries = Array(session.history.enumerated().suffix(count))
        for (index, entry) in entries {
            let mark = entry.succeeded ? " " : "!"
            let number = String(index + 1)
            output.text(String(repeating: " ", count: max(0, 5 - number.count)) + number + mark + " " + entry.command)
        }
        return CommandResult(command: "history", fields: [
            ("history", .array(entries.map { .object([("index", .int($0.offset + 1)), ("command", .string($0.element.command)),
                                                      ("ok", .bool($0.element.succeeded))]) })),
        ])
    }
}
