import Foundation
import Torch

/// Runs a model over a split without gradients: predictions, loss and metrics.
public struct Evaluator {
    /// The model evaluated (switched to evaluation mode while running, then back).
    public let model: any HARModel
    /// The data it is evaluated on.
    public let dataset: HARDataset
    /// Windows per forward pass.
    public var batchSize = 512
    /// Called after each batch with the batches done and the batches in all (a progress bar).
    public var progress: ((_ done: Int, _ total: Int) -> Void)?
    /// Polled before each batch; when it says yes the evaluation stops there and throws `EvaluationStopped`.
    public var shouldStop: () -> Bool = { false }

    /// An evaluator of `model` on `dataset`.
    public init(model: any HARModel, dataset: HARDataset) { (self.model, self.dataset) = (model, dataset) }

    /// The outcome of evaluating one split.
    public struct Result {
        /// Which split.
        public let split: DatasetSplit
        /// Mean cross-entropy.
        public let loss: Double
        /// Accuracy, P/R/F1, confusion.
        public let metrics: ClassificationMetrics
        /// Predicted class per window, in the split's order.
        public let predictions: [Int]
        /// True class per window.
        public let labels: [Int]
        /// The dataset indices of the windows.
        public let indices: [Int]
    }

    /// Evaluates `split`.
    /// - Throws: `DatasetError` when the split is empty, `TorchError` when a forward pass fails, `EvaluationStopped`
    ///   when `shouldStop` said yes.
    public func evaluate(split: DatasetSplit) throws -> Result {
        let batcher = try Batcher(dataset: dataset, split: split, batchSize: batchSize, shuffle: false, seed: 0, augmentation: nil)
        var predictions: [Int] = [], labels: [Int] = [], indices: [Int] = [], lossSum = 0.0
        try model.evaluating {
            let order = batcher.order(epoch: 0), total = batcher.batchCount
            for number in 0..<total {
                if shouldStop() { throw EvaluationStopped(split: split, batchesDone: number, batches: total) }
                let batch = try batcher.batch(number, of: order, epoch: 0)
                let logits = try model(batch.x.converted(to: model.dtype)).converted(to: .float32)
                lossSum += try Functional.crossEntropy(logits: logits, labels: batch.labels, reduction: .sum).item()
                predictions += try logits.argmax(alongAxis: 1).scalars(as: Int64.self).map { Int($0) }
                labels += try batch.labels.scalars(as: Int64.self).map { Int($0) }
                indices += batch.indices
                progress?(number + 1, total)
            }
        }
        guard !indices.isEmpty else { throw DatasetError("the \(split.rawValue) split is empty") }
        let metrics = ClassificationMetrics(labels: labels, predictions: predictions, classNames: dataset.classNames)
        return Result(split: split, loss: lossSum / Double(indices.count), metrics: metrics, predictions: predictions, labels: labels, indices: indices)
    }
}
