import Foundation
import Torch

extension DataParallel {
    /// Evaluates `split` with every rank taking a contiguous share of its windows (in dataset order, split as the
    /// training batches are), then gathers the shares: every rank gets the metrics and loss of the whole split,
    /// the same metrics as one process evaluating it alone, and the loss up to float32 summation order (each batch's
    /// cross-entropy is summed in float32, and the shares cut other batches).
    /// - Throws: `DatasetError` when the split is empty; `DistributedError` when a rank fails meanwhile.
    func evaluate(_ model: any HARModel, on dataset: HARDataset, split: DatasetSplit) throws -> (loss: Double, metrics: ClassificationMetrics) {
        let indices = dataset.indices(in: split)
        guard !indices.isEmpty else { throw DatasetError("the \(split.rawValue) split is empty") }
        let base = indices.count / worldSize, extra = indices.count % worldSize
        let start = rank * base + min(rank, extra), length = base + (rank < extra ? 1 : 0)
        var labels: [Int] = [], predictions: [Int] = [], lossSum = 0.0
        if length > 0 {
            // The same dataset with only this rank's share in `split` (the windows are shared, not copied).
            var shard = dataset
            let mine = Set(indices[start..<(start + length)])
            shard.splits = dataset.splits.enumerated().map { index, value in
                value != split || mine.contains(index) ? value : (split == .train ? .test : .train)
            }
            let result = try Evaluator(model: model, dataset: shard).evaluate(split: split)
            (labels, predictions, lossSum) = (result.labels, result.predictions, result.loss * Double(length))
        }
        // Every rank's share, padded to the largest (base + 1), gathered in rank order: dataset order again.
        let width = base + (extra > 0 ? 1 : 0)
        func padded(_ values: [Int]) -> [Int64] { values.map(Int64.init) + Array(repeating: -1, count: width - values.count) }
        let mine = try Tensor(padded(labels) + padded(predictions) + [Int64(length)])
        let all = try collective("gathering the \(split.rawValue) evaluation") { try group.allGather(mine) }
        let rows = try all.scalars(as: Int64.self).map { Int($0) }
        let losses = try Tensor([lossSum])
        try collective("summing the \(split.rawValue) loss") { try group.allReduceSum(losses) }
        var allLabels: [Int] = [], allPredictions: [Int] = []
        let rowWidth = 2 * width + 1
        for r in 0..<worldSize {
            let row = Array(rows[(r * rowWidth)..<((r + 1) * rowWidth)])
            let count = row[2 * width]
            allLabels += row[0..<count]
            allPredictions += row[width..<(width + count)]
        }
        let metrics = ClassificationMetrics(labels: allLabels, predictions: allPredictions, classNames: dataset.classNames)
        return (try losses.item() / Double(indices.count), metrics)
    }
}
