import HARKit

/// `model SPEC [key=value…]`: a model built for the loaded dataset's shape.
struct ModelCommand: ShellCommand {
    static let spec = CommandSpec("model", family: .model, usage: "model SPEC [width=N] [depth=N] [hidden=N] [layers=N] [heads=N] [dropout=F]",
                                  summary: "build a model for the loaded dataset's shape",
                                  details: ["SPEC: sa, ca, cnn, resnet, lstm, gru, transformer, deepconvlstm, or hybrids joined with +",
                                            "(sa+lstm, attn+lstm, sa+transformer, cnn+lstm). A new spec replaces the current model."],
                                  examples: ["model sa", "model attn+lstm hidden=128", "model transformer layers=2 heads=4"],
                                  keywords: Vocabulary.models, positionals: 1, options: OptionSpec.keys(Vocabulary.modelOptions),
                                  optionKind: "model option")

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.model(arguments) }
}

private extension Interpreter {
    func model(_ arguments: Arguments) throws -> CommandResult {
        let specArgument = try arguments.required(0, "model SPEC")
        var options: [String: String] = [:]
        for option in arguments.options { options[option.key ?? ""] = option.value }
        if options["dropout"] == nil, let dropout = session.config.dropout { options["dropout"] = String(dropout) }
        let spec: ModelSpec
        do {
            spec = try ModelSpec(specArgument.value, options: options)
        } catch let error as ModelSpecError {
            throw ShellError(error.message, at: position(of: error.word, in: arguments) ?? specArgument.offset)
        }
        let shape = try currentInputShape(for: arguments)
        let built: any HARModel
        do {
            built = try ModelFactory.make(spec, input: shape, seed: session.config.seed)
        } catch let error as ModelSpecError {
            throw ShellError(error.message, at: position(of: error.word, in: arguments) ?? specArgument.offset)
        }
        let replaced = session.model.map { " (replaces \($0.spec))" } ?? ""
        session.dropModel()
        session.model = built
        session.builtModel = ObjectIdentifier(built)
        output.text("model \(spec): \(shape), \(built.parameterCount) parameters\(replaced)")
        return CommandResult(command: "model", fields: [
            ("model", .string(spec.description)), ("input", .string(shape.description)),
            ("parameters", .int(built.parameterCount)),
        ])
    }
}
