import Foundation

/// `help [COMMAND]`: the command list, or one command's usage, details and examples.
struct HelpCommand: ShellCommand {
    static let spec = CommandSpec("help", family: .session, usage: "help [COMMAND]",
                                  summary: "list commands, or one command's usage with examples (?CMD is the same)",
                                  examples: ["help", "help train", "?set"], positionals: 1, completions: [.commands],
                                  replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.help(arguments) }
}

private extension Interpreter {
    func help(_ arguments: Arguments) throws -> CommandResult {
        guard let topic = arguments.positional(0) else {
            for family in CommandSpec.Family.allCases {
                output.text("\(family.rawValue):")
                for spec in CommandTable.all where spec.family == family {
                    output.text("  " + spec.name.padding(toLength: 10, withPad: " ", startingAt: 0) + spec.summary)
                }
            }
            output.text("Type 'help COMMAND' or '?COMMAND' for usage and examples.")
            return CommandResult(command: "help", fields: [("commands", .array(CommandTable.all.map { .string($0.name) }))])
        }
        guard let spec = CommandTable.spec(named: topic.value) else {
            throw ShellError(Suggestion.unknown("command", topic.value, among: CommandTable.words), at: topic.offset)
        }
        output.text("usage: \(spec.usage)")
        output.text("  \(spec.summary)")
        for line in spec.details { output.text("  \(line)") }
        if !spec.aliases.isEmpty { output.text("  also: \(spec.aliases.joined(separator: ", "))") }
        if !spec.examples.isEmpty {
            output.text("examples:")
            for example in spec.examples { output.text("  \(example)") }
        }
        return CommandResult(command: "help", fields: [
            ("topic", .string(spec.name)), ("usage", .string(spec.usage)), ("summary", .string(spec.summary)),
            ("examples", .array(spec.examples.map { .string($0) })),
        ])
    }
}
