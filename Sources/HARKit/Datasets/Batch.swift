import Torch

/// One batch for a model: windows `[B, 1, T, C]` float32, labels `[B]` int64, and where they came from.
public struct Batch {
    /// Windows, `[B, 1, T, C]` float32.
    public let x: Tensor
    /// Class indices, `[B]` int64.
    public let labels: Tensor
    /// The dataset indices of the windows, in batch order.
    public let indices: [Int]
    /// Mixup's blend when the augmentation mixed windows: the loss is `λ·CE(labels) + (1 − λ)·CE(mixLabels)`.
    public let mix: AugmentationPipeline.Mix?
    /// The partners' labels (`[B]` int64) when mixup blended the batch.
    public let mixLabels: Tensor?
}
