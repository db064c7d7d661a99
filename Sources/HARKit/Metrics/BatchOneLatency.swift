import Foundation
import Torch

/// Batch-1 inference latency of a model as `stream`, `replay` and `eval` of one window meet it: evaluation mode,
/// inference mode, one window per call, each call timed on its own in wall time and in this process's CPU time.
/// The CPU time is what a call costs even while other processes hold the cores: on one libtorch thread it is the
/// steadier figure on a shared machine (scripts/peer_latency.py measures PyTorch the same way).
public struct BatchOneLatency: Sendable, Equatable {
    /// Median wall time of a call in milliseconds.
    public let wallP50: Double
    /// Median process CPU time of a call in milliseconds (all threads of the process).
    public let cpuP50: Double

    /// Times `repetitions` calls of `model` on one standard-normal window of its input shape, after 3 warm-up calls.
    public static func measure(_ model: any HARModel, repetitions: Int) throws -> BatchOneLatency {
        let shape = model.inputShape
        return try model.evaluating {
            let one = try Tensor.randn([1, 1, shape.time, shape.channels])
            for _ in 0..<3 { _ = try model(one) }
            var wall: [Double] = [], cpu: [Double] = []
            for _ in 0..<max(1, repetitions) {
                let (start, startCPU) = (DispatchTime.now().uptimeNanoseconds, processCPUNanoseconds())
                _ = try model(one)
                wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                cpu.append(Double(processCPUNanoseconds() - startCPU) / 1e6)
            }
            return BatchOneLatency(wallP50: percentile(wall.sorted(), 0.5), cpuP50: percentile(cpu.sorted(), 0.5))
        }
    }

    /// CPU time consumed by this process so far (every thread), in nanoseconds.
    static func processCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
