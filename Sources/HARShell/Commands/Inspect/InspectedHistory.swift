import HARKit

/// `inspect history` / `plot history`: a run's training curves as a chart.
struct InspectedHistory: CommandOutput {
    /// The command word of the result (`inspect` or `plot`).
    var command: String
    /// The run whose epochs are shown.
    var run: SessionRun

    /// A caption line, then train loss, train accuracy and (when there is one) validation accuracy per epoch.
    func lines(in layout: TextLayout) -> [String] {
        let epochs = run.epochs
        var series = [TerminalLineChart.Series("train loss", epochs.map(\.trainLoss)),
                      TerminalLineChart.Series("train acc", epochs.map(\.trainAccuracy))]
        if epochs.contains(where: { $0.validationAccuracy != nil }) {
            series.append(TerminalLineChart.Series("val acc", epochs.map { $0.validationAccuracy ?? .nan }))
        }
        return ["run #\(run.id): \(run.model) on \(run.dataset), \(counted(epochs.count, "epoch"))"] + TerminalLineChart.render(series)
    }

    /// `target`, `run`, `epochs` (each as `train`'s epoch line).
    var result: CommandResult {
        CommandResult(command: command, fields: [
            ("target", .string("history")), ("run", .int(run.id)),
            ("epochs", .array(run.epochs.map { TrainCommand.Epoch(record: $0).result.json })),
        ])
    }
}
