import HARKit

/// `inspect confusion` / `plot confusion`: the latest evaluation's confusion matrix.
struct InspectedConfusion: CommandOutput {
    /// The command word of the result (`inspect` or `plot`).
    var command: String
    /// The split evaluated.
    var split: DatasetSplit
    /// The evaluation's scores and confusion counts.
    var metrics: ClassificationMetrics

    /// A caption line, then the matrix.
    func lines(in layout: TextLayout) -> [String] {
        ["confusion on \(split.rawValue) (rows: true class, columns: predicted)"]
            + ConfusionMatrixView.render(metrics.confusion.counts, classes: metrics.perClass.map(\.name), style: layout.style, width: layout.width)
    }

    /// `target`, `split`, `classes`, `confusion`.
    var result: CommandResult {
        CommandResult(command: command, fields: [
            ("target", .string("confusion")), ("split", .string(split.rawValue)),
            ("classes", .array(metrics.perClass.map { .string($0.name) })),
            ("confusion", .array(metrics.confusion.counts.map { .array($0.map { .int($0) }) })),
        ])
    }
}
