/// A run's name and epochs, as plotted in training curves.
public struct PlotRun: Sendable, Equatable {
    /// The legend text, e.g. "run 3 · sa · uci-har".
    public var name: String
    /// The epochs in order.
    public var epochs: [EpochRecord]

    /// A run called `name` with `epochs`.
    public init(name: String, epochs: [EpochRecord]) { (self.name, self.epochs) = (name, epochs) }

    /// A stored run with its epochs, named "run ID · MODEL · DATASET".
    public init(_ run: RunRecord, epochs: [EpochRecord]) {
        self.init(name: "run \(run.id) · \(run.model) · \(run.dataset)", epochs: epochs)
    }
}

/// One tuning trial's outcome, as plotted and tabulated.
public struct TrialScore: Sendable, Equatable {
    /// 1-based trial number.
    public var trial: Int
    /// The trial's best validation score.
    public var score: Double
    /// Epochs the trial trained before finishing or being pruned.
    public var epochs: Int
    /// Whether successive halving stopped the trial early.
    public var pruned: Bool
    /// The sampled settings, e.g. "lr=0.0012 batch=64".
    public var settings: String

    /// A trial outcome.
    public init(trial: Int, score: Double, epochs: Int, pruned: Bool, settings: String) {
        self.trial = trial
        self.score = score
        self.epochs = epochs
        self.pruned = pruned
        self.settings = settings
    }
}
