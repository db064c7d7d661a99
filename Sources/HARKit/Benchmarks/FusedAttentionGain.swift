import Foundation
import Torch

/// What the fused spatial-attention kernel gives training: one model trains on random windows of a dataset's shape,
/// alternating an epoch with its `sa` stages fused and one layer by layer (`Module.setFusedSpatialAttention`; the
/// order flips every pair so both see the same machine load). Robust on a busy machine where separate processes are
/// not: each pair's ratio compares two neighbouring epochs of the same trainer.
public struct FusedAttentionGain: Sendable {
    /// The model spec and shape measured.
    public var model: String
    public var shape: String
    /// Whether the epochs ran under bfloat16 autocast.
    public var bf16: Bool
    /// Wall-clock seconds of the fused and of the layer-by-layer epochs, pair by pair (the warm-up epochs left out).
    public var fused: [Double]
    public var layered: [Double]

    /// Trains `pairs` pairs of epochs of `model` on `settings.samples` random windows of `shape`, after one warm-up
    /// epoch each way.
    /// - Throws: spec, dataset or libtorch errors.
    public static func measure(model specText: String, shape: BenchmarkShape, settings: TrainingBenchmark.Settings,
                               pairs: Int) throws -> FusedAttentionGain {
        try Runtime.setThreads(settings.threads)
        let dataset = try TrainingBenchmark.randomDataset(shape: shape, samples: settings.samples)
        Runtime.manualSeed(0)
        let model = try ModelFactory.make(try ModelSpec(specText), input: shape.input)
        let trainer = try Trainer(model: model, dataset: dataset, config: TrainingBenchmark.trainingConfig(settings))
        var result = FusedAttentionGain(model: specText, shape: shape.name, bf16: settings.bf16, fused: [], layered: [])
        for pair in -1..<pairs {
            for fused in pair % 2 == 0 ? [true, false] : [false, true] {
                model.setFusedSpatialAttention(fused)
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try trainer.train(epochs: 1)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                guard pair >= 0 else { continue }
                if fused { result.fused.append(seconds) } else { result.layered.append(seconds) }
            }
        }
        return result
    }

    /// The median of the pairs' layer-by-layer ÷ fused epoch times: above 1 when the fused kernel trains faster.
    public var speedup: Double {
        median(zip(layered, fused).map { $0 / $1 })
    }

    /// One JSON line: the median epoch seconds each way and the median pairwise speed-up.
    public var jsonLine: String {
        func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
        return "{\"bench\":\"fused attention\",\"model\":\"\(model)\",\"dataset\":\"\(shape)\",\"bf16\":\(bf16),\"pairs\":\(fused.count),"
            + "\"epoch_s_fused\":\(round(median(fused))),\"epoch_s_unfused\":\(round(median(layered))),\"speedup\":\(round(speedup))}"
    }
}
