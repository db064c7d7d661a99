import Foundation
import Torch

/// Random search with successive-halving pruning on validation macro F1.
///
/// No trial is pruned before `gracePeriod` epochs (ASHA's and Hyperband's minimum resource): a network with batch
/// norm scores at chance on validation after one short epoch, because its running statistics still lag its weights
/// (the PyTorch reference does the same: `sa` on the synthetic set, 16 batches, is at 16.7% on its own training windows
/// in eval mode after epoch 1, at 74% in train mode), so a first-epoch score is noise to prune on.
/// Every trial trains for the first rung's epochs; the best third (`reduction`) continue to the next rung, and so on
/// until the budget; each rung continues the trial's training where it stopped (a `train` call of the rung's extra
/// epochs). Given the seed, the sampled settings, the models and therefore the scores are the same on every run.
public struct Tuner {
    /// What is varied.
    public var space: SearchSpace
    /// Trials sampled.
    public var trials: Int
    /// Epochs a trial that survives every rung trains.
    public var epochs: Int
    /// The fraction kept at each rung is 1/`reduction`.
    public var reduction = 3
    /// Epochs every trial trains before any is pruned (capped at `epochs`).
    public var gracePeriod = 2

    /// A search of `trials` trials over `space` with a budget of `epochs` epochs per trial.
    /// - Throws: `TuningError` when `trials` or `epochs` is below 1.
    public init(space: SearchSpace, trials: Int, epochs: Int) throws {
        guard trials >= 1 else { throw TuningError("trials must be at least 1, got \(trials)") }
        guard epochs >= 1 else { throw TuningError("epochs must be at least 1, got \(epochs)") }
        (self.space, self.trials, self.epochs) = (space, trials, epochs)
    }

    /// Cumulative epochs at the end of each rung, e.g. [3, 10] for 10 epochs, reduction 3 and a grace period of 2
    /// (the rung at 1 epoch falls inside the grace period).
    public var rungs: [Int] {
        var budgets = [epochs]
        while budgets[0] / reduction >= max(1, gracePeriod), budgets.count < 8 { budgets.insert(budgets[0] / reduction, at: 0) }
        return budgets
    }

    /// The epochs the search trains in all when no trial fails or stops early: every rung trains the trials it keeps
    /// from the previous rung's budget up to its own (a third of them, rounded up, survive each rung).
    public var plannedEpochs: Int {
        var (alive, trained, total) = (trials, 0, 0)
        let budgets = rungs
        for (rung, budget) in budgets.enumerated() {
            total += alive * (budget - trained)
            trained = budget
            if rung < budgets.count - 1 { alive = max(1, (alive + reduction - 1) / reduction) }
        }
        return total
    }

    /// Runs the search on `dataset` from `spec` and `config` (the settings not searched).
    /// - Parameters:
    ///   - recording: where the search is recorded as one result (kind `tune`; its figures are its best trial's,
    ///     evaluated once on the test split, and its label names that trial) and every trial as a member of it
    ///     (kind `trial`, label "tune trial I/N"), epoch by epoch.
    ///   - progress: called whenever a trial has trained a rung or been pruned.
    ///   - events: every training event of every trial, with the trial's 1-based number (for a progress bar).
    ///   - shouldStop: polled between batches; the search then ends with the trials so far.
    ///   - job: the distributed job this rank belongs to, if any: every rank calls `run` alike, and the trials are
    ///     shared out between the ranks, each trained on one rank alone (see `searchAcrossRanks`).
    /// - Throws: `TuningError` when the dataset has no validation windows or a setting cannot be applied (a run store
    ///   that fails is reported through `recording`, never thrown); in a job, `DistributedError` when a rank died.
    public func run(dataset: HARDataset, spec: ModelSpec, config: TrainingConfig, recording: RunRecording = .none,
                    progress: ((TuningTrial) -> Void)? = nil, events: ((_ trial: Int, TrainingEvent) -> Void)? = nil,
                    shouldStop: @escaping () -> Bool = { false }, job: DataParallel? = nil) throws -> TuningResult {
        guard !dataset.indices(in: .validation).isEmpty else {
            throw TuningError("tuning scores trials on validation windows, and dataset '\(dataset.name)' has none (set val above 0 and load again)")
        }
        var generator = SeededGenerator(seed: config.seed, stream: 0x7475_6E65)
        var all: [TuningTrial] = []
        for index in 1...trials {
            let settings = space.sample(using: &generator)
            let (trialConfig, trialSpec) = try Tuner.apply(settings, to: config, spec: spec)
            let text = space.parameters.map { "\($0.key)=\(settings[$0.key]!)" }.joined(separator: " ")
            all.append(TuningTrial(index: index, settings: settings, settingsText: text, config: trialConfig, spec: trialSpec))
        }
        let input = InputShape(time: dataset.windowLength, channels: dataset.channelCount, classes: dataset.classNames.count)
        // Every rank checks that the others search over the same data, model and settings before any trial.
        try job?.agree(on: .training(dataset: dataset, model: spec, config: config))
        let whole = recording.begin(RunStart(dataset: dataset, model: spec, config: config,
                                             label: "tune \(trials) trials over \(space.parameters.map(\.key).joined(separator: ", "))",
                                             kind: .tune))
        do {
            if let job {
                return try searchAcrossRanks(all, dataset: dataset, input: input, recording: recording, whole: whole, job: job,
                                             progress: progress, events: events, shouldStop: shouldStop)
            }
            return try search(all, dataset: dataset, input: input, recording: recording, whole: whole, progress: progress, events: events,
                              shouldStop: shouldStop)
        } catch {
            whole.end(RunEnd(status: .failed, message: "\(error)", trainSeconds: whole.trainSeconds))
            throw error
        }
    }

