import HARKit

/// Configuration commands: set, show.
extension Interpreter {
    func set(_ arguments: Arguments) throws -> CommandResult {
        let names = ConfigKey.all.map(\.name)
        if arguments.positionals.isEmpty, let option = arguments.options.first {
            throw ShellError("write 'set \(option.key ?? "") \(option.value)' (a space, not '=')", at: option.offset)
        }
        try arguments.expectOptions([])
        let keyArgument = try arguments.required(0, "KEY")
        guard let key = ConfigKey.named(keyArgument.value) else {
            throw ShellError(Suggestion.unknown("setting", keyArgument.value, among: names), at: keyArgument.offset)
        }
        let valueArgument = try arguments.required(1, "VALUE for \(key.name) (\(key.domain))")
        try arguments.expectPositionals(2)
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
        if key.name == "threads" {
            let budget = try applyThreadSetting()
            output.text("libtorch computes with \(budget)")
            let cores = ThreadBudget.automatic()
            if budget.count > cores.count {
                output.warning("\(budget.count) threads on \(cores.count) usable CPU\(cores.count == 1 ? "" : "s") (\(cores.reason)) oversubscribe them and slow training down")
            }
        }
        return CommandResult(command: "set", fields: [("key", .string(key.name)), ("value", .string(value)),
                                                      ("previous", .string(previous))])
    }

    func show(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions([])
        try arguments.expectPositionals(1)
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

    /// Makes libtorch compute with `set threads` threads, or on `auto` (the default) with the cores this process may
    /// use (`ThreadBudget.automatic()`), and remembers how many and why for `status`.
    @discardableResult
    func applyThreadSetting() throws -> ThreadBudget {
        let budget = session.config.threads.map { ThreadBudget(count: $0, reason: "set threads \($0)") } ?? ThreadBudget.automatic()
        try budget.apply()
        threadBudget = budget
        return budget
    }
}
