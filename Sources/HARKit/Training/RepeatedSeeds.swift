import Foundation
import Torch

/// The same training repeated with several seeds, the way results should be published: each seed trains a fresh
/// model of the spec on the same split and is evaluated once on the test split; the result is the mean ± std over
/// the seeds.
public struct RepeatedSeeds {
    /// Seeds trained: the configuration's seed, then the next ones.
    public var count: Int
    /// Epochs each seed trains.
    public var epochs: Int

    /// `count` seeds of `epochs` epochs each.
    /// - Throws: `TuningError` when `count` is below 2 or `epochs` below 1.
    public init(count: Int, epochs: Int) throws {
        guard count >= 2 else { throw TuningError("repeating with seeds needs at least 2 seeds, got \(count)") }
        guard epochs >= 1 else { throw TuningError("epochs must be at least 1, got \(epochs)") }
        (self.count, self.epochs) = (count, epochs)
    }

    /// Trains and evaluates a fresh `spec` model on `dataset` for each seed `config.seed`, `config.seed + 1`, ….
    /// - Parameters:
    ///   - recording: where the repetition is recorded as one result (kind `seeds`, its figures the mean ± std over
    ///     its seeds) and each seed as a member of it (kind `seed`), epoch by epoch.
    ///   - progress: called after each seed.
    ///   - shouldStop: polled between batches; the seeds finished so far are returned.
    /// - Throws: errors of model building or training (a run store that fails is reported through `recording`).
    public func run(dataset: HARDataset, spec: ModelSpec, config: TrainingConfig, augmentation: AugmentationPipeline? = nil,
                    recording: RunRecording = .none, progress: ((RepeatedSeedsResult.Member) -> Void)? = nil,
                    shouldStop: @escaping () -> Bool = { false }) throws -> RepeatedSeedsResult {
        let seeds = (0..<count).map { config.seed &+ UInt64($0) }
        let whole = recording.begin(RunStart(dataset: dataset, model: spec, config: config, augmentation: augmentation?.description,
                                             label: "\(count) seeds (\(seeds.first!)…\(seeds.last!)), \(counted(epochs, "epoch")) each",
                                             kind: .seeds))
        var members: [RepeatedSeedsResult.Member] = []
        var cancelled = false
        do {
            for seed in seeds {
                var seeded = config
                seeded.seed = seed
                Runtime.manualSeed(seed)
                let input = InputShape(time: dataset.windowLength, channels: dataset.channelCount, classes: dataset.classNames.count)
                let trainer = try Trainer(model: try ModelFactory.make(spec, input: input), dataset: dataset, config: seeded,
                                          augmentation: augmentation)
                let recorder = recording.begin(RunStart(dataset: dataset, model: spec, config: seeded, augmentation: augmentation?.description,
                                                        label: "seed \(seed)", kind: .seed, groupID: whole.runID))
                let outcome = try recorder.train(trainer, epochs: epochs, shouldStop: shouldStop)
                whole.trainSeconds += recorder.trainSeconds
                if outcome.reason == .cancelled {
                    recorder.end(RunEnd(status: .cancelled, message: "the repetition was stopped", trainSeconds: recorder.trainSeconds))
                    cancelled = true
                    break
                }
                recorder.end(after: outcome)
                let metrics = try Evaluator(model: trainer.model, dataset: dataset).evaluate(split: .test).metrics
                recorder.evaluated(metrics)
                let member = RepeatedSeedsResult.Member(seed: seed, metrics: metrics, history: trainer.history, runID: recorder.runID)
                members.append(member)
                progress?(member)
            }
        } catch {
            whole.end(RunEnd(status: .failed, message: "seed \(seeds[members.count]) failed: \(error)", trainSeconds: whole.trainSeconds))
            throw error
        }
        let spread = members.isEmpty ? nil : ResultSpread(members.map(\.metrics))
        if let spread { whole.summarised(spread) }
        whole.end(RunEnd(status: cancelled ? .cancelled : .finished,
                         message: cancelled ? "stopped after \(members.count) of \(count) seeds" : nil, trainSeconds: whole.trainSeconds))
        return RepeatedSeedsResult(members: members, spread: spread, cancelled: cancelled, runID: whole.runID)
    }
}

/// The outcome of `RepeatedSeeds`: each seed's test figures and their mean ± std.
public struct RepeatedSeedsResult: Sendable {
    /// One seed's model.
    public struct Member: Sendable {
        /// The seed.
        public let seed: UInt64
        /// Its test metrics.
        public let metrics: ClassificationMetrics
        /// Its training epochs.
        public let history: [EpochRecord]
        /// Its run in the store, when recorded.
        public let runID: Int64?
    }

    /// The seeds trained, in order.
    public let members: [Member]
    /// Mean ± std over the members; nil when none finished.
    public let spread: ResultSpread?
    /// Whether it was stopped before every seed ran.
    public let cancelled: Bool
    /// The repetition's run in the store (the whole result), when recorded.
    public let runID: Int64?

    /// "accuracy 91.23% ± 1.50%, macro F1 0.905 ± 0.016 over 3 seeds", in the convention of `eval` and `cv`.
    public var summary: String {
        guard let spread else { return "no seed finished" }
        return "accuracy \(TableValue.percentage(spread.accuracyMean).display) ± \(TableValue.percentage(spread.accuracyStd).display), "
            + String(format: "macro F1 %.3f ± %.3f", spread.f1MacroMean, spread.f1MacroStd)
            + " over \(counted(spread.members, "seed"))"
    }
}
