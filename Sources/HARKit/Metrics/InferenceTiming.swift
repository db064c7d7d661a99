import Foundation
import Torch

/// Inference speed of a model: batch-1 latency percentiles after warm-up, and large-batch throughput.
public struct InferenceTiming: Sendable, Equatable, Codable {
    /// Median batch-1 latency in milliseconds.
    public let latencyP50: Double
    /// 95th-percentile batch-1 latency in milliseconds.
    public let latencyP95: Double
    /// Mean batch-1 latency in milliseconds (the PyTorch peer benchmark's figure).
    public let latencyMean: Double
    /// Windows per second at `batch`.
    public let throughput: Double
    /// The batch size of the throughput measurement.
    public let batch: Int

    /// Measures `model` on random windows of its input shape (inference mode, evaluation mode).
    /// - Parameters:
    ///   - repetitions: timed batch-1 calls (after 3 warm-up calls).
    ///   - batch: windows per throughput call.
    public static func measure(_ model: any HARModel, repetitions: Int = 50, batch: Int = 512) throws -> InferenceTiming {
        let shape = model.inputShape
        return try model.evaluating {
            let one = try Tensor.randn([1, 1, shape.time, shape.channels])
            let many = try Tensor.randn([batch, 1, shape.time, shape.channels])
            for _ in 0..<3 { _ = try model(one) }
            _ = try model(many)
            var samples: [Double] = []
            for _ in 0..<max(1, repetitions) {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try model(one)
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            samples.sort()
            let rounds = max(1, repetitions / 10)
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<rounds { _ = try model(many) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return InferenceTiming(latencyP50: percentile(samples, 0.5), latencyP95: percentile(samples, 0.95), latencyMean: samples.reduce(0, +) / Double(samples.count),
                                   throughput: Double(batch * rounds) / seconds, batch: batch)
        }
    }
}

/// The `q`-quantile of sorted values by linear interpolation (NumPy's default).
func percentile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let position = q * Double(sorted.count - 1)
    let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
    return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
}
