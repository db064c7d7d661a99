import Foundation
import Torch

extension Trainer {
    /// The start of a data-parallel `train`: every rank checks that all train the same dataset, model and
    /// settings, synchronises batch norm or not (`sync_bn`), then takes rank 0's weights; its heartbeat beats from
    /// then on (see `namingLostRanks`).
    func beginDataParallel(_ parallel: DataParallel) throws {
        // A weighted mean's normaliser is the whole batch's weight sum, which share-weighted gradients do not give.
        guard config.classWeights == nil else {
            throw DistributedError("class weights are not supported in data-parallel training yet: 'set class_weights off', "
                                   + "or use 'set sampler balanced' to balance the classes")
        }
        try parallel.agree(on: .training(dataset: dataset, model: model.spec, config: config))
        try parallel.setBatchNormSynchronization(of: model, to: config.syncBatchNorm == true, windows: dataset.indices(in: .train).count,
                                          batchSize: config.batchSize)
        try parallel.adoptPrimaryState(of: model)
        parallel.beatWhileTraining()
    }

    /// The loss and metrics of the validation split: evaluated in shares by the ranks of a data-parallel job (every
    /// rank gets the whole split's scores, so early stopping decides the same everywhere), else here.
    func validationScores() throws -> (loss: Double, metrics: ClassificationMetrics) {
        if let dataParallel { return try dataParallel.evaluate(model, on: dataset, split: .validation) }
        let result = try Evaluator(model: model, dataset: dataset).evaluate(split: .validation)
        return (result.loss, result.metrics)
    }
}
