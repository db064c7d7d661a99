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

    /// The run store's `table`, its JSON rows read back from the table's own JSON rendering.
    /// - Throws: when that rendering does not parse (a bug in `RunTable`).
    static func stored(_ table: RunTable, command: String) throws -> RunListing {
        RunListing(command: command, runs: .stored(table, rows: try JSONValue(parsing: Data(table.rendered(as: .json).utf8))))
    }

    /// The table; for a session without runs, how to make one.
    func lines(in layout: TextLayout) -> [String] {
        switch runs {
        case .stored(let table, _):
            return TextTable(table).render(width: layout.width)
        case .session(let runs):
            return runs.isEmpty ? ["no runs yet in this session: 'train' makes one"] : RunListing.table(runs).render(width: layout.width)
        }
    }

    /// `runs`: one object per run.
    var result: CommandResult {
        switch runs {
        case .stored(_, let rows): return CommandResult(command: command, fields: [("runs", rows)])
        case .session(let runs): return CommandResult(command: command, fields: [("runs", .array(runs.map(\.json)))])
        }
    }

    /// This session's runs as a table: id, dataset, model, key config, accuracy, P/R/F1, loss, train seconds, latency.
    private static func table(_ runs: [SessionRun]) -> TextTable {
        let rows = runs.map { run -> [String] in
            let m = run.evaluation?.metrics
            return ["#\(run.id)", run.dataset, run.model,
                    "\(run.config.optimizer.rawValue) lr \(TrainingView.scientific(run.config.learningRate)) b\(run.config.batchSize)",
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
