import HARKit

/// `inspect attention|confusion|history|weights|predictions`: a look inside the model and its latest evaluation.
struct InspectCommand: ShellCommand {
    static let spec = CommandSpec("inspect", family: .inspect,
                                  usage: "inspect attention [sample=I|class=NAME] [layer=L] | inspect confusion|history|weights | inspect predictions [N]",
                                  summary: "look inside: attention heat map, confusion matrix, training curves, weights, predictions",
                                  examples: ["inspect attention", "inspect attention class=walking", "inspect confusion",
                                             "inspect predictions 10"],
                                  keywords: ["attention", "confusion", "history", "weights", "predictions"], keywordKind: "inspect target",
                                  positionals: 1,
                                  forms: ["attention": ArgumentForm(positionals: 1, options: attentionOptions),
                                          "predictions": ArgumentForm(positionals: 2)],
                                  replayable: false)

    /// `inspect attention`'s options, which `plot attention` takes too: one window, a class mean, a layer.
    static let attentionOptions = [OptionSpec("sample"), OptionSpec("class"), OptionSpec("layer")]

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.inspect(arguments) }
}

private extension Interpreter {
    func inspect(_ arguments: Arguments) throws -> CommandResult {
        let what = try arguments.required(0, "what to inspect").value
        switch what {
        case "weights": return try inspectWeights(arguments)
        case "attention": return try inspectAttention(arguments)
        case "confusion": return try inspectConfusion(arguments)
        case "history": return try inspectHistory(arguments)
        default: return try inspectPredictions(arguments)
        }
    }

    /// `inspect weights`: each parameter tensor's shape and value statistics.
    func inspectWeights(_ arguments: Arguments) throws -> CommandResult {
        let model = try currentModel(for: arguments)
        let statistics = try ParameterStatistics.of(model)
        let rows = statistics.map { parameter in
            [parameter.name, parameter.shape.map(String.init).joined(separator: "×"), grouped(parameter.count)]
                + [parameter.mean, parameter.standardDeviation, parameter.min, parameter.max].map { TrainingView.fixed($0, 4) }
        }
        let entries = statistics.map { parameter -> JSONValue in
            .object([("name", .string(parameter.name)), ("shape", .array(parameter.shape.map { .int($0) })),
                     ("count", .int(parameter.count)), ("mean", .double(parameter.mean)), ("std", .double(parameter.standardDeviation)),
                     ("min", .double(parameter.min)), ("max", .double(parameter.max))])
        }
        let table = TextTable(header: ["parameter", "shape", "count", "mean", "std", "min", "max"], rows: rows,
                              alignments: [.left, .left, .right, .right, .right, .right, .right])
        for line in table.render() { output.text(line) }
        return CommandResult(command: "inspect", fields: [("target", .string("weights")), ("parameters", .array(entries))])
    }

    /// `inspect predictions [N]`: the first N windows of the latest evaluation with true and predicted class.
    func inspectPredictions(_ arguments: Arguments) throws -> CommandResult {
        guard let evaluation = session.lastEvaluation else {
            throw ShellError("no evaluation yet: run 'eval' first", at: arguments.command.offset)
        }
        let count = try arguments.positional(1).map { try arguments.integer($0, "count", in: 1...Int.max) } ?? 10
        let names = evaluation.metrics.perClass.map(\.name)
        let shown = Array(zip(evaluation.indices, zip(evaluation.labels, evaluation.predictions)).prefix(count))
        let rows = shown.map { index, pair in
            [String(index), names[pair.0], names[pair.1], pair.0 == pair.1 ? "✓" : "✗"]
        }
        for line in TextTable(header: ["window", "true", "predicted", ""], rows: rows).render() { output.text(line) }
        return CommandResult(command: "inspect", fields: [
            ("target", .string("predictions")), ("split", .string(evaluation.split.rawValue)),
            ("predictions", .array(shown.map { index, pair in
                .object([("window", .int(index)), ("true", .string(names[pair.0])), ("predicted", .string(names[pair.1]))])
            })),
        ])
    }
}
