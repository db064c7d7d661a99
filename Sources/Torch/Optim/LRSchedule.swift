/// A learning rate as a function of the epoch; the trainer sets `optimizer.learningRate` from it before each epoch.
public protocol LRSchedule: Sendable {
    /// The learning rate for epoch `epoch` (counted from 0).
    func learningRate(atEpoch epoch: Int) -> Double
}

extension LRSchedule {
    /// Sets `optimizer`'s learning rate to this schedule's value for `epoch`.
    public func apply(to optimizer: any Optimizer, epoch: Int) {
        optimizer.learningRate = learningRate(atEpoch: epoch)
    }
}
