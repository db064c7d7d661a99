import HARKit

/// Every model the session evaluates belongs to a run: a model that `tune` or `load model` made current becomes the
/// session's current run, tied to its run in the store when it has one (a search's best trial, the run whose
/// checkpoint was loaded).
extension Interpreter {
    /// Makes the current model (`session.model`, trained on `dataset` with `config` over `epochs`) the session's
    /// current run, recorded in the store as run `storeID` (nil: in no store run), labelled `label` (what made it).
    func adoptCurrentModel(dataset: String, config: TrainingConfig, epochs: [EpochRecord], storeID: Int64?, label: String) {
        guard let model = session.model else { return }
        var run = SessionRun(id: session.runs.count + 1, dataset: dataset, model: model.spec.description, config: config,
                             trainedModel: model)
        run.epochs = epochs
        run.storeID = storeID
        run.label = label
        run.augmentation = session.augmentation?.description
        run.record(RunSettings(fromEpoch: 1, config: config, augmentation: run.augmentation))
        session.runs.append(run)
    }

    /// Why an `eval` of the current model is recorded nowhere, or nil when it is recorded (in the session's
    /// current run, and in the store when that run is there).
    var unrecordedEvaluationReason: String? {
        guard let run = session.currentRun else {
            return "not recorded: the current model belongs to no run ('train' makes one; a checkpoint saved from a recorded run is that run again)"
        }
        guard runStore != nil, run.storeID == nil else { return nil }
        return "recorded in session run #\(run.id) only: it is not in the run store (\(run.label ?? "its recording failed"))"
    }
}
