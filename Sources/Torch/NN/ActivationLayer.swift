/// A parameter-free layer applying an `Activation` (PyTorch's `nn.ReLU`, `nn.GELU`, ...), for use in `Sequential`.
public final class ActivationLayer: Module {
    /// The function applied.
    public let activation: Activation
    /// Whether the layer behaves as in training (see `Module.isTraining`).
    public var isTraining = true

    /// A layer applying `activation`.
    public init(_ activation: Activation) { self.activation = activation }

    /// `x` passed through the activation.
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try activation.apply(x) }
}
