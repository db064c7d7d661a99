/// One trial of a hyperparameter search: its sampled settings, curve, score and fate.
public struct TuningTrial: Sendable {
    /// Where a trial stands.
    public enum Status: Sendable, Equatable, CustomStringConvertible {
        /// Still in the search.
        case running
        /// Stopped by successive halving after this many epochs.
        case pruned(afterEpochs: Int)
        /// Trained for the whole budget.
        case finished
        /// Could not be built or trained (the message says why).
        case failed(String)
        /// Still in the search when it was stopped.
        case cancelled

        public var description: String {
            switch self {
            case .running: return "running"
            case .pruned(let epochs): return "pruned after \(counted(epochs, "epoch"))"
            case .finished: return "finished"
            case .failed(let message): return "failed: \(message)"
            case .cancelled: return "cancelled"
            }
        }
    }

    /// 1-based trial number.
    public let index: Int
    /// The sampled values by key, as written in the search space.
    public let settings: [String: String]
    /// The settings as text in the search space's key order, e.g. "lr=0.001 batch=64".
    public let settingsText: String
    /// The training settings of the trial.
    public let config: TrainingConfig
    /// The model spec of the trial (model options from the search applied).
    public let spec: ModelSpec
    /// The epochs trained so far.
    public internal(set) var history: [EpochRecord] = []
    /// The best validation macro F1 so far (NaN before any epoch or without validation).
    public internal(set) var score = Double.nan
    /// Where the trial stands.
    public internal(set) var status = Status.running
    /// The trial's run in the run store, when recorded.
    public internal(set) var runID: Int64?

    /// The trial's outcome for plots and tables.
    public var summary: TrialScore {
        TrialScore(trial: index, score: score, epochs: history.count, pruned: { if case .pruned = status { return true } else { return false } }(),
                   settings: settingsText)
    }
}