    /// Trains the sampled trials rung by rung, pruning the weaker ones, and records the best as the whole result.
    private func search(_ sampled: [TuningTrial], dataset: HARDataset, input: InputShape, recording: RunRecording, whole: RunRecorder,
                        progress: ((TuningTrial) -> Void)?, events: ((_ trial: Int, TrainingEvent) -> Void)?,
                        shouldStop: @escaping () -> Bool) throws -> TuningResult {
        var all = sampled
        var trainers: [Int: Trainer] = [:]
        var recorders: [RunRecorder] = []
        for i in all.indices {
            do {
                Runtime.manualSeed(all[i].config.seed)
                let model = try ModelFactory.make(all[i].spec, input: input)
                trainers[i] = try Trainer(model: model, dataset: dataset, config: all[i].config)
            } catch {
                all[i].status = .failed("\(error)")
            }
            let start = RunStart(dataset: dataset, model: all[i].spec, config: all[i].config, label: "tune trial \(all[i].index)/\(trials): \(all[i].settingsText)", kind: .trial, groupID: whole.runID)
            recorders.append(recording.begin(start))
            all[i].runID = recorders[i].runID
            if case .failed(let message) = all[i].status {
                recorders[i].end(RunEnd(status: .failed, message: message, trainSeconds: 0))
            }
        }
        var alive = all.indices.filter { trainers[$0] != nil }
        var trained = 0, cancelled = false
        let budgets = rungs
        rungLoop: for (rung, budget) in budgets.enumerated() {
            for i in alive {
                let trial = all[i].index
                let outcome = try recorders[i].train(trainers[i]!, epochs: budget - trained,
                                                     events: events.map { events in { events(trial, $0) } }, shouldStop: shouldStop)
                all[i].history += outcome.records
                all[i].score = all[i].history.compactMap(\.validationMacroF1).max() ?? .nan
                switch outcome.reason {
                case .cancelled:
                    cancelled = true
                    break rungLoop
                case .diverged(let message):
                    all[i].status = .failed(message)
                    recorders[i].end(after: outcome)
                case .completed, .earlyStopped:
                    if rung == budgets.count - 1 { all[i].status = .finished }
                }
                progress?(all[i])
            }
            trained = budget
            alive = alive.filter { all[$0].status == .running || all[$0].status == .finished }
            guard rung < budgets.count - 1 else { break }
            alive = promote(alive, of: &all, afterEpochs: trained, recorders: recorders, progress: progress)
            trainers = trainers.filter { alive.contains($0.key) }
        }
        return try conclude(&all, alive: alive, cancelled: cancelled, dataset: dataset, recorders: recorders, whole: whole) { trainers[$0] }
    }

    /// The trials of `alive` that go on to the next rung, in trial order: the best 1/`reduction` by validation score
    /// (at least one; ties to the earlier trial). The others are marked pruned, their runs ended, `progress` told.
    func promote(_ alive: [Int], of all: inout [TuningTrial], afterEpochs trained: Int, recorders: [RunRecorder],
                 progress: ((TuningTrial) -> Void)?) -> [Int] {
        let keep = max(1, (alive.count + reduction - 1) / reduction)
        let ranked = alive.sorted { a, b in
            let (x, y) = (all[a].score.isNaN ? -Double.infinity : all[a].score, all[b].score.isNaN ? -Double.infinity : all[b].score)
            return x != y ? x > y : a < b
        }
        for i in ranked.dropFirst(keep) {
            all[i].status = .pruned(afterEpochs: trained)
            recorders[i].end(RunEnd(status: .stoppedEarly, message: "pruned by successive halving after \(trained) epochs (val F1 \(SearchSpace.format(all[i].score)))",
                                    trainSeconds: recorders[i].trainSeconds))
            progress?(all[i])
        }
        return Array(ranked.prefix(keep)).sorted()
    }

