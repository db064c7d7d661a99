import Foundation
import HARKit

/// Everything a user can change in one `har` session. A command either succeeds and updates it,
/// or throws and leaves it as it was (the interpreter puts back the value it started from; the history
/// gains the failed line).
///
/// Models and trainers are objects that `train` changes in place: when a `train` fails part-way, the
/// trainer returns the model's weights, the optimizer's state and its epoch history to where the command
/// found them (Ctrl-C is not a failure: the epochs finished before it stay). Files and the run store are
/// outside the session and keep what they were given.
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
    /// The latest `replay` (its title names the model and what was replayed), which `plot timeline` and `report` draw.
    public var lastReplay: ReplaySummary?
    /// The model `model SPEC` built with fresh weights (nil after other ways of getting a model: `load model`, `tune`).
    public var builtModel: ObjectIdentifier?
    /// The trained weights the current model started from (`model from`); nil for fresh weights or a loaded model.
    public var modelSource: ModelSource?
    // workers
    /// How the current dataset was loaded, for the workers of `set workers N` (nil when no `load` gave it).
    public var datasetSource: DatasetSource?

    /// A fresh session with the reference recipe.
    public init() {}

    /// Forgets the current model with its trainer and evaluation (the runs stay).
    public mutating func dropModel() {
        model = nil
        modelSource = nil
        trainer = nil
        lastEvaluation = nil
    }

    /// Whether the current model still has the weights `model SPEC` gave it: built here and no epoch of it trained.
    public var modelIsUntrained: Bool {
        guard let model, builtModel == ObjectIdentifier(model) else { return false }
        return currentRun?.epochs.isEmpty ?? true
    }

    /// The successful replayable commands so far, as script lines: running them in a fresh session recreates this one.
    public var replayableHistory: [String] { history.filter { $0.succeeded && $0.replayable }.map(\.command) }

    /// The run of the current model, if it has trained.
    public var currentRun: SessionRun? {
        guard let model, let last = runs.last, last.trainedModel === model else { return nil }
        return last
    }
}
