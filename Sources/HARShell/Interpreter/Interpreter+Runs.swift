import Foundation
import HARKit

/// What the run commands (Commands/Inspect: runs, compare, report, export) share: they read the run store
/// (every session's runs) when there is one, else this session's runs.
extension Interpreter {
    /// `body`'s value, a run-store error becoming a shell error.
    func storeCall<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as RunStoreError { throw ShellError(error.message) }
    }

    /// The runs as a table: id, dataset, model, key config, accuracy, F1, train seconds.
    func runsTable(_ runs: [SessionRun]) -> [String] {
        guard !runs.isEmpty else { return [] }
        let rows = runs.map { run -> [String] in
            let m = run.evaluation?.metrics
            return ["#\(run.id)", run.dataset, run.model,
                    "\(run.config.optimizer.rawValue) lr \(TrainingView.scientific(run.config.learningRate)) b\(run.config.batchSize)"
                        + (run.precision.map { " \($0.rawValue)" } ?? ""),
                    String(run.epochs.count), m.map { TrainingView.fixed($0.accuracy * 100, 2) + "%" } ?? "—",
                    m.map { TrainingView.fixed($0.precisionMacro, 3) } ?? "—", m.map { TrainingView.fixed($0.recallMacro, 3) } ?? "—",
                    m.map { TrainingView.fixed($0.f1Macro, 3) } ?? "—",
                    run.epochs.last.map { TrainingView.fixed($0.trainLoss, 4) } ?? "—", TrainingView.fixed(run.trainSeconds, 1),
                    run.evaluation?.timing.map { TrainingView.fixed($0.latencyP50, 2) } ?? "—"]
        }
        return TextTable(header: ["run", "dataset", "model", "config", "epochs", "accuracy", "P", "R", "F1", "loss", "train s", "ms/window"],
                         rows: rows, alignments: [.left, .left, .left, .left] + Array(repeating: .right, count: 8)).render()
    }

}
