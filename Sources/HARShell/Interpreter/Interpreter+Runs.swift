import Foundation
import HARKit

/// What the run commands (Commands/Inspect: runs, compare, report, export) share: they read the run store
/// (every session's runs) when there is one, else this session's runs.
extension Interpreter {
    /// `body`'s value, a run-store error becoming a shell error.
    func storeCall<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as RunStoreError { throw ShellError(error.message) }
    }

    /// Everything that shaped a session run, in short: optimizer, lr, batch, weight decay, dropout, augmentation,
    /// seed, what a later `train` changed, and its label.
    func settingsText(_ run: SessionRun) -> String {
        let config = run.config
        var parts = ["\(config.optimizer.rawValue) lr \(TrainingView.scientific(config.learningRate)) b\(config.batchSize)",
                     "wd \(TrainingView.scientific(config.weightDecay))"]
        if let dropout = config.dropout { parts.append("dropout \(dropout)") }
        if let augmentation = run.augmentation { parts.append("augment \(augmentation)") }
        parts.append("seed \(config.seed)")
        if let changes = run.changes { parts.append("(\(changes))") }
        if let label = run.label { parts.append("— \(label)") }
        return parts.joined(separator: " ")
    }

    /// The runs as a table: id, dataset, model, settings, accuracy, F1, train seconds.
    func runsTable(_ runs: [SessionRun]) -> [String] {
        guard !runs.isEmpty else { return [] }
        let rows = runs.map { run -> [String] in
            let m = run.evaluation?.metrics
            return ["#\(run.id)", run.dataset, run.model,
                    settingsText(run),
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
