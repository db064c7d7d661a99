import HARKit

/// Model commands: model, summary.
extension Interpreter {
    func model(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(1)
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
        output.text("model \(spec): \(shape), \(built.parameterCount) parameters\(replaced)")
        return CommandResult(command: "model", fields: [
            ("model", .string(spec.description)), ("input", .string(shape.description)),
            ("parameters", .int(built.parameterCount)),
        ])
    }

    func summary(_ arguments: Arguments) throws -> CommandResult {
        try arguments.expectPositionals(0)
        try arguments.expectOptions([])
        let model = try currentModel(for: arguments)
        let summary = try ModelSummary(of: model)
        let rows = summary.rows.map { row in
            [row.name, row.kind, row.outputShape.map(String.init).joined(separator: "×"), grouped(row.parameters), grouped(row.macs)]
        }
        let table = TextTable(header: ["layer", "type", "output", "parameters", "mult-adds"], rows: rows,
                              alignments: [.left, .left, .left, .right, .right])
        output.text("model \(model.spec): \(model.inputShape)")
        for line in table.render() { output.text(line) }
        output.text("total: \(grouped(summary.parameters)) parameters (\(grouped(summary.trainableParameters)) trainable), "
                    + "\(grouped(summary.macs)) mult-adds per window")
        return CommandResult(command: "summary", fields: [
            ("model", .string(model.spec.description)),
            ("parameters", .int(summary.parameters)), ("trainable_parameters", .int(summary.trainableParameters)),
            ("macs", .int(summary.macs)),
            ("layers", .array(summary.rows.map { row in
                .object([("name", .string(row.name)), ("type", .string(row.kind)),
                         ("output_shape", .array(row.outputShape.map { .int($0) })),
                         ("parameters", .int(row.parameters)), ("macs", .int(row.macs))])
            })),
        ])
    }

    /// The current model, or an error saying how to get one.
    func currentModel(for arguments: Arguments) throws -> any HARModel {
        guard let model = session.model else {
            throw ShellError("no model yet: build one with 'model SPEC' (e.g. 'model sa') after 'load'", at: arguments.command.offset)
        }
        return model
    }

    /// The offset of the argument whose value or key is `word`, if any.
    func position(of word: String, in arguments: Arguments) -> Int? {
        let lowered = word.lowercased()
        for argument in arguments.command.arguments {
            if argument.value.lowercased() == lowered || argument.key?.lowercased() == lowered { return argument.offset }
            if argument.isPositional, let range = argument.value.lowercased().range(of: lowered) {
                return argument.offset + argument.value.distance(from: argument.value.startIndex, to: range.lowerBound)
            }
        }
        return nil
    }
}
