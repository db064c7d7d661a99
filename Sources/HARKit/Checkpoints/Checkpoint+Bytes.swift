import Foundation

extension Checkpoint {
    /// The bytes of `trainer`'s checkpoint (the format `save` writes): model, optimizer state, settings and epoch
    /// history, for sending a trainer to another process (a session's workers, the ranks of a `tune`), which continues
    /// it exactly — Adam's moments, the schedule's position and the run's epochs included. The bytes pass through a
    /// private temporary file, as libtorch reads and writes files.
    /// - Throws: `CheckpointError` when the checkpoint cannot be made or written.
    public static func bytes(of trainer: Trainer) throws -> Data {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try Checkpoint(trainer: trainer).write(to: file)
        return try Data(contentsOf: file)
    }

    /// The trainer whose checkpoint `bytes` hold (see `bytes(of:)`), on `dataset` with `augmentation`.
    /// - Throws: `CheckpointError` when the bytes are not a checkpoint or do not fit the dataset.
    public static func trainer(from bytes: Data, dataset: HARDataset, augmentation: AugmentationPipeline? = nil) throws -> Trainer {
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
