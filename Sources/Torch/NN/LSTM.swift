/// A multi-layer long short-term memory network (PyTorch's `nn.LSTM`).
public final class LSTM: Module {
    /// Features per time step of the input.
    public let inputSize: Int
    /// Features of the hidden state per direction.
    public let hiddenSize: Int
    /// Stacked layers.
    public let layers: Int
    /// Whether a second pass runs backwards in time (outputs are concatenated: `2 × hiddenSize`).
    public let bidirectional: Bool
    /// Whether inputs and outputs are `[B, T, F]` (else `[T, B, F]`).
    public let batchFirst: Bool
    /// Dropout between stacked layers in training mode.
    public let dropout: Double
    /// Whether the layer behaves as in training (see `Module.isTraining`).
    public var isTraining = true
    private let weights: RecurrentParameters

    /// An LSTM initialised as PyTorch's: every weight and bias U(-1/√hidden, 1/√hidden).
    public init(inputSize: Int, hiddenSize: Int, layers: Int = 1, bias: Bool = true, batchFirst: Bool = true,
                dropout: Double = 0, bidirectional: Bool = false) throws {
        guard (0...1).contains(dropout) else { throw TorchError("LSTM: dropout must be in [0, 1], got \(dropout)") }
        weights = try RecurrentParameters(kind: "LSTM", inputs: inputSize, hidden: hiddenSize, layers: layers, gates: 4,
                                          bias: bias, bidirectional: bidirectional)
        (self.inputSize, self.hiddenSize, self.layers) = (inputSize, hiddenSize, layers)
        (self.bidirectional, self.batchFirst, self.dropout) = (bidirectional, batchFirst, dropout)
    }

    /// This layer's trainable tensors by PyTorch's local names.
    public var ownParameters: [(name: String, tensor: Tensor)] { weights.named }

    /// The output sequence and the final hidden and cell states `[layers × directions, B, hidden]`.
    /// - Parameter initial: starting `(h, c)`, zeros when nil.
    public func forward(_ x: Tensor, initial: (h: Tensor, c: Tensor)? = nil) throws -> (output: Tensor, state: (h: Tensor, c: Tensor)) {
        try RecurrentParameters.validate(x, kind: "LSTM", inputs: inputSize)
        let result = try Functional.lstm(x, parameters: weights.tensors, layers: layers, dropout: dropout, training: isTraining,
                                         bidirectional: bidirectional, batchFirst: batchFirst, initial: initial)
        return (result.output, (result.h, result.c))
    }

    /// The output sequence `[B, T, directions × hidden]` (batch first).
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try forward(x).output }
}
