import Foundation

/// `help [COMMAND]`: the command list, or one command's usage, details and examples.
struct HelpCommand: ShellCommand {
    static let spec = CommandSpec("help", family: .session, usage: "help [COMMAND]",
                                  summary: "list commands, or one command's usage with examples (?CMD is the same)",
                                  examples: ["help", "help train", "?set"], positionals: 1, completions: [.commands],
                                  replayable: false)

    /// The command list, or one command's help.
    struct Help: CommandOutput {
        /// The command asked about; nil for the list of every command.
        var topic: CommandSpec?

        /// The commands by family with their summaries; or the topic's usage, summary, details, aliases and examples.
        func lines(in layout: TextLayout) -> [String] {
            guard let spec = topic else {
                return CommandSpec.Family.allCases.flatMap { family in
                    ["\(family.rawValue):"] + CommandTable.all.filter { $0.family == family }.map { spec in
                        "  " + spec.name.padding(toLength: 10, withPad: " ", startingAt: 0) + spec.summary
                    }
                } + ["Type 'help COMMAND' or '?COMMAND' for usage and examples."]
            }
            return ["usage: \(spec.usage)", "  \(spec.summary)"] + spec.details.map { "  \($0)" }
                + (spec.aliases.isEmpty ? [] : ["  also: \(spec.aliases.joined(separator: ", "))"])
                + (spec.examples.isEmpty ? [] : ["examples:"] + spec.examples.map { "  \($0)" })
        }

        /// `commands` (every command's name); or `topic`, `usage`, `summary`, `examples`.
        var result: CommandResult {
            guard let spec = topic else {
                return CommandResult(command: "help", fields: [("commands", .array(CommandTable.all.map { .string($0.name) }))])
            }
            return CommandResult(command: "help", fields: [
                ("topic", .string(spec.name)), ("usage", .string(spec.usage)), ("summary", .string(spec.summary)),
                ("examples", .array(spec.examples.map { .string($0) })),
            ])
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Help {
        guard let topic = arguments.positional(0) else { return Help(topic: nil) }
        guard let spec = CommandTable.spec(named: topic.value) else {
            throw ShellError(Suggestion.unknown("command", topic.value, among: CommandTable.words), at: topic.offset)
        }
        return Help(topic: spec)
    }
}
