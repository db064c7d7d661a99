import Foundation
import Torch

extension Trainer {
    /// The start of a data-parallel `train`: every rank checks that all train the same dataset, model and
    /// settings, synchronises batch norm or not (`sync_bn`), then takes rank 0's weights.
    func beginDataParallel(_ parallel: DataParallel) throws {
        // A weighted mean's normaliser is the whole batch's weight sum, which share-weighted gradients do not give.
        guard config.classWeights == nil else {
            throw DistributedError("class weights are not supported in data-parallel training yet: 'set class_weights off', "
                                   + "or use 'set sampler balanced' to balance the classes")
        }
        try parallel.agree(on: .training(dataset: dataset, model: model.spec, config: config))
        try parallel.synchronizeBatchNorm(of: model, config.syncBatchNorm == true, windows: dataset.indices(in: .train).count,
                                          batchSize: config.batchSize)
        try parallel.adoptPrimaryState(of: model)
    }

    /// One data-parallel pass over the training batches: every rank builds the same global batch (the same
    /// shuffled order, the same augmentation), trains on its share, and the ranks sum their share-weighted
    /// gradients in one all-reduce per step, so each step is the step one process would take on the whole batch.
    /// The epoch's loss and accuracy are the global ones; the epoch ends with the check that all weights agree.
    /// A loss that is not finite on any rank, or a stop asked on any rank, ends the epoch on every rank.
    func runDataParallelEpoch(_ parallel: DataParallel, epoch: Int, batcher: Batcher, events: ((TrainingEvent) -> Void)?,
                              shouldStop: () -> Bool) throws -> EpochResult {
        let started = Date()
        model.setTraining(true)
        let order = batcher.order(epoch: epoch)
        let batchCount = batcher.batchCount
        events?(.epochStarted(epoch: epoch, batches: batchCount))
        let penalized = penalizedWeights()
        let dtype = model.dtype
        let autocast = precision.autocast
        var lossSum = 0.0, penaltySum = 0.0, correct = 0.0, seen = 0.0
        try prepareWeightAverage()
        for index in 0..<batchCount {
            let global = try batcher.batch(index, of: order, epoch: epoch)
            let batch = try parallel.share(of: global)
            let size = batch.indices.count
            try optimizer.zeroGrad()
            // [loss × windows, correct, windows, non-finite losses, ranks asking to stop], summed over the ranks.
            var values = [0.0, 0, Double(size), 0, shouldStop() ? 1 : 0]
            if size > 0 {
                let x = try batch.x.converted(to: dtype)
                let logits = try Autocast.run(enabled: autocast) { try model(x) }.converted(to: dtype)
                let loss = try classificationLoss(logits: logits, batch: batch)
                var total = loss
                if let penalty = try penaltyTerm(penalized) {
                    total = try total + penalty
                    penaltySum += try penalty.item()
                }
                let lossValue = try loss.item()
                values[0] = lossValue.isFinite ? lossValue * Double(size) : 0
                values[1] = try logits.argmax(alongAxis: 1).equal(batch.labels).sum().item()
                values[3] = lossValue.isFinite ? 0 : 1
                try total.backward()
            }
            try parallel.sumGradients(of: model.parameters, share: Double(size) / Double(global.indices.count), values: &values,
                                      epoch: epoch, batch: index + 1)
            if values[4] > 0 { return .cancelled }
            guard values[3] == 0 else {
                return .diverged("the loss became non-finite at epoch \(epoch), batch \(index + 1) on \(counted(Int(values[3]), "rank")); "
                                 + "lower the learning rate (now \(optimizer.learningRate))")
            }
            if let clip = config.clipNorm { try clipGradNorm(model.parameters, maxNorm: clip) }
            try stepOptimizer()
            try weightAverage?.update(from: model)
            lossSum += values[0]
            correct += values[1]
            seen += values[2]
            events?(.batchFinished(epoch: epoch, batch: index + 1, batches: batchCount, loss: lossSum / Swift.max(1, seen)))
        }
        try parallel.checkSameWeights(model, epoch: epoch)
        let seconds = Date().timeIntervalSince(started)
        return .finished(EpochRecord(
            epoch: epoch, trainLoss: seen == 0 ? 0 : lossSum / seen,
            penaltyLoss: batchCount == 0 ? 0 : penaltySum / Double(batchCount),
            trainAccuracy: seen == 0 ? 0 : correct / seen, learningRate: optimizer.learningRate,
            seconds: seconds, windowsPerSecond: seconds > 0 ? seen / seconds : 0))
    }

    /// The loss and metrics of the validation split: evaluated in shares by the ranks of a data-parallel job (every
    /// rank gets the whole split's scores, so early stopping decides the same everywhere), else here.
    func validationScores() throws -> (loss: Double, metrics: ClassificationMetrics) {
        if let dataParallel { return try dataParallel.evaluate(model, on: dataset, split: .validation) }
        let result = try Evaluator(model: model, dataset: dataset).evaluate(split: .validation)
        return (result.loss, result.metrics)
    }
}
