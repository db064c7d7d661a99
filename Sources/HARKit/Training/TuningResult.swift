/// The outcome of a search: every trial, the best one, and its trained model.
public struct TuningResult {
    /// Every trial in the order sampled.
    public let trials: [TuningTrial]
    /// The trial with the best validation score among those trained for the whole budget.
    public let best: TuningTrial?
    /// The best trial's trainer (its model trained, its settings in effect), to keep using.
    public let bestTrainer: Trainer?
    /// Whether the search was stopped before it ended.
    public let cancelled: Bool
    /// The search's run in the run store (the whole result its trials belong to), when recorded.
    public var runID: Int64?
    /// The best trial's model evaluated once on the test split (the search's result), when there is a best trial.
    public var bestTestMetrics: ClassificationMetrics?

    /// The trials as a table sorted by score (best first): trial, score, epochs, outcome, settings, run id.
    public var table: RunTable {
        let sorted = trials.sorted { a, b in
            let (x, y) = (a.score.isNaN ? -Double.infinity : a.score, b.score.isNaN ? -Double.infinity : b.score)
            return x != y ? x > y : a.index < b.index
        }
        let columns = [("trial", "trial"), ("score", "val F1"), ("epochs", "epochs"), ("outcome", "outcome"), ("settings", "settings"), ("run", "run")]
        let rows = sorted.map { trial -> [TableValue] in
            [.integer(Int64(trial.index)), trial.score.isNaN ? .missing : .number(trial.score, digits: 4), .integer(Int64(trial.history.count)),
             .text(trial.status.description), .text(trial.settingsText), trial.runID.map(TableValue.integer) ?? .missing]
        }
        return RunTable(columns: columns.map(RunTable.Column.init), rows: rows)
    }
}
