import Foundation
import Torch

extension Trainer {
    /// How one epoch ended.
    enum EpochResult {
        case finished(EpochRecord)
        case cancelled
        case diverged(String)
    }

    /// One pass over the training batches.
    func runEpoch(epoch: Int, batcher: Batcher, events: ((TrainingEvent) -> Void)?, shouldStop: () -> Bool) throws -> EpochResult {
        let started = Date()
        model.setTraining(true)
        let order = batcher.order(epoch: epoch)
        let batchCount = batcher.batchCount
        events?(.epochStarted(epoch: epoch, batches: batchCount))
        let penalized = penalizedWeights()
        // Batches come as float32; a model converted to float64 (`convert(to:)`) trains in float64, loss included.
        let dtype = model.dtype
        let autocast = precision.autocast
        var lossSum = 0.0, penaltySum = 0.0, correct = 0.0, seen = 0
        let classWeights = try classWeightTensor(dtype: dtype)
        for index in 0..<batchCount {
            if shouldStop() { return .cancelled }
            let batch = try batcher.batch(index, of: order, epoch: epoch)
            try optimizer.zeroGrad()
            let x = try batch.x.converted(to: dtype)
            let logits = try Autocast.run(enabled: autocast) { try model(x) }.converted(to: dtype)
            let loss = try classificationLoss(logits: logits, batch: batch, classWeights: classWeights)
            var total = loss
            if let penalty = try penaltyTerm(penalized) {
                total = try total + penalty
                penaltySum += try penalty.item()
            }
            let lossValue = try loss.item()
            guard lossValue.isFinite else {
                return .diverged("the loss became \(lossValue) at epoch \(epoch), batch \(index + 1); lower the learning rate (now \(optimizer.learningRate))")
            }
            try total.backward()
            if let clip = config.clipNorm { try clipGradNorm(model.parameters, maxNorm: clip) }
            try stepOptimizer()
            let size = batch.indices.count
            lossSum += lossValue * Double(size)
            correct += try logits.argmax(alongAxis: 1).equal(batch.labels).sum().item()
            seen += size
            events?(.batchFinished(epoch: epoch, batch: index + 1, batches: batchCount, loss: lossSum / Double(seen)))
        }
        let seconds = Date().timeIntervalSince(started)
        return .finished(EpochRecord(
            epoch: epoch, trainLoss: seen == 0 ? 0 : lossSum / Double(seen),
            penaltyLoss: batchCount == 0 ? 0 : penaltySum / Double(batchCount),
            trainAccuracy: seen == 0 ? 0 : correct / Double(seen), learningRate: optimizer.learningRate,
            seconds: seconds, windowsPerSecond: seconds > 0 ? Double(seen) / seconds : 0))
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
