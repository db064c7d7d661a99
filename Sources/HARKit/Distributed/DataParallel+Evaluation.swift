import Foundation
import Torch

extension DataParallel {
    /// The loss and metrics of `split`, evaluated in shares by the ranks (`evaluate(_:split:)`): the validation of a
    /// data-parallel `train`.
    /// - Throws: `DatasetError` when the split is empty; `DistributedError` when a rank fails meanwhile.
    func evaluate(_ model: any HARModel, on dataset: HARDataset, split: DatasetSplit) throws -> (loss: Double, metrics: ClassificationMetrics) {
        let result = try evaluate(Evaluator(model: model, dataset: dataset), split: split)
        return (result.loss, result.metrics)
    }

    /// What `evaluator.evaluate(split:)` gives, with every rank evaluating a contiguous share of the split's windows (in
    /// dataset order, split as the training batches are) and the shares gathered: every rank gets the whole split's
    /// predictions, labels and metrics, the same as one process evaluating it alone, and its loss up to float32
    /// summation order (each batch's cross-entropy is summed in float32, and the shares cut other batches).
    /// `evaluator`'s progress counts this rank's batches; its `shouldStop` is polled before each of them, and a stop on
    /// any rank ends the evaluation on every rank once all have finished their shares.
    /// - Throws: `DatasetError` when the split is empty; `EvaluationStopped` when this rank was asked to stop;
    ///   `DistributedError` naming the rank when another was, or when a rank fails meanwhile.
    public func evaluate(_ evaluator: Evaluator, split: DatasetSplit) throws -> Evaluator.Result {
        let dataset = evaluator.dataset
        let indices = dataset.indices(in: split)
        guard !indices.isEmpty else { throw DatasetError("the \(split.rawValue) split is empty") }
        let base = indices.count / worldSize, extra = indices.count % worldSize
        let start = rank * base + min(rank, extra), length = base + (rank < extra ? 1 : 0)
        var labels: [Int] = [], predictions: [Int] = [], lossSum = 0.0
        var stopped: EvaluationStopped?
        if length > 0 {
            // The same dataset with only this rank's share in `split` (the windows are shared, not copied).
            var shard = dataset
            let mine = Set(indices[start..<(start + length)])
            shard.splits = dataset.splits.enumerated().map { index, value in
                value != split || mine.contains(index) ? value : (split == .train ? .test : .train)
            }
            var shardEvaluator = Evaluator(model: evaluator.model, dataset: shard)
            (shardEvaluator.batchSize, shardEvaluator.progress, shardEvaluator.shouldStop) = (evaluator.batchSize, evaluator.progress, evaluator.shouldStop)
            do {
                let result = try shardEvaluator.evaluate(split: split)
                (labels, predictions, lossSum) = (result.labels, result.predictions, result.loss * Double(length))
            } catch let stop as EvaluationStopped {
                stopped = stop // the others still wait for this rank's share: it joins the gather empty, saying so
            }
        }
        // Every rank's share, padded to the largest (base + 1), then its size and whether it stopped, gathered in rank
        // order: dataset order again.
        let width = base + (extra > 0 ? 1 : 0)
        func padded(_ values: [Int]) -> [Int64] { values.map(Int64.init) + Array(repeating: -1, count: width - values.count) }
        let mine = try Tensor(padded(labels) + padded(predictions) + [Int64(labels.count), stopped == nil ? 0 : 1])
        let all = try collective("gathering the \(split.rawValue) evaluation") { try group.allGather(mine) }
        let rows = try all.scalars(as: Int64.self).map { Int($0) }
        let losses = try Tensor([lossSum])
        try collective("summing the \(split.rawValue) loss") { try group.allReduceSum(losses) }
        var allLabels: [Int] = [], allPredictions: [Int] = [], stoppedRanks: [Int] = []
        let rowWidth = 2 * width + 2
        for r in 0..<worldSize {
            let row = Array(rows[(r * rowWidth)..<((r + 1) * rowWidth)])
            let count = row[2 * width]
            allLabels += row[0..<count]
            allPredictions += row[width..<(width + count)]
            if row[2 * width + 1] != 0 { stoppedRanks.append(r) }
        }
        if let stopped { throw stopped }
        guard stoppedRanks.isEmpty else {
            throw DistributedError("the \(split.rawValue) evaluation stopped: rank \(stoppedRanks.map(String.init).joined(separator: ", ")) "
                                   + "was asked to stop (Ctrl-C)")
        }
        let metrics = ClassificationMetrics(labels: allLabels, predictions: allPredictions, classNames: dataset.classNames)
        return Evaluator.Result(split: split, loss: try losses.item() / Double(indices.count), metrics: metrics,
                                predictions: allPredictions, labels: allLabels, indices: indices)
    }
}
