import HARKit

/// `augment SPEC[, SPEC…]` / `augment off`: on-the-fly training augmentation.
struct AugmentCommand: ShellCommand {
    static let spec = CommandSpec("augment", family: .data, usage: "augment SPEC[, SPEC…] | augment off",
                                  summary: "on-the-fly training augmentation",
                                  details: ["SPEC: jitter[=σ], scale[=σ], rotate[=degrees], crop[=fraction], flip[=p], timewarp[=σ], mixup[=α]."],
                                  examples: ["augment jitter, rotate=15", "augment crop=0.9, mixup=0.2", "augment off"],
                                  keywords: Vocabulary.augmentations + ["off"], positionals: nil,
                                  options: OptionSpec.keys(Vocabulary.augmentations), optionKind: "augmentation")

    /// The augmentation in effect now.
    struct Augmenting: CommandOutput {
        /// The steps applied to training batches; nil when augmentation is off.
        var pipeline: AugmentationPipeline?

        /// `augmentation: jitter(σ=0.05), …` or `augmentation off`.
        func lines(in layout: TextLayout) -> [String] { [pipeline.map { "augmentation: \($0)" } ?? "augmentation off"] }

        /// `augmentation` (null when off).
        var result: CommandResult {
            CommandResult(command: "augment", fields: [("augmentation", pipeline.map { .string($0.description) } ?? .null)])
        }
    }

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Augmenting { try shell.augment(arguments) }
}

private extension Interpreter {
    func augment(_ arguments: Arguments) throws -> AugmentCommand.Augmenting {
        let items = arguments.command.arguments.flatMap(\.listItems)
        guard !items.isEmpty else { throw ShellError("missing SPEC — usage: \(arguments.spec.usage)", at: arguments.command.offset) }
        if items.count == 1, items[0].isPositional, items[0].value == "off" {
            session.augmentation = nil
            session.trainer?.augmentation = nil
            return AugmentCommand.Augmenting(pipeline: nil)
        }
        var steps: [Augmentation] = []
        for item in items {
            let name = item.key ?? item.value
            guard Augmentation.names.contains(name) else {
                throw ShellError(Suggestion.unknown("augmentation", name, among: Augmentation.names), at: item.offset)
            }
            var value: Float?
            if item.key != nil {
                guard let number = Float(item.value), number.isFinite else {
                    throw ShellError("invalid value '\(item.value)' for \(name): expected a number", at: item.offset)
                }
                value = number
            }
            do { steps.append(try Augmentation(name: name, value: value)) } catch let error as DatasetError {
                throw ShellError(error.message, at: item.offset)
            }
        }
        let pipeline = AugmentationPipeline(steps: steps)
        session.augmentation = pipeline
        session.trainer?.augmentation = pipeline
        return AugmentCommand.Augmenting(pipeline: pipeline)
    }
}
