/// Training commands: train, eval, tune, cv.
extension Interpreter {
    func train(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions([])
        if let epochs = arguments.positional(0) { _ = try arguments.integer(epochs, "epoch count", in: 1...100_000) }
        throw unavailable(arguments, needs: "HARKit's Trainer")
    }

    func evaluate(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions([])
        if let split = arguments.positional(0) { _ = try arguments.expectKeyword(split, among: arguments.spec.keywords, kind: "split") }
        throw unavailable(arguments, needs: "HARKit's metrics (Metrics)")
    }

    func tune(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectOptions(arguments.spec.optionKeys)
        try arguments.expectPositionals(0)
        guard arguments.options.contains(where: { ConfigKey.named($0.key ?? "") != nil }) else {
            throw ShellError("missing KEY=RANGE — usage: \(arguments.spec.usage)", at: arguments.command.offset)
        }
        throw unavailable(arguments, needs: "HARKit's tuner")
    }

    func crossValidate(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
        try arguments.expectOptions(["folds"])
        if let word = arguments.positional(0) { _ = try arguments.expectKeyword(word, among: ["loso"], kind: "cross-validation") }
        if let folds = arguments.option("folds"), folds.value != "loso" { _ = try arguments.integer(folds, "folds", in: 2...1000) }
        throw unavailable(arguments, needs: "HARKit's cross-validation")
    }
}
