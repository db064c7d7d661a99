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

    /// The model built, and the one it replaced.
    struct Built: CommandOutput {
        /// The spec as parsed.
        var spec: ModelSpec
        /// The dataset shape it was built for.
        var shape: InputShape
        /// Its parameter count.
        var parameters: Int
        /// The spec of the model it replaced.
        var replaced: ModelSpec?

        /// `model sa: 128×9 → 6 classes, 1234 parameters (replaces cnn)`.
        func lines(in layout: TextLayout) -> [String] {
            ["model \(spec): \(shape), \(counted(parameters, "parameter"))" + (replaced.map { " (replaces \($0))" } ?? "")]
        }

        /// `model`, `input`, `parameters`.
        var result: CommandResult {
            CommandResult(command: "model", fields: [
                ("model", .string(spec.description)), ("input", .string(shape.description)), ("parameters", .int(parameters)),
            ])
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Built { try shell.model(arguments) }
}

private extension Interpreter {
    func model(_ arguments: Arguments) throws -> ModelCommand.Built {
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
        let replaced = session.model?.spec
        session.dropModel()
        session.model = built
        session.builtModel = ObjectIdentifier(built)
        return ModelCommand.Built(spec: spec, shape: shape, parameters: built.parameterCount, replaced: replaced)
    }
}
