/// One Transformer encoder block on batch-first `[B, L, E]` (PyTorch's `nn.TransformerEncoderLayer` with
/// `batch_first=True`): self-attention and a feed-forward network, each with a residual connection and
/// layer normalisation after it (post-norm, PyTorch's default) or before it (`normFirst`).
public final class TransformerEncoderLayer: Module {
    /// The self-attention (`self_attn.*`).
    public let selfAttention: MultiheadAttention
    /// The first feed-forward layer E → feedForward (`linear1`).
    public let linear1: Linear
    /// The second feed-forward layer feedForward → E (`linear2`).
    public let linear2: Linear
    /// The normalisation around the attention (`norm1`).
    public let norm1: LayerNorm
    /// The normalisation around the feed-forward network (`norm2`).
    public let norm2: LayerNorm
    /// Dropout inside the feed-forward network.
    public let dropout: Dropout
    /// Dropout on the attention branch.
    public let dropout1: Dropout
    /// Dropout on the feed-forward branch.
    public let dropout2: Dropout
    /// The feed-forward non-linearity (ReLU by default, as PyTorch's).
    public let activation: Activation
    /// Whether normalisation comes before each block (pre-norm) instead of after the residual sum.
    public let normFirst: Bool
    /// Whether the layer behaves as in training (see `Module.isTraining`).
    public var isTraining = true

    /// A block of width `modelSize` with `heads` heads, initialised as PyTorch's.
    public init(modelSize: Int, heads: Int, feedForward: Int = 2048, dropout: Double = 0.1, activation: Activation = .relu,
                layerNormEps: Double = 1e-5, normFirst: Bool = false) throws {
        selfAttention = try MultiheadAttention(embedDim: modelSize, heads: heads, dropout: dropout)
        linear1 = try Linear(modelSize, feedForward)
        self.dropout = try Dropout(dropout)
        linear2 = try Linear(feedForward, modelSize)
        norm1 = try LayerNorm([modelSize], eps: layerNormEps)
        norm2 = try LayerNorm([modelSize], eps: layerNormEps)
        dropout1 = try Dropout(dropout)
        dropout2 = try Dropout(dropout)
        self.activation = activation
        self.normFirst = normFirst
    }

    /// Sub-modules by PyTorch's local names.
    public var children: [(name: String, module: any Module)] {
        [("self_attn", selfAttention), ("linear1", linear1), ("dropout", dropout), ("linear2", linear2),
         ("norm1", norm1), ("norm2", norm2), ("dropout1", dropout1), ("dropout2", dropout2)]
    }

    /// The block's output `[B, L, E]` and the self-attention weights `[B, heads, L, L]`.
    /// - Parameters:
    ///   - attentionMask: as `MultiheadAttention.forward`'s.
    ///   - keyPaddingMask: bool `[B, L]`, `true` at padded positions.
    public func forward(_ x: Tensor, attentionMask: Tensor? = nil, keyPaddingMask: Tensor? = nil) throws -> (output: Tensor, weights: Tensor) {
        if normFirst {
            let normed = try norm1(x)
            let attended = try selfAttention.forward(query: normed, key: normed, value: normed, attentionMask: attentionMask,
                                                     keyPaddingMask: keyPaddingMask)
            let h = try x + dropout1(attended.output)
            return (try h + dropout2(feedForwardBlock(norm2(h))), attended.weights)
        }
        let attended = try selfAttention.forward(query: x, key: x, value: x, attentionMask: attentionMask, keyPaddingMask: keyPaddingMask)
        let h = try norm1(x + dropout1(attended.output))
        return (try norm2(h + dropout2(feedForwardBlock(h))), attended.weights)
    }

    /// The block's output `[B, L, E]`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try forward(x).output }

    /// linear2(dropout(activation(linear1(x)))).
    private func feedForwardBlock(_ x: Tensor) throws -> Tensor {
        try linear2(dropout(activation.apply(linear1(x))))
    }
}
