import Foundation
import HARKit

/// A trainer sent from a session to its workers: the session's model, optimizer state, settings and epoch history
/// as the bytes of a checkpoint (the format `save` writes), so that a worker that joined after the trainer was made
/// continues it exactly as the session does — Adam's moments, the schedule's position and the run's epochs
/// included. The bytes pass through a private temporary file on each side (libtorch reads and writes files).
enum TrainerTransfer {
    /// The checkpoint bytes of `trainer`.
    /// - Throws: `CheckpointError` when the checkpoint cannot be made or written.
    static func bytes(of trainer: Trainer) throws -> Data {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try Checkpoint(trainer: trainer).write(to: file)
        return try Data(contentsOf: file)
    }

    /// The trainer `bytes` hold, on `dataset` with `augmentation`.
    /// - Throws: `CheckpointError` when the bytes are not a checkpoint or do not fit the dataset.
    static func trainer(from bytes: Data, dataset: HARDataset, augmentation: AugmentationPipeline?) throws -> Trainer {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try bytes.write(to: file)
        return try Checkpoint(contentsOf: file).makeTrainer(dataset: dataset, augmentation: augmentation)
    }

    /// A new file name in the temporary folder, for this process alone.
    private static func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("harlab-trainer-\(getpid())-\(UUID().uuidString).ckpt")
    }
}
