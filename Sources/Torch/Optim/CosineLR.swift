import Foundation

/// Cosine annealing from `base` to `minimum` over `epochs` epochs (PyTorch's `CosineAnnealingLR` closed form with
/// `T_max = epochs`, `eta_min = minimum`); after `epochs` it stays at `minimum` instead of rising again.
public struct CosineLR: LRSchedule, Equatable {
    /// The rate of epoch 0.
    public let base: Double
    /// The epoch at which the rate reaches `minimum`.
    public let epochs: Int
    /// The final rate.
    public let minimum: Double

    /// A schedule annealing `base` to `minimum` over `epochs`.
    /// - Throws: `TorchError` when `epochs` is not positive.
    public init(base: Double, epochs: Int, minimum: Double = 0) throws {
        guard epochs > 0 else { throw TorchError("CosineLR: epochs must be positive, got \(epochs)") }
        (self.base, self.epochs, self.minimum) = (base, epochs, minimum)
    }

    /// The learning rate for epoch `epoch` (counted from 0).
    public func learningRate(atEpoch epoch: Int) -> Double {
        let progress = Double(min(max(epoch, 0), epochs)) / Double(epochs)
        return minimum + (base - minimum) * (1 + cos(Double.pi * progress)) / 2
    }
}
