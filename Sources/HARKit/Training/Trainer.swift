import Foundation
import Torch

/// Trains one model on one dataset with the reference recipe (AdamW, StepLR, cross-entropy) and its
/// extensions: mixed precision, L1/L2 penalties, clipping, early stopping, cancellation.
///
/// The optimizer lives as long as the trainer, so `train` continues where the last call ended;
/// `apply(_:)` pushes a changed configuration into the live optimizer.
public final class Trainer {
    /// The model being trained.
    public let model: any HARModel
    /// The data it learns from.
    public let dataset: HARDataset
    /// The settings in effect; change them through `apply(_:)`.
    public private(set) var config: TrainingConfig
    /// On-the-fly augmentation of training batches.
    public var augmentation: AugmentationPipeline?
    /// The live optimizer.
    public private(set) var optimizer: any Optimizer
    /// Every finished epoch of this model, across `train` calls (restored from a checkpoint by `Checkpoint.restore(into:)`).
    public internal(set) var history: [EpochRecord] = []
    /// The data-parallel job this trainer trains in (nil: it trains alone): see `DataParallel`.
    public var dataParallel: DataParallel?
    /// The learning-rate schedule the latest `train` call ran, which `train(epochs:continuingSchedule: true)` picks up.
    private var schedule: SchedulePosition?
    // recipe
    /// The running average of the weights when `config.averagingDecay` is set (see `WeightAverage`).
    var weightAverage: WeightAverage?

    /// Where a learning-rate schedule began in `history`, over how many epochs it runs, and its StepLR period.
    private struct SchedulePosition {
        var start: Int
        var span: Int
        var stepSize: Int
    }

    /// The epochs of the latest `train` call's schedule finished so far (those of earlier calls it continued
    /// included); nil before the first `train`.
    public var scheduleEpochsDone: Int? { schedule.map { history.count - $0.start } }

    /// A trainer with a fresh optimizer for `model`.
    /// - Throws: `ModelError` when the model does not fit the dataset's windows.
    public init(model: any HARModel, dataset: HARDataset, config: TrainingConfig, augmentation: AugmentationPipeline? = nil) throws {
        let expected = InputShape(time: dataset.windowLength, channels: dataset.channelCount, classes: dataset.classNames.count)
        guard model.inputShape == expected else {
            throw ModelError("model was built for \(model.inputShape), the dataset has \(expected)")
        }
        self.model = model
        self.dataset = dataset
        self.config = config
        self.augmentation = augmentation
        optimizer = try Trainer.makeOptimizer(config, parameters: model.parameters)
    }

    /// The precision the next epoch trains in on this machine, as `config.mixedPrecision` resolves here, and why.
    public var precision: PrecisionChoice { .onThisMachine(config.mixedPrecision) }

    /// Makes `config` the one in effect: learning rate and weight decay change on the live optimizer;
    /// a different optimizer kind replaces it (its moments start afresh).
    public func apply(_ newConfig: TrainingConfig) throws {
        if newConfig.optimizer != config.optimizer || newConfig.momentum != config.momentum {
            optimizer = try Trainer.makeOptimizer(newConfig, parameters: model.parameters)
        } else {
            optimizer.learningRate = newConfig.learningRate
            if let adamW = optimizer as? AdamW { adamW.weightDecay = newConfig.weightDecay }
            if let adam = optimizer as? Adam { adam.weightDecay = newConfig.weightDecay }
            if let sgd = optimizer as? SGD { sgd.weightDecay = newConfig.weightDecay }
        }
        config = newConfig
    }

    static func makeOptimizer(_ config: TrainingConfig, parameters: [Tensor]) throws -> any Optimizer {
        switch config.optimizer {
        case .adamw: return AdamW(parameters, learningRate: config.learningRate, weightDecay: config.weightDecay)
        case .adam: return Adam(parameters, learningRate: config.learningRate, weightDecay: config.weightDecay)
        case .sgd: return try SGD(parameters, learningRate: config.learningRate, momentum: config.momentum, weightDecay: config.weightDecay)
        }
    }

    /// The learning rate of the `index`-th epoch (0-based) of a `train` call of `epochs` epochs.
    public func learningRate(epochIndex index: Int, of epochs: Int) -> Double {
        learningRate(epochIndex: index, of: epochs, stepSize: config.effectiveStepSize(epochs: epochs))
    }

    /// The learning rate of the `index`-th epoch (0-based) of a schedule over `epochs` epochs with StepLR period `stepSize`.
    private func learningRate(epochIndex index: Int, of epochs: Int, stepSize: Int) -> Double {
        let warmup = min(config.warmupEpochs ?? 0, epochs - 1)
        if index < warmup { return config.learningRate * Double(index + 1) / Double(warmup + 1) }
        let schedule: (any LRSchedule)?
        switch config.schedule {
        case .none: schedule = nil
        case .step: schedule = try? StepLR(base: config.learningRate, stepSize: stepSize, gamma: config.gamma)
        case .cosine: schedule = try? CosineLR(base: config.learningRate, epochs: epochs - warmup)
        }
        return schedule?.learningRate(atEpoch: index - warmup) ?? config.learningRate
    }

