import Torch

/// Reads a token sequence with Transformer encoder layers: a linear embedding of each token, learned
/// positional parameters, `layers` encoder layers, the mean over tokens, a linear classifier.
/// Tokens are the stem's time steps (F·C values each) or, with no stem, patches of `patch` raw time
/// steps across all channels.
public final class TransformerReader: SequenceReader {
    /// Token → model size.
    public let embed: Linear
    /// Learned positions `[1, L, d]`.
    public let position: Tensor
    /// The encoder stack.
    public let layers: [TransformerEncoderLayer]
    /// Final normalisation before pooling.
    public let norm: LayerNorm
    /// Linear d → K.
    public let head: Linear
    let patch: Int
    private var lastWeights: [Tensor] = []
    public var isTraining = true

    /// A reader of `tokens` tokens of `features` values (patches of `patch` steps when reading raw windows).
    public init(tokens: Int, features: Int, modelSize: Int, heads: Int, layers depth: Int, classes: Int, dropout: Double, patch: Int) throws {
        guard modelSize % heads == 0 else {
            throw ModelSpecError("hidden=\(modelSize) must be divisible by heads=\(heads)", word: "heads")
        }
        embed = try Linear(features, modelSize)
        let positions = try Tensor.zeros([1, tokens, modelSize])
        try positions.normalFill(mean: 0, std: 0.02)
        try positions.setRequiresGrad(true)
        position = positions
        layers = try (0..<depth).map { _ in
            try TransformerEncoderLayer(modelSize: modelSize, heads: heads, feedForward: 2 * modelSize, dropout: dropout, activation: .gelu)
        }
        norm = try LayerNorm(modelSize)
        head = try Linear(modelSize, classes)
        self.patch = patch
    }

    public var ownParameters: [(name: String, tensor: Tensor)] { [("position", position)] }

    public var children: [(name: String, module: any Module)] {
        [("embed", embed)] + layers.enumerated().map { ("encoder.\($0.offset)", $0.element as any Module) } + [("norm", norm), ("head", head)]
    }

    public var attentionMaps: [AttentionMap] {
        lastWeights.enumerated().map { AttentionMap(layer: "encoder.\($0.offset).self_attn", weights: $0.element, kind: .heads) }
    }

    public func read(_ features: Tensor, recorder: LayerRecorder?) throws -> Tensor {
        let tokens = try tokenize(features)
        var x = try embed(tokens) + position
        recorder?.record("embed", kind: "Linear+position", output: x, parameters: embed.parameterCount + position.count,
                         macs: tokens.shape[1] * embed.weight.count)
        var weights: [Tensor] = []
        for (index, layer) in layers.enumerated() {
            let result = try layer.forward(x)
            x = result.output
            weights.append(result.weights)
            let length = x.shape[1], size = x.shape[2]
            recorder?.record("encoder.\(index)", kind: "TransformerEncoderLayer", output: x, parameters: layer.parameterCount,
                             macs: length * (4 * size * size + 2 * length * size + 4 * size * size))
        }
        lastWeights = weights
        let pooled = try norm(x).mean(alongAxes: 1)
        let logits = try head(pooled)
        recorder?.record("head", kind: "Linear", output: logits, parameters: head.parameterCount + norm.parameterCount, macs: head.weight.count)
        return logits
    }

    /// Stem features `[B, F, T', C]` → `[B, T', F·C]`; raw windows `[B, 1, T, C]` → patches `[B, T/P, P·C]`.
    func tokenize(_ features: Tensor) throws -> Tensor {
        guard patch > 1 else { return try timeMajorSequence(features) }
        let shape = features.shape
        let count = shape[2] / patch
        return try features.narrowed(axis: 2, start: 0, length: count * patch).reshaped(to: [shape[0], count, patch * shape[3]])
    }
}
