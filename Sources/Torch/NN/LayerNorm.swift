/// Layer normalisation over the trailing dimensions (PyTorch's `nn.LayerNorm`).
public final class LayerNorm: Module {
    /// Scale of `normalizedShape`, initialised to 1 (nil without affine parameters).
    public let weight: Tensor?
    /// Shift of `normalizedShape`, initialised to 0 (nil without affine parameters).
    public let bias: Tensor?
    /// The trailing sizes normalised together.
    public let normalizedShape: [Int]
    /// Added to the variance for stability.
    public let eps: Double
    /// Whether the layer behaves as in training (see `Module.isTraining`).
    public var isTraining = true

    /// A layer normalising the trailing `normalizedShape` dimensions.
    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true) throws {
        guard !normalizedShape.isEmpty, normalizedShape.allSatisfy({ $0 > 0 }) else {
            throw TorchError("LayerNorm: normalized shape \(normalizedShape) must be non-empty and positive")
        }
        weight = elementwiseAffine ? try parameter(try Tensor.ones(normalizedShape)) : nil
        bias = elementwiseAffine ? try parameter(try Tensor.zeros(normalizedShape)) : nil
        self.normalizedShape = normalizedShape
        self.eps = eps
    }

    /// A layer normalising the last dimension of size `features`.
    public convenience init(_ features: Int, eps: Double = 1e-5) throws { try self.init([features], eps: eps) }

    /// This layer's trainable tensors by PyTorch's local names.
    public var ownParameters: [(name: String, tensor: Tensor)] {
        (weight.map { [("weight", $0)] } ?? []) + (bias.map { [("bias", $0)] } ?? [])
    }

    /// Normalises `x` over its trailing `normalizedShape` dimensions.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Functional.layerNorm(x, normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
    }
}
