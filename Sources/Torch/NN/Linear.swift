/// A fully connected layer: y = x Wᵀ + b.
public final class Linear: Module {
    /// `[out, in]`.
    public let weight: Tensor
    /// `[out]`, or nil without bias.
    public let bias: Tensor?
    /// Whether the layer behaves as in training (see `Module.isTraining`).
    public var isTraining = true

    /// A layer from `inputs` to `outputs` features, initialised as PyTorch's `nn.Linear`.
    public init(_ inputs: Int, _ outputs: Int, bias: Bool = true) throws {
        weight = try defaultInitialized(shape: [outputs, inputs], fanIn: inputs)
        self.bias = bias ? try defaultInitialized(shape: [outputs], fanIn: inputs) : nil
    }

    /// This layer's trainable tensors by PyTorch's local names.
    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// The forward pass.
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try Functional.linear(x, weight: weight, bias: bias) }
}
