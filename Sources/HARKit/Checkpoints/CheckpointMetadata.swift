import Foundation

/// Everything in a checkpoint besides tensors, stored as JSON in the file's `harlab.meta` entry.
public struct CheckpointMetadata: Sendable, Equatable, Codable {
    /// The layout version of the checkpoint file.
    public var format: Int
    /// The model spec's name part (e.g. "sa+lstm").
    public var modelName: String
    /// The model spec's options (e.g. hidden → 128).
    public var modelOptions: [String: Double]
    /// The input shape the model was built for.
    public var input: InputShape
    /// The training settings in effect.
    public var config: TrainingConfig
    /// The last finished epoch (0 before any training); the learning-rate schedule continues from it.
    public var epoch: Int
    /// The optimizer's learning rate when saved.
    public var learningRate: Double
    /// Every epoch of the model's training so far.
    public var history: [EpochRecord]
    /// The dataset the model was trained on.
    public var dataset: CheckpointDataset
    /// The library versions that wrote the file.
    public var versions: [String: String]
    /// When the file was written.
    public var savedAt: Date

    /// The model spec, parsed again from its name and options.
    /// - Throws: `ModelSpecError` when this harlab does not know the model.
    public func modelSpec() throws -> ModelSpec {
        try ModelSpec(modelName, options: modelOptions.mapValues { "\($0)" })
    }

    /// "sa+lstm hidden=128 for 128×9 → 6 classes", for messages.
    var modelDescription: String {
        let spec = (try? modelSpec())?.description ?? modelName
        return "'\(spec)' for \(input)"
    }
}
