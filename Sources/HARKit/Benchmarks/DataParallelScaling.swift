import Foundation
import Torch

/// What data parallelism gives training on one machine (`har-bench --scaling`): one model trains on random windows of
/// a dataset's shape, either in this process alone or as one rank of a data-parallel job (the launch variables set),
/// with the global batch `settings.batch` in both. Rank 0's figures: windows/s of the epoch loops (after one warm-up
/// epoch), the time per step inside the gradient all-reduce of the epochs (waiting for the slower rank included), and
/// the all-reduce of the same gradients alone, repeated once the ranks are in step (the transfer's own cost).
public struct DataParallelScaling: Sendable {
    /// The model spec measured.
    public var model: String
    /// The dataset shape measured (`dsads`, `uci-har`, …).
    public var shape: String
    /// The ranks of the job (1: this process alone).
    public var ranks: Int
    /// The libtorch threads of each rank.
    public var threadsPerRank: Int
    /// The global batch (each rank trains on its share).
    public var batch: Int
    /// Training windows per second (all ranks together) of each timed epoch.
    public var windowsPerSecond: [Double]
    /// Mean wall-clock seconds per step of the timed epochs.
    public var stepSeconds: Double
    /// Mean seconds per step in the gradient all-reduce of the timed epochs (0 alone).
    public var allReduceSeconds: Double
    /// Median seconds of the gradient all-reduce repeated on its own (nil alone).
    public var bareAllReduceSeconds: Double?
    /// The model's trainable scalars.
    public var parameters: Int
    /// The bytes of its gradients (float32) that each step's all-reduce carries.
    public var gradientBytes: Int

    /// Trains `settings.epochs` timed epochs of `model` on `settings.samples` random windows of `shape` after one
    /// warm-up epoch, alone or in `parallel`'s job; then, in a job, times `repetitions` bare gradient all-reduces.
    /// - Throws: spec, dataset, libtorch or `DistributedError`s.
    public static func measure(model specText: String, shape: BenchmarkShape, settings: TrainingBenchmark.Settings,
                               parallel: DataParallel?, repetitions: Int = 20) throws -> DataParallelScaling {
        try Runtime.setThreads(settings.threads)
        let dataset = try TrainingBenchmark.randomDataset(shape: shape, samples: settings.samples)
        Runtime.manualSeed(0)
        let model = try ModelFactory.make(try ModelSpec(specText), input: shape.input)
        model.setFusedSpatialAttention(settings.fused)
        let trainer = try Trainer(model: model, dataset: dataset, config: TrainingBenchmark.trainingConfig(settings))
        trainer.dataParallel = parallel
        _ = try trainer.train(epochs: 1)
        let reducedBefore = parallel?.gradientReductionSeconds ?? 0
        var steps = 0
        let outcome = try trainer.train(epochs: settings.epochs, events: { event in
            if case .batchFinished = event { steps += 1 }
        })
        let reduced = (parallel?.gradientReductionSeconds ?? 0) - reducedBefore
        let seconds = outcome.records.reduce(0) { $0 + $1.seconds }
        let bare = try parallel.map { try median($0.timeGradientReduction(of: model.parameters, repetitions: repetitions)) }
        return DataParallelScaling(
            model: specText, shape: shape.name, ranks: parallel?.worldSize ?? 1, threadsPerRank: settings.threads,
            batch: settings.batch, windowsPerSecond: outcome.records.map(\.windowsPerSecond), stepSeconds: seconds / Double(max(1, steps)),
            allReduceSeconds: reduced / Double(max(1, steps)), bareAllReduceSeconds: bare, parameters: model.parameterCount,
            gradientBytes: model.parameters.reduce(0) { $0 + $1.count * 4 })
    }

    /// One JSON line: the median windows/s, and the per-step times in milliseconds.
    public var jsonLine: String {
        func round(_ value: Double, _ places: Double = 1000) -> Double { (value * places).rounded() / places }
        var object: [String: Any] = [
            "bench": "data parallel", "model": model, "dataset": shape, "ranks": ranks, "threads_per_rank": threadsPerRank,
            "batch": batch, "epochs": windowsPerSecond.count, "windows_per_s": round(median(windowsPerSecond), 10),
            "step_ms": round(stepSeconds * 1000), "allreduce_ms_per_step": round(allReduceSeconds * 1000),
            "parameters": parameters, "gradient_bytes": gradientBytes,
        ]
        if let bareAllReduceSeconds { object["bare_allreduce_ms"] = round(bareAllReduceSeconds * 1000) }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
