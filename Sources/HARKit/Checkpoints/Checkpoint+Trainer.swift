import Foundation
import Torch

extension Checkpoint {
    /// A checkpoint of `trainer`: its model, optimizer, settings and history, and its dataset's description.
    public init(trainer: Trainer, savedAt: Date = Date()) throws {
        try self.init(model: trainer.model, optimizer: trainer.optimizer, config: trainer.config, dataset: CheckpointDataset(trainer.dataset),
                      history: trainer.history, savedAt: savedAt)
    }

    /// A trainer that continues where the checkpoint left off, on `dataset` (same channels, window and classes;
    /// see `prepared(_:)` for scaling it as the checkpoint's data was).
    /// - Throws: `CheckpointError` when the dataset does not fit or the model cannot be rebuilt.
    public func makeTrainer(dataset: HARDataset, augmentation: AugmentationPipeline? = nil) throws -> Trainer {
        try checkCompatible(with: CheckpointDataset(dataset))
        let trainer = try Trainer(model: try makeModel(), dataset: dataset, config: metadata.config, augmentation: augmentation)
        try restore(into: trainer)
        return trainer
    }

    /// Loads weights, optimizer state, settings and history into `trainer`, so that training on continues as the
    /// saved trainer would have; libtorch's random state is restored too.
    /// - Throws: `CheckpointError` when the trainer's model or dataset does not fit; the trainer is then unchanged.
    public func restore(into trainer: Trainer) throws {
        try checkCompatible(with: CheckpointDataset(trainer.dataset))
        let previous = trainer.config
        do {
            try trainer.apply(metadata.config)
            try restore(into: trainer.model, optimizer: trainer.optimizer)
        } catch {
            try? trainer.apply(previous)
            throw error as? CheckpointError ?? CheckpointError("cannot restore the checkpoint's settings: \(error)")
        }
        trainer.history = metadata.history
        if randomState != nil { try restoreRandomState() }
    }

    /// `dataset` with its windows scaled by the checkpoint's normalisation statistics instead of its own, so a
    /// saved model sees new data as it saw its training data.
    /// - Throws: `CheckpointError` when the channels, window or classes differ from the checkpoint's.
    public func prepared(_ dataset: HARDataset) throws -> HARDataset {
        try checkCompatible(with: CheckpointDataset(dataset))
        let target = metadata.dataset.preprocessing, own = dataset.protocolDescription
        if own.normalized == target.normalized, own.mean == target.mean, own.std == target.std { return dataset }
        let channels = dataset.channelCount
        guard !target.normalized || target.mean.count == channels, !own.normalized || own.mean.count == channels else {
            throw CheckpointError("normalisation statistics of '\(dataset.name)' or of the checkpoint do not have \(channels) channels")
        }
        var result = dataset
        result.windows.withUnsafeMutableBufferPointer { values in
            for index in values.indices {
                let c = index % channels
                var raw = values[index]
                if own.normalized { raw = raw * own.std[c] + own.mean[c] }
                values[index] = target.normalized ? (raw - target.mean[c]) / target.std[c] : raw
            }
        }
        result.protocolDescription.normalized = target.normalized
        result.protocolDescription.mean = target.mean
        result.protocolDescription.std = target.std
        return result
    }
}
