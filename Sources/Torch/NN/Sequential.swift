/// Layers applied in order, named "0", "1", ... as PyTorch's `nn.Sequential`.
public final class Sequential: Module {
    /// The layers in order.
    public let layers: [any Module]
    /// Whether the layer behaves as in training (see `Module.isTraining`).
    public var isTraining = true

    /// A container of `layers`.
    public init(_ layers: [any Module]) { self.layers = layers }

    /// Sub-modules by PyTorch's local names.
    public var children: [(name: String, module: any Module)] { layers.enumerated().map { (String($0.offset), $0.element) } }

    /// Feeds `x` through every layer in turn.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try layers.reduce(x) { try $1($0) }
    }
}
