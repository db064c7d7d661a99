import Torch

/// The part of a model after the stem: reads `[B, F, T', C]` features and returns logits `[B, K]`.
/// Its children appear at the top level of the model's parameter names (`head.weight`, `lstm.weight_ih_l0`),
/// as in the reference models.
public protocol SequenceReader: Module {
    /// Logits from features, recording layers.
    func read(_ features: Tensor, recorder: LayerRecorder?) throws -> Tensor
    /// Attention maps of the last forward pass.
    var attentionMaps: [AttentionMap] { get }
}

extension SequenceReader {
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try read(x, recorder: nil) }
    public var attentionMaps: [AttentionMap] { [] }
}

/// The reference head: adaptive average pooling to (1, C), flattened F·C features, a linear classifier.
public final class PooledReader: SequenceReader {
    /// Linear F·C → K.
    public let head: Linear
    let dropout: Double
    public var isTraining = true

    /// A head for `width` feature maps over `channels` sensor channels.
    public init(width: Int, channels: Int, classes: Int, dropout: Double) throws {
        head = try Linear(width * channels, classes)
        self.dropout = dropout
    }

    public var children: [(name: String, module: any Module)] { [("head", head)] }

    public func read(_ features: Tensor, recorder: LayerRecorder?) throws -> Tensor {
        // Adaptive average pooling to (1, C) of [B, F, T, C] features is the mean over time, computed as that mean:
        // libtorch 1.13's adaptive pooling is a scalar loop, forward and backward, that took ~4% of a batch-1 `sa`
        // forward on DSADS and 6.6% of a bfloat16 `sa` training run on the OPPORTUNITY shape (perf, docs/PERFORMANCE.md).
        let pooled = try features.mean(alongAxes: 2, keepingDims: true)
        recorder?.record("pool", kind: "AdaptiveAvgPool2d", output: pooled, macs: features.count / max(1, features.shape[0]))
        var flat = try pooled.flattened(from: 1)
        if dropout > 0 { flat = try Functional.dropout(flat, p: dropout, training: isTraining) }
        let logits = try head(flat)
        recorder?.record("head", kind: "Linear", output: logits, parameters: head.parameterCount, macs: head.weight.count)
        return logits
    }
}
