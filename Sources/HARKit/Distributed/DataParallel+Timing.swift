import Foundation
import Torch

extension DataParallel {
    /// The seconds of `repetitions` gradient all-reduces of `parameters` (the flattened buffer a training step sums,
    /// with its five tallies) run back to back once a barrier has put the ranks in step: the transfer's own cost,
    /// without a slower rank's compute. Every rank must call it with the same count. The gradients are left summed
    /// `repetitions` times: call it after training, not between steps.
    /// - Throws: `DistributedError` when a rank fails or does not answer within the launch's timeout.
    func timeGradientReduction(of parameters: [Tensor], repetitions: Int) throws -> [Double] {
        try collective("waiting for the other ranks before timing the all-reduce") { try group.barrier() }
        return try (0..<repetitions).map { repetition in
            var values = [Double](repeating: 0, count: StepTally().values.count)
            let started = DispatchTime.now().uptimeNanoseconds
            try collective("timing the gradient all-reduce (\(repetition + 1) of \(repetitions))") {
                try group.sumGradients(of: parameters, scale: 1, values: &values)
            }
            return Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        }
    }
}
