import Foundation
import HARKit

/// Everything a user can change in one `har` session. A command either succeeds and updates it,
/// or throws and leaves it exactly as it was (the interpreter restores the value it started from).
///
/// Models and trainers are objects that `train` changes in place: a `train` that fails half-way keeps
/// the epochs it finished (as Ctrl-C does), everything else is restored.
public struct Session {
    /// The training settings `set` and `show` work on.
    public var config = TrainingConfig()
    /// Every top-level command given in this session, in order.
    public var history: [HistoryEntry] = []
    /// The script each successful replayable command is appended to (`record FILE`), if any.
    public var recording: URL?
    /// Every dataset loaded in this session, by `load` words (name and options), for instant reloads.
    public var datasets: [String: HARDataset] = [:]
    /// The current dataset, if any.
    public var dataset: HARDataset?
    /// The on-the-fly augmentation of training batches (`augment`), if any.
    public var augmentation: AugmentationPipeline?
    /// The current model (built by `model SPEC` for the current dataset's shape), if any.
    public var model: (any HARModel)?
    /// The trainer holding the optimizer state of the current model on the current dataset; made by the
    /// first `train` and dropped when the model or dataset changes.
    public var trainer: Trainer?
    /// The runs of this session, oldest first; the last one is the current model's while it trains and evaluates.
    public var runs: [SessionRun] = []
    /// The latest `eval` of the current model on the current dataset (predictions included), if any.
    public var lastEvaluation: Evaluator.Result?

    /// A fresh session with the reference recipe.
    public init() {}

    /// Forgets the current model with its trainer and evaluation (the runs stay).
    public mutating func dropModel() {
        model = nil
        trainer = nil
        lastEvaluation = nil
    }

    /// The run of the current model, if it has trained.
    public var currentRun: SessionRun? {
        guard let model, let last = runs.last, last.modelIdentity == ObjectIdentifier(model) else { return nil }
        return last
    }
}
