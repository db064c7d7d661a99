import Foundation
import Torch

extension Trainer {
    /// How one epoch ended.
    enum EpochResult {
        case finished(EpochRecord)
        case cancelled
        case diverged(String)
    }

    /// One pass over the training batches, alone or as one rank of `dataParallel`'s job. Alone, each step trains on
    /// the whole batch. In a job, every rank builds the same global batch (the same shuffled order, the same
    /// augmentation) and trains on its share; the cross-rank step (`DataParallel.finishStep`), which one process does
    /// not have, sums the ranks' share-weighted gradients and their step tallies in one all-reduce, so each step is the
    /// step one process would take on the whole batch, the epoch's loss and accuracy are the global ones, and a stop
    /// asked or a loss that is not finite on any rank ends the epoch on every rank at the same step. A job's epoch
    /// ends with the check that all ranks hold the same weights.
    func runEpoch(epoch: Int, batcher: Batcher, events: ((TrainingEvent) -> Void)?, shouldStop: () -> Bool) throws -> EpochResult {
        let ranks = dataParallel
        let started = Date()
        model.setTraining(true)
        let order = batcher.order(epoch: epoch)
        let batchCount = batcher.batchCount
        events?(.epochStarted(epoch: epoch, batches: batchCount))
        let penalized = penalizedWeights()
        // Batches come as float32; a model converted to float64 (`convert(to:)`) trains in float64, loss included.
        let dtype = model.dtype
        let autocast = precision.autocast
        var totals = StepTally(), penaltySum = 0.0
        try prepareWeightAverage()
        // nil in a job: `beginDataParallel` refuses class weights there.
        let classWeights = try classWeightTensor(dtype: dtype)
        for index in 0..<batchCount {
            // Alone, a stop ends the epoch before the batch; in a job it travels in the step's all-reduce.
            let stopAsked = shouldStop()
            if stopAsked && ranks == nil { return .cancelled }
            let global = try batcher.batch(index, of: order, epoch: epoch)
            let batch = try ranks?.share(of: global) ?? global
            let size = batch.indices.count
            try optimizer.zeroGrad()
            var step = StepTally(windows: Double(size), stoppingRanks: stopAsked ? 1 : 0)
            if size > 0 {
                let x = try batch.x.converted(to: dtype)
                let logits = try Autocast.run(enabled: autocast) { try model(x) }.converted(to: dtype)
                let loss = try classificationLoss(logits: logits, batch: batch, classWeights: classWeights)
                var total = loss
                if let penalty = try penaltyTerm(penalized) {
                    total = try total + penalty
                    penaltySum += try penalty.item()
                }
                let lossValue = try loss.item()
                if lossValue.isFinite {
                    step.weightedLoss = lossValue * Double(size)
                } else if ranks == nil {
                    return .diverged("the loss became \(Self.describe(loss: lossValue)) at epoch \(epoch), batch \(index + 1); lower the learning rate (now \(optimizer.learningRate))")
                } else {
                    step.nonFiniteRanks = 1
                }
                step.correct = try logits.argmax(alongAxis: 1).equal(batch.labels).sum().item()
                try total.backward()
            }
            try ranks?.finishStep(&step, gradients: model.parameters, share: Double(size) / Double(global.indices.count),
                                  epoch: epoch, batch: index + 1)
            if step.stoppingRanks > 0 { return .cancelled }
            guard step.nonFiniteRanks == 0 else {
                return .diverged("the loss became non-finite at epoch \(epoch), batch \(index + 1) on \(counted(Int(step.nonFiniteRanks), "rank")); "
                                 + "lower the learning rate (now \(optimizer.learningRate))")
            }
            if let clip = config.clipNorm { try clipGradNorm(model.parameters, maxNorm: clip) }
            try stepOptimizer()
            try weightAverage?.update(from: model)
            totals.add(step)
            events?(.batchFinished(epoch: epoch, batch: index + 1, batches: batchCount, loss: totals.weightedLoss / Swift.max(1, totals.windows)))
        }
        try ranks?.checkSameWeights(model, epoch: epoch)
        let seconds = Date().timeIntervalSince(started)
        return .finished(EpochRecord(
            epoch: epoch, trainLoss: totals.windows == 0 ? 0 : totals.weightedLoss / totals.windows,
            penaltyLoss: batchCount == 0 ? 0 : penaltySum / Double(batchCount),
            trainAccuracy: totals.windows == 0 ? 0 : totals.correct / totals.windows, learningRate: optimizer.learningRate,
            seconds: seconds, windowsPerSecond: seconds > 0 ? totals.windows / seconds : 0))
    }

    /// Cross-entropy against the batch's labels (each class weighing its entry of `classWeights`, when given), blended
    /// with the partners' labels when mixup mixed the batch.
    func classificationLoss(logits: Tensor, batch: Batch, classWeights: Tensor? = nil) throws -> Tensor {
        let own = try Functional.crossEntropy(logits: logits, labels: batch.labels, weight: classWeights, labelSmoothing: config.labelSmoothing)
        guard let mix = batch.mix, let partners = batch.mixLabels else { return own }
        let other = try Functional.crossEntropy(logits: logits, labels: partners, weight: classWeights, labelSmoothing: config.labelSmoothing)
        let weight = Double(mix.weight)
        return try (own * weight) + (other * (1 - weight))
    }

    /// A loss for a message: "nan" for every NaN (the sign and payload of a NaN depend on the CPU and the operation
    /// that made it, and Swift prints them, e.g. "-nan(0x3ffffe0000000)" on an AMD Zen 3), the value otherwise.
    static func describe(loss: Double) -> String { loss.isNaN ? "nan" : "\(loss)" }

    /// Weights (rank ≥ 2: convolution and linear kernels, not biases or norms) that L1/L2 penalise.
    func penalizedWeights() -> [Tensor] {
        guard config.l1 > 0 || config.l2 > 0 else { return [] }
        return model.parameters.filter { $0.rank >= 2 }
    }

    /// l1·Σ|w| + l2·Σw² over `weights`, or nil when both are off.
    func penaltyTerm(_ weights: [Tensor]) throws -> Tensor? {
        guard !weights.isEmpty else { return nil }
        var terms: [Tensor] = []
        for w in weights {
            if config.l1 > 0 { terms.append(try w.abs().sum() * config.l1) }
            if config.l2 > 0 { terms.append(try w.squared().sum() * config.l2) }
        }
        return try terms.dropFirst().reduce(terms[0]) { try $0 + $1 }
    }
}
