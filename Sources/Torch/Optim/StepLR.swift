import Foundation

/// The base rate multiplied by `gamma` every `stepSize` epochs (PyTorch's `StepLR`).
public struct StepLR: LRSchedule, Equatable {
    /// The rate of epoch 0.
    public let base: Double
    /// Epochs between decays.
    public let stepSize: Int
    /// The factor applied at each decay.
    public let gamma: Double

    /// A schedule decaying `base` by `gamma` every `stepSize` epochs.
    /// - Throws: `TorchError` when `stepSize` is not positive.
    public init(base: Double, stepSize: Int, gamma: Double = 0.1) throws {
        guard stepSize > 0 else { throw TorchError("StepLR: step size must be positive, got \(stepSize)") }
        (self.base, self.stepSize, self.gamma) = (base, stepSize, gamma)
    }

    /// The learning rate for epoch `epoch` (counted from 0).
    public func learningRate(atEpoch epoch: Int) -> Double {
        base * pow(gamma, Double(max(epoch, 0) / stepSize))
    }
}
