/// The arithmetic a run's forward pass computes in. Weights, optimizer state and checkpoints are float32 either way.
public enum TrainingPrecision: String, Sendable, Equatable, Codable, CaseIterable {
    /// float32 throughout.
    case float32
    /// bfloat16 autocast: matrix products and convolutions in bfloat16, the rest (weights, loss, updates) in float32.
    case bfloat16
}
