import Foundation
import Torch

/// Times harlab's own training path (Batcher → model → loss → backward → optimizer, as `train` runs it)
/// and inference on random windows of a dataset's shape, with the peer benchmark's recipe:
/// AdamW lr 5e-4, weight decay 1e-3, cross-entropy, shuffled batches, one warm-up epoch.
public enum TrainingBenchmark {
    /// The knobs shared with `peer_pytorch.py`.
    public struct Settings: Sendable {
        public var threads: Int
        public var samples: Int
        public var epochs: Int
        public var batch: Int
        public var bf16: Bool
        public var repetitions: Int
        /// Whether `sa` stems run their fused spatial-attention kernel (`har-bench --fused`, `--unfused`); nil: the
        /// default choice by dtype (`ConvStem.fusesSpatialAttention`).
        public var fused: Bool?

        /// Settings with the peer script's meaning.
        public init(threads: Int, samples: Int, epochs: Int, batch: Int, bf16: Bool, repetitions: Int) {
            (self.threads, self.samples, self.epochs, self.batch, self.bf16, self.repetitions) = (threads, samples, epochs, batch, bf16, repetitions)
        }
    }

    /// Random windows (standard normal) with random labels, all in the training split.
    static func randomDataset(shape: BenchmarkShape, samples: Int) throws -> HARDataset {
        Runtime.manualSeed(0)
        let x = try Tensor.randn([samples, shape.input.time, shape.input.channels]).scalars(as: Float.self)
        let y = try Tensor.randint(0..<shape.input.classes, shape: [samples]).scalars(as: Int64.self).map { Int($0) }
        let protocolDescription = DatasetProtocol(window: shape.input.time, overlap: 0, stride: shape.input.time, split: "all train",
                                                  normalized: false, mean: [], std: [], windowing: "random", validationFraction: 0,
                                                  seed: 0, sourcePath: "", dropped: [])
        return try HARDataset(name: "random-\(shape.name)", windows: x, labels: y, subjects: Array(repeating: 0, count: samples),
                              splits: Array(repeating: .train, count: samples), classNames: (0..<shape.input.classes).map { "c\($0)" },
                              channelNames: (0..<shape.input.channels).map { "ch\($0)" }, sampleRate: 1, windowLength: shape.input.time,
                              protocolDescription: protocolDescription)
    }

    /// The peer recipe as a `TrainingConfig`: the reference defaults (AdamW lr 5e-4, weight decay 1e-3) at a constant
    /// learning rate (the peer script has no schedule), with the settings' batch size, precision and threads.
    static func trainingConfig(_ settings: Settings) -> TrainingConfig {
        var config = TrainingConfig()
        config.batchSize = settings.batch
        config.schedule = .none
        config.mixedPrecision = settings.bf16 ? .on : .off
        config.threads = settings.threads
        return config
    }

    /// Measures one model spec on one shape.
    /// - Throws: spec, dataset or libtorch errors.
    public static func run(model specText: String, shape: BenchmarkShape, settings: Settings) throws -> BenchmarkResult {
        try Runtime.setThreads(settings.threads)
        let dataset = try randomDataset(shape: shape, samples: settings.samples)
        Runtime.manualSeed(0)
        let model = try ModelFactory.make(try ModelSpec(specText), input: shape.input)
        model.setFusedSpatialAttention(settings.fused)
        let trainer = try Trainer(model: model, dataset: dataset, config: trainingConfig(settings))
        _ = try trainer.train(epochs: 1)
        let (start, startCPU) = (DispatchTime.now().uptimeNanoseconds, BatchOneLatency.processCPUNanoseconds())
        let outcome = try trainer.train(epochs: settings.epochs)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpuSeconds = Double(BatchOneLatency.processCPUNanoseconds() - startCPU) / 1e9
        let windows = Double(settings.samples * outcome.records.count)
        // `--reps 0`: training only (the training matrix, scripts/bench_train_matrix.py), no inference timing.
        let timing = settings.repetitions > 0 ? try InferenceTiming.measure(model, repetitions: settings.repetitions, batch: 512) : nil
        let summary = try ModelSummary(of: model)
        return BenchmarkResult(tool: "harlab-\(HARKit.version)" + (settings.fused.map { $0 ? "-fused" : "-unfused" } ?? ""), model: specText, dataset: shape.name, threads: settings.threads,
                               bf16: settings.bf16, batch: settings.batch,
                               trainSamplesPerSecond: windows / seconds,
                               inferLatencyMs: timing?.latencyMean ?? 0, inferWindowsPerSecond: timing?.throughput ?? 0,
                               macsPerWindow: summary.macs, trainSamplesPerCPUSecond: windows / max(cpuSeconds, 1e-9))
    }
}
