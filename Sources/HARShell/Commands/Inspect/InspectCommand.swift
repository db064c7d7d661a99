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

    /// Each parameter tensor's shape and value statistics.
    struct Weights: CommandOutput {
        /// The statistics, one per parameter tensor.
        var parameters: [ParameterStatistics]

        /// A table of parameter, shape, count, mean, std, min, max.
        func lines(in layout: TextLayout) -> [String] {
            let rows = parameters.map { parameter in
                [parameter.name, parameter.shape.map(String.init).joined(separator: "×"), grouped(parameter.count)]
                    + [parameter.mean, parameter.standardDeviation, parameter.min, parameter.max].map { TrainingView.fixed($0, 4) }
            }
            return TextTable(header: ["parameter", "shape", "count", "mean", "std", "min", "max"], rows: rows,
                             alignments: [.left, .left, .right, .right, .right, .right, .right]).render(width: layout.width)
        }

        /// `target`, `parameters` (`name`, `shape`, `count`, `mean`, `std`, `min`, `max` each).
        var result: CommandResult {
            CommandResult(command: "inspect", fields: [("target", .string("weights")), ("parameters", .array(parameters.map { parameter in
                .object([("name", .string(parameter.name)), ("shape", .array(parameter.shape.map { .int($0) })),
                         ("count", .int(parameter.count)), ("mean", .double(parameter.mean)), ("std", .double(parameter.standardDeviation)),
                         ("min", .double(parameter.min)), ("max", .double(parameter.max))])
            }))])
        }
    }

    /// The first windows of the latest evaluation with their true and predicted class.
    struct Predictions: CommandOutput {
        /// The split evaluated.
        var split: DatasetSplit
        /// The windows shown: index in the dataset, true label, predicted label.
        var shown: [(window: Int, label: Int, predicted: Int)]
        /// The class names, by label.
        var classNames: [String]

        /// A table of window, true, predicted and ✓ or ✗.
        func lines(in layout: TextLayout) -> [String] {
            TextTable(header: ["window", "true", "predicted", ""], rows: shown.map { window, label, predicted in
                [String(window), classNames[label], classNames[predicted], label == predicted ? "✓" : "✗"]
            }).render()
        }

        /// `target`, `split`, `predictions` (`window`, `true`, `predicted` each).
        var result: CommandResult {
            CommandResult(command: "inspect", fields: [
                ("target", .string("predictions")), ("split", .string(split.rawValue)),
                ("predictions", .array(shown.map { window, label, predicted in
                    .object([("window", .int(window)), ("true", .string(classNames[label])), ("predicted", .string(classNames[predicted]))])
                })),
            ])
        }
    }

    /// What was inspected.
    enum Output: CommandOutputForms {
        case weights(Weights), predictions(Predictions), attention(InspectedAttention), confusion(InspectedConfusion), history(InspectedHistory)

        var form: any CommandOutput {
            switch self {
            case .weights(let weights): return weights
            case .predictions(let predictions): return predictions
            case .attention(let attention): return attention
            case .confusion(let confusion): return confusion
            case .history(let history): return history
            }
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Output { try shell.inspect(arguments) }
}

private extension Interpreter {
    func inspect(_ arguments: Arguments) throws -> InspectCommand.Output {
        let what = try arguments.required(0, "what to inspect").value
        switch what {
        case "weights": return .weights(InspectCommand.Weights(parameters: try ParameterStatistics.of(try currentModel(for: arguments))))
        case "attention": return .attention(try inspectAttention(arguments))
        case "confusion": return .confusion(try inspectConfusion(arguments))
        case "history": return .history(try inspectHistory(arguments))
        default: return .predictions(try inspectPredictions(arguments))
        }
    }

    /// `inspect predictions [N]`: the first N windows of the latest evaluation with true and predicted class.
    func inspectPredictions(_ arguments: Arguments) throws -> InspectCommand.Predictions {
        guard let evaluation = session.lastEvaluation else {
            throw ShellError("no evaluation yet: run 'eval' first", at: arguments.command.offset)
        }
        let count = try arguments.positional(1).map { try arguments.integer($0, "count", in: 1...Int.max) } ?? 10
        let shown = zip(evaluation.indices, zip(evaluation.labels, evaluation.predictions)).prefix(count).map { (window: $0.0, label: $0.1.0, predicted: $0.1.1) }
        return InspectCommand.Predictions(split: evaluation.split, shown: shown, classNames: evaluation.metrics.perClass.map(\.name))
    }
}
