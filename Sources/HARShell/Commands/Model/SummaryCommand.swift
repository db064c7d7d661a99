import HARKit

/// `summary`: the layer table with output shapes, parameters and multiply-adds.
struct SummaryCommand: ShellCommand {
    static let spec = CommandSpec("summary", family: .model, usage: "summary",
                                  summary: "layer table: output shape, parameters, multiply-adds; totals",
                                  examples: ["summary"], replayable: false)

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> CommandResult { try shell.summary(arguments) }
}

private extension Interpreter {
    func summary(_ arguments: Arguments) throws -> CommandResult {
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
}
