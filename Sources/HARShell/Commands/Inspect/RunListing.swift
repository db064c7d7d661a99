import Foundation
import HARKit

/// `runs` / `compare`: runs as a table, from the run store (every session's runs) when there is one, else this session's.
struct RunListing: CommandOutput {
    /// Where the runs come from.
    enum Runs {
        /// A table of the run store's runs, with its rows as JSON (`RunTable`'s JSON rendering, read back).
        case stored(RunTable, rows: JSONValue)
        /// This session's runs.
        case session([SessionRun])
    }

    /// The command word of the result (`runs` or `compare`).
    var command: String
    /// The runs listed.
    var runs: Runs
    /// For `runs RUN`: that run's id and its epochs (each with its learning rate), listed after the table.
    var epochs: (run: Int64, records: [EpochRecord])?

    /// The run store's `table`, its JSON rows read back from the table's own JSON rendering.
    /// - Throws: when that rendering does not parse (a bug in `RunTable`).
    static func stored(_ table: RunTable, command: String) throws -> RunListing {
        RunListing(command: command, runs: .stored(table, rows: try JSONValue(parsing: Data(table.rendered(as: .json).utf8))))
    }

    /// The table; for a session without runs, how to make one.
    func lines(in layout: TextLayout) -> [String] {
        switch runs {
        case .stored(let table, _):
            return TextTable(table).render(width: layout.width) + epochLines
        case .session(let runs):
            return runs.isEmpty ? ["no runs yet in this session: 'train' makes one"] : RunListing.table(runs).render(width: layout.width)
        }
    }

    /// The epochs of `runs RUN`, under the header `train` prints.
    private var epochLines: [String] {
        guard let (run, records) = epochs else { return [] }
        guard !records.isEmpty else { return ["run \(run) has no epochs of its own"] }
        return ["epochs of run \(run):", TrainingView.header] + records.map(TrainingView.line)
    }

    /// `runs`: one object per run; for `runs RUN`, also `epochs`.
    var result: CommandResult {
        switch runs {
        case .stored(_, let rows):
            return CommandResult(command: command, fields: [("runs", rows)]
                                 + (epochs.map { [("epochs", .array($0.records.map { .object(TrainCommand.Epoch(record: $0).result.fields) }))] } ?? []))
        case .session(let runs): return CommandResult(command: command, fields: [("runs", .array(runs.map(\.json)))])
        }
    }

    /// Everything that shaped a session run, in short: optimizer, lr, batch, weight decay, dropout, the recipe's
    /// settings where they differ from the reference (schedule, warm-up, label smoothing, EMA, class weights, sampler,
    /// stem_lr), augmentation, seed, the weights it started from, what a later `train` changed, and its label.
    private static func settingsText(_ run: SessionRun) -> String {
        let config = run.config
        var parts = ["\(config.optimizer.rawValue) lr \(TrainingView.scientific(config.learningRate)) b\(config.batchSize)",
                     "wd \(TrainingView.scientific(config.weightDecay))"]
        if let dropout = config.dropout { parts.append("dropout \(dropout)") }
        parts += config.recipeSummary
        if let augmentation = run.augmentation { parts.append("augment \(augmentation)") }
        parts.append("seed \(config.seed)")
        if let source = run.source { parts.append("from \(source)") }
        if let changes = run.changes { parts.append("(\(changes))") }
        if let label = run.label { parts.append("— \(label)") }
        return parts.joined(separator: " ")
    }

    /// This session's runs as a table: id, dataset, model, settings, accuracy, P/R/F1, loss, train seconds, latency.
    private static func table(_ runs: [SessionRun]) -> TextTable {
        let rows = runs.map { run -> [String] in
            let m = run.evaluation?.metrics
            return ["#\(run.id)", run.dataset, run.model, settingsText(run) + (run.precision.map { " \($0.rawValue)" } ?? ""),
                    String(run.epochs.count), m.map { TableValue.percentage($0.accuracy).display } ?? "—",
                    m.map { TrainingView.fixed($0.precisionMacro, 3) } ?? "—", m.map { TrainingView.fixed($0.recallMacro, 3) } ?? "—",
                    m.map { TrainingView.fixed($0.f1Macro, 3) } ?? "—",
                    run.epochs.last.map { TrainingView.fixed($0.trainLoss, 4) } ?? "—", TrainingView.fixed(run.trainSeconds, 1),
                    run.evaluation?.timing.map { TrainingView.fixed($0.latencyP50, 2) } ?? "—"]
        }
        return TextTable(header: ["run", "dataset", "model", "config", "epochs", "accuracy", "P", "R", "F1", "loss", "train s", "ms/window"],
                         rows: rows, alignments: [.left, .left, .left, .left] + Array(repeating: .right, count: 8))
    }
}
