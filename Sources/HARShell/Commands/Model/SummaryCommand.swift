import HARKit

/// `summary`: the layer table with output shapes, parameters and multiply-adds.
struct SummaryCommand: ShellCommand {
    static let spec = CommandSpec("summary", family: .model, usage: "summary",
                                  summary: "layer table: output shape, parameters, multiply-adds; totals",
                                  examples: ["summary"], replayable: false)

    /// The current model's layers.
    struct Layers: CommandOutput {
        /// The model's spec.
        var spec: ModelSpec
        /// The shape it was built for.
        var shape: InputShape
        /// Its layers with shapes, parameters and multiply-adds.
        var summary: ModelSummary

        /// The model and shape, a table of layer, type, output, parameters, mult-adds, and the totals.
        func lines(in layout: TextLayout) -> [String] {
            let rows = summary.rows.map { row in
                [row.name, row.kind, row.outputShape.map(String.init).joined(separator: "×"), grouped(row.parameters), grouped(row.macs)]
            }
            return ["model \(spec): \(shape)"]
                + TextTable(header: ["layer", "type", "output", "parameters", "mult-adds"], rows: rows,
                            alignments: [.left, .left, .left, .right, .right]).render(width: layout.width)
                + ["total: \(grouped(summary.parameters)) parameters (\(grouped(summary.trainableParameters)) trainable), "
                    + "\(grouped(summary.macs)) mult-adds per window"]
        }

        /// `model`, `parameters`, `trainable_parameters`, `macs`, `layers`.
        var result: CommandResult {
            CommandResult(command: "summary", fields: [
                ("model", .string(spec.description)),
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

    let arguments: Arguments

    func run(in shell: Interpreter) throws -> Layers {
        let model = try shell.currentModel(for: arguments)
        return Layers(spec: model.spec, shape: model.inputShape, summary: try ModelSummary(of: model))
    }
}
