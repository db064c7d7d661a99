import HARKit

/// `model SPEC [key=value…]`: a model built for the loaded dataset's shape.
struct ModelCommand: ShellCommand {
    static let spec = CommandSpec("model", family: .model, usage: "model SPEC [width=N] [depth=N] [hidden=N] [layers=N] [heads=N] [dropout=F]",
                                  summary: "build a model for the loaded dataset's shape",
                                  details: ["SPEC: sa, ca, cnn, resnet, lstm, gru, transformer, deepconvlstm, or hybrids joined with +",
                                            "(sa+lstm, attn+lstm, sa+transformer, cnn+lstm). A new spec replaces the current model.",
                                            "`model from #RUN|FILE [freeze=stem|stem_lr=F]` starts from a trained model's weights (the checkpoint a run saved, or a file) for the loaded dataset: a new head when its classes differ, channels matched by name (a subset or a reorder); freeze=stem keeps the stem's weights (set stem_lr 0), stem_lr=F trains the stem F times slower."],
                                  examples: ["model sa", "model attn+lstm hidden=128", "model transformer layers=2 heads=4",
                                             "model from #5 freeze=stem", "model from sa-dsads.ckpt stem_lr=0.1"],
                                  keywords: Vocabulary.models + ["from"], positionals: 1, options: OptionSpec.keys(Vocabulary.modelOptions),
                                  forms: ["from": ArgumentForm(positionals: 2, options: [OptionSpec("freeze", completions: ["stem"]), OptionSpec("stem_lr")],
                                                               completions: [.keywords, .files])],
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
        /// What `model from` carried over from where, when the model starts from trained weights.
        var start: TrainedStart?

        /// `model sa: 128×9 → 6 classes, 1234 parameters (replaces cnn)`.
        func lines(in layout: TextLayout) -> [String] {
            ["model \(spec): \(shape), \(counted(parameters, "parameter"))" + (replaced.map { " (replaces \($0))" } ?? "")]
                + (start?.lines ?? [])
        }

        /// `model`, `input`, `parameters`; after `model from`, `from`, `copied`, `remapped`, `fresh`, `stem_lr`.
        var result: CommandResult {
            CommandResult(command: "model", fields: [
                ("model", .string(spec.description)), ("input", .string(shape.description)), ("parameters", .int(parameters)),
            ] + (start?.fields ?? []))
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Built {
        arguments.positional(0)?.value == "from" && arguments.positional(0)?.quoted == false
            ? try shell.modelFromTrained(arguments) : try shell.model(arguments)
    }
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
        if let rate = session.config.stemLearningRate {
            output.warning("stem_lr is \(ConfigKey.format(rate)): this fresh model's stem will train \(rate == 0 ? "not at all" : "at \(ConfigKey.format(rate)) × lr") ('set stem_lr 1' trains it as the rest)")
        }
        return ModelCommand.Built(spec: spec, shape: shape, parameters: built.parameterCount, replaced: replaced)
    }
}
