import Foundation
import HARKit

/// `history [N]` / `history save FILE`: the last commands, or the successful ones as a script.
struct HistoryCommand: ShellCommand {
    static let spec = CommandSpec("history", family: .session, usage: "history [N] | history save FILE",
                                  summary: "the last commands; `history save FILE` writes the successful ones as a script",
                                  examples: ["history", "history 5", "history save session.har"], keywords: ["save"],
                                  positionals: 1, forms: ["save": ArgumentForm(positionals: 2, completions: [.keywords, .files])],
                                  replayable: false)

    /// The last commands, numbered, failed ones marked `!`.
    struct Listing: CommandOutput {
        /// The entries shown with their 0-based index in the session's history.
        var entries: [(index: Int, entry: HistoryEntry)]

        /// `    3! set lr -1`: the number right-aligned in 5 columns, `!` for a failure, the command.
        func lines(in layout: TextLayout) -> [String] {
            entries.map { index, entry in
                let number = String(index + 1)
                return String(repeating: " ", count: max(0, 5 - number.count)) + number + (entry.succeeded ? " " : "!") + " " + entry.command
            }
        }

        /// `history`: `index` (1-based), `command`, `ok` per entry.
        var result: CommandResult {
            CommandResult(command: "history", fields: [
                ("history", .array(entries.map { .object([("index", .int($0.index + 1)), ("command", .string($0.entry.command)),
                                                          ("ok", .bool($0.entry.succeeded))]) })),
            ])
        }
    }

    /// The successful commands written as a script.
    struct Saved: CommandOutput {
        /// The file as written.
        var file: String
        /// How many commands it holds.
        var commands: Int

        /// `wrote N commands to FILE`.
        func lines(in layout: TextLayout) -> [String] { ["wrote \(counted(commands, "command")) to \(file)"] }

        /// `file`, `commands`.
        var result: CommandResult { CommandResult(command: "history", fields: [("file", .string(file)), ("commands", .int(commands))]) }
    }

    /// The listing or the saved script.
    enum Output: CommandOutputForms {
        case listing(Listing), saved(Saved)

        var form: any CommandOutput {
            switch self {
            case .listing(let listing): return listing
            case .saved(let saved): return saved
            }
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Output { try shell.history(arguments) }
}

private extension Interpreter {
    func history(_ arguments: Arguments) throws -> HistoryCommand.Output {
        if let first = arguments.positional(0), !first.quoted, first.value == "save" {
            let file = try arguments.required(1, "FILE")
            let lines = session.replayableHistory
            let stamp = ISO8601DateFormatter().string(from: Date())
            let text = (["# har \(HARKit.version) session history, saved \(stamp)"] + lines).joined(separator: "\n") + "\n"
            do { try ScriptFile.write(text, to: resolve(file.value)) } catch let error as ShellError {
                throw ShellError(error.message, at: file.offset)
            }
            return .saved(HistoryCommand.Saved(file: file.value, commands: lines.count))
        }
        let count = try arguments.positional(0).map { try arguments.integer($0, "count", in: 1...Int.max) } ?? 20
        return .listing(HistoryCommand.Listing(entries: session.history.enumerated().suffix(count).map { ($0.offset, $0.element) }))
    }
}