    /// Runs up to `epochs` epochs. The schedule runs over this call's epochs, starting from `config.learningRate`;
    /// with `continuingSchedule` it instead goes on from where the previous call's schedule is: StepLR keeps its
    /// period and keeps decaying, cosine spans the previous call's epochs and these (a first call starts afresh).
    /// - Parameters:
    ///   - events: called on the training thread for progress display.
    ///   - shouldStop: polled between batches; returning true ends the run after the current batch.
    /// - Returns: the epochs run and why the run ended.
    /// - Throws: `TuningError` for an epoch count below 1; `TorchError` for failures other than divergence (which ends
    ///   the run with its reason); the model's
    ///   weights, the optimizer's state and learning rate, and `history` are then as they were before the call.
    ///   `TrainingFault` when a distributed failure (a lost rank) cut a data-parallel call short after some of its
    ///   epochs finished: those stay, with the weights and optimizer state after the last of them.
    public func train(epochs: Int, continuingSchedule: Bool = false, events: ((TrainingEvent) -> Void)? = nil,
                      shouldStop: () -> Bool = { false }) throws -> TrainingOutcome {
        guard epochs >= 1 else { throw TuningError("epochs must be at least 1, got \(epochs)") }
        var batcher = try Batcher(dataset: dataset, split: .train, batchSize: config.batchSize, shuffle: true, seed: config.seed,
                                  augmentation: augmentation, dropsLoneWindow: true)
        batcher.sampler = config.sampler ?? .shuffle
        return try train(epochs: epochs, batcher: batcher, continuingSchedule: continuingSchedule, events: events, shouldStop: shouldStop)
    }

    /// `train(epochs:events:shouldStop:)` drawing its batches from `batcher` instead of the shuffled training split
    /// (the training-equivalence test feeds the reference's batches in the reference's order through it).
    func train(epochs: Int, batcher: Batcher, continuingSchedule: Bool = false, events: ((TrainingEvent) -> Void)?,
               shouldStop: () -> Bool) throws -> TrainingOutcome {
        // A call that fails changes nothing (the shell's failed command leaves the session as it was): back to
        // the weights, optimizer state, learning rate, schedule, mode and history it started from — except when a
        // lost rank cut it short (`TrainingFault`), which keeps the epochs that finished.
        let start = try TrainingSnapshot(model: model, optimizer: optimizer)
        let (startHistory, startSchedule, startRate, wasTraining) = (history, schedule, optimizer.learningRate, model.isTraining)
        let startAverage = weightAverage
        let position: SchedulePosition
        if continuingSchedule, let previous = schedule {
            let done = history.count - previous.start
            position = SchedulePosition(start: previous.start, span: done + epochs, stepSize: config.stepSize ?? previous.stepSize)
        } else {
            position = SchedulePosition(start: history.count, span: epochs, stepSize: config.effectiveStepSize(epochs: epochs))
        }
        schedule = position
        do {
            return try runEpochs(epochs, schedule: position, batcher: batcher, events: events, shouldStop: shouldStop)
        } catch let fault as TrainingFault {
            throw fault // the finished epochs stand: runEpochs is back at the state after the last
        } catch {
            try? start.restore(model: model, optimizer: optimizer)
            history = startHistory
            schedule = startSchedule
            optimizer.learningRate = startRate
            weightAverage = startAverage
            model.setTraining(wasTraining)
            throw error
        }
    }

    /// The epochs of one `train` call.
    private func runEpochs(_ epochs: Int, schedule: SchedulePosition, batcher: Batcher, events: ((TrainingEvent) -> Void)?,
                           shouldStop: () -> Bool) throws -> TrainingOutcome {
        defer { model.synchronizeBatchNorm(over: nil) } // a data-parallel train's sync_bn ends with it
        if let threads = config.threads { try Runtime.setThreads(threads) }
        if let dataParallel { try beginDataParallel(dataParallel) }
        let monitor = EarlyStopping(patience: config.patience, minDelta: config.minDelta)
        var records: [EpochRecord] = []
        for _ in 0..<epochs {
            let epoch = history.count + 1
            let started = Date()
            let lastGood = try TrainingSnapshot(model: model, optimizer: optimizer)
            let lastGoodAverage = weightAverage
            do {
                optimizer.learningRate = learningRate(epochIndex: history.count - schedule.start, of: schedule.span, stepSize: schedule.stepSize)
                Runtime.manualSeed(config.seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
                let result = try runEpoch(epoch: epoch, batcher: batcher, events: events, shouldStop: shouldStop)
                switch result {
                case .diverged(let message):
                    try lastGood.restore(model: model, optimizer: optimizer)
                    return TrainingOutcome(records: records, reason: .diverged(message), restoredEpoch: history.last?.epoch)
                case .cancelled:
                    return TrainingOutcome(records: records, reason: .cancelled, restoredEpoch: nil)
                case .finished(var record):
                    if !dataset.indices(in: .validation).isEmpty {
                        let validation = try validationScores()
                        record.validationLoss = validation.loss
                        record.validationAccuracy = validation.metrics.accuracy
                        record.validationMacroF1 = validation.metrics.f1Macro
                    }
                    record.seconds = Date().timeIntervalSince(started)
                    history.append(record)
                    records.append(record)
                    events?(.epochFinished(record))
                    if try monitor.update(score: record.validationMacroF1, epoch: epoch, model: model) {
                        try monitor.restoreBest(into: model)
                        return TrainingOutcome(records: records, reason: .earlyStopped(bestEpoch: monitor.bestEpoch ?? epoch), restoredEpoch: monitor.bestEpoch)
                    }
                }
            } catch let failure as DistributedError where dataParallel != nil {
                let named = dataParallel?.namingLostRanks(failure) ?? failure
                guard !records.isEmpty else { throw named }
                // A lost rank keeps the epochs that finished (see `TrainingFault`): back to the state after the last.
                try lastGood.restore(model: model, optimizer: optimizer)
                weightAverage = lastGoodAverage
                throw TrainingFault(cause: named, records: records, requested: epochs)
            }
        }
        var restored: Int?
        if monitor.isEnabled, let best = monitor.bestEpoch, best != history.last?.epoch {
            try monitor.restoreBest(into: model)
            restored = best
        } else {
            _ = try useAveragedWeights()
        }
        return TrainingOutcome(records: records, reason: .completed, restoredEpoch: restored)
    }
}
