/// `show [KEY]`: every setting with value, default and meaning.
struct ShowCommand: ShellCommand {
    static let spec = CommandSpec("show", family: .configuration, usage: "show [KEY]",
                                  summary: "every setting with value, default and a one-line meaning",
                                  examples: ["show", "show lr"], keywords: ConfigKey.all.map(\.name), positionals: 1,
                                  completions: [.settings], replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.show(arguments) }
}

private extension Interpreter {
    func show(_ arguments: Arguments) throws -> CommandResult {
        var keys = ConfigKey.all
        if let argument = arguments.positional(0) {
            guard let key = ConfigKey.named(argument.value) else {
                throw ShellError(Suggestion.unknown("setting", argument.value, among: keys.map(\.name)), at: argument.offset)
            }
            keys = [key]
        }
        let config = session.config
        let rows = keys.map { key -> [String] in
            let value = key.read(config)
            return [key.name, value + (value == key.defaultValue ? "" : " *"), key.defaultValue, key.domain, key.meaning]
        }
        for line in TextTable(header: ["key", "value", "default", "values", "meaning"], rows: rows).render() { output.text(line) }
        if keys.count > 1 { output.text("* changed from the default") }
        return CommandResult(command: "show", fields: [
            ("settings", .array(keys.map { key in
                .object([("key", .string(key.name)), ("value", .string(key.read(config))),
                         ("default", .string(key.defaultValue)), ("values", .string(key.domain)),
                         ("meaning", .string(key.meaning))])
            })),
        ])
    }
}
