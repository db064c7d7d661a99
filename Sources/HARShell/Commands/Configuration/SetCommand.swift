/// `set KEY VALUE`: changes a training setting, the live optimizer's too.
struct SetCommand: ShellCommand {
    static let spec = CommandSpec("set", family: .configuration, usage: "set KEY VALUE",
                                  summary: "change a training setting; takes effect at once",
                                  details: ["`set KEY default` restores the default. `show` lists every key with its meaning."],
                                  examples: ["set lr 1e-3", "set batch 64", "set optimizer sgd", "set schedule cosine", "set clip off"],
                                  keywords: ConfigKey.all.map(\.name), positionals: 2, completions: [.settings, .settingValues])

    let arguments: Arguments

    /// `set lr=1e-3` is told how to write it.
    static func validate(_ arguments: Arguments) throws {
        if arguments.positionals.isEmpty, let option = arguments.options.first {
            throw ShellError("write 'set \(option.key ?? "") \(option.value)' (a space, not '=')", at: option.offset)
        }
    }

    func run(in shell: Interpreter) throws -> CommandResult { try shell.set(arguments) }
}

private extension Interpreter {
    func set(_ arguments: Arguments) throws -> CommandResult {
        let names = ConfigKey.all.map(\.name)
        let keyArgument = try arguments.required(0, "KEY")
        guard let key = ConfigKey.named(keyArgument.value) else {
            throw ShellError(Suggestion.unknown("setting", keyArgument.value, among: names), at: keyArgument.offset)
        }
        let valueArgument = try arguments.required(1, "VALUE for \(key.name) (\(key.domain))")
        let previous = key.read(session.config)
        if valueArgument.value.lowercased() == "default", !valueArgument.quoted {
            try key.write(&session.config, key.defaultValue)
        } else {
            do { try key.write(&session.config, valueArgument.value) } catch let error as ShellError {
                throw ShellError(error.message, at: valueArgument.offset)
            }
        }
        let value = key.read(session.config)
        try session.trainer?.apply(session.config)
        output.text("\(key.name) = \(value)" + (previous == value ? " (unchanged)" : " (was \(previous))"))
        return CommandResult(command: "set", fields: [("key", .string(key.name)), ("value", .string(value)),
                                                      ("previous", .string(previous))])
    }
}
