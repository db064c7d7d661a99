import HARKit

/// `augment SPEC[, SPEC…]` / `augment off`: on-the-fly training augmentation.
struct AugmentCommand: ShellCommand {
    static let spec = CommandSpec("augment", family: .data, usage: "augment SPEC[, SPEC…] | augment off",
                                  summary: "on-the-fly training augmentation",
                                  details: ["SPEC: jitter[=σ], scale[=σ], rotate[=degrees], crop[=fraction], flip[=p], timewarp[=σ], mixup[=α]."],
                                  examples: ["augment jitter, rotate=15", "augment crop=0.9, mixup=0.2", "augment off"],
                                  keywords: Vocabulary.augmentations + ["off"], positionals: nil,
                                  options: OptionSpec.keys(Vocabulary.augmentations), optionKind: "augmentation")

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.augment(arguments) }
}

private extension Interpreter {
    func augment(_ arguments: Arguments) throws -> CommandResult {
        let items = arguments.command.arguments.flatMap(\.listItems)
        guard !items.isEmpty else { throw ShellError("missing SPEC — usage: \(arguments.spec.usage)", at: arguments.command.offset) }
        if items.count == 1, items[0].isPositional, items[0].value == "off" {
            session.augmentation = nil
            session.trainer?.augmentation = nil
            output.text("augmentation off")
            return CommandResult(command: "augment", fields: [("augmentation", .null)])
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
        output.text("augmentation: \(pipeline)")
        return CommandResult(command: "augment", fields: [("augmentation", .string(pipeline.description))])
    }
}