    /// Ends the search: the surviving trials' runs end finished (or cancelled when it was stopped), the best finished
    /// trial is tested once on the test split with the trainer `trainer` gives for it, and the whole run is labelled
    /// and ended.
    /// - Throws: errors of the best trial's evaluation, or of `trainer`.
    func conclude(_ all: inout [TuningTrial], alive: [Int], cancelled: Bool, dataset: HARDataset, recorders: [RunRecorder],
                  whole: RunRecorder, trainer: (Int) throws -> Trainer?) throws -> TuningResult {
        for i in alive {
            if all[i].status == .finished {
                recorders[i].end(RunEnd(status: .finished, trainSeconds: recorders[i].trainSeconds))
            } else {
                all[i].status = .cancelled
                recorders[i].end(RunEnd(status: .cancelled, message: "the search was stopped", trainSeconds: recorders[i].trainSeconds))
            }
        }
        let finished = all.indices.filter { all[$0].status == .finished }
        let bestIndex = finished.max { a, b in
            let (x, y) = (all[a].score.isNaN ? -Double.infinity : all[a].score, all[b].score.isNaN ? -Double.infinity : all[b].score)
            return x != y ? x < y : a > b
        }
        whole.trainSeconds = recorders.reduce(0) { $0 + $1.trainSeconds }
        var testMetrics: ClassificationMetrics?
        let bestTrainer = try bestIndex.flatMap(trainer)
        if let bestIndex, let trainer = bestTrainer {
            let metrics = try Evaluator(model: trainer.model, dataset: dataset).evaluate(split: .test).metrics
            recorders[bestIndex].evaluated(metrics)
            whole.evaluated(metrics)
            whole.labelled("tune \(trials) trials: best trial \(all[bestIndex].index) \(all[bestIndex].settingsText) "
                           + "(val F1 \(SearchSpace.format(all[bestIndex].score)))")
            testMetrics = metrics
        }
        whole.end(RunEnd(status: cancelled ? .cancelled : .finished, message: cancelled ? "the search was stopped" : nil,
                         trainSeconds: whole.trainSeconds))
        return TuningResult(trials: all, best: bestIndex.map { all[$0] }, bestTrainer: bestTrainer, cancelled: cancelled,
                            runID: whole.runID, bestTestMetrics: testMetrics)
    }

    /// `config` and `spec` with the sampled `values` applied (training settings by their `set` names, model options by theirs).
    /// - Throws: `TuningError` for a value a setting does not accept.
    static func apply(_ values: [String: String], to config: TrainingConfig, spec: ModelSpec) throws -> (TrainingConfig, ModelSpec) {
        var config = config
        var options = spec.options.mapValues { "\($0)" }
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            func number() throws -> Double {
                guard let number = Double(value) else { throw TuningError("'\(key)' needs a number, got '\(value)'") }
                return number
            }
            switch key {
            case "lr": config.learningRate = try number()
            case "batch": config.batchSize = Int(try number())
            case "wd": config.weightDecay = try number()
            case "l1": config.l1 = try number()
            case "l2": config.l2 = try number()
            case "dropout":
                config.dropout = try number()
                options["dropout"] = value
            case "gamma": config.gamma = try number()
            case "momentum": config.momentum = try number()
            case "clip": config.clipNorm = try number()
            case "step": config.stepSize = Int(try number())
            case "patience": config.patience = Int(try number())
            case "smoothing": config.labelSmoothing = try number()
            case "optimizer":
                guard let kind = TrainingConfig.OptimizerKind(rawValue: value) else {
                    throw TuningError("unknown optimizer '\(value)' (valid: \(TrainingConfig.OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                config.optimizer = kind
            case "schedule":
                guard let kind = TrainingConfig.ScheduleKind(rawValue: value) else {
                    throw TuningError("unknown schedule '\(value)' (valid: \(TrainingConfig.ScheduleKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                config.schedule = kind
            default: options[key] = value
            }
        }
        guard config.batchSize >= 1 else { throw TuningError("batch must be at least 1, got \(config.batchSize)") }
        do {
            return (config, try ModelSpec(spec.name, options: options))
        } catch {
            throw TuningError("the sampled model options do not fit '\(spec.name)': \(error)")
        }
    }
}
