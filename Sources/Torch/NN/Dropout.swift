/// Zeroes each element with probability `p` in training mode and scales the rest by 1/(1-p) (PyTorch's `nn.Dropout`).
public final class Dropout: Module {
    /// The probability of zeroing an element.
    public let p: Double
    /// Whether the layer behaves as in training (see `Module.isTraining`).
    public var isTraining = true

    /// A dropout layer.
    /// - Throws: `TorchError` when `p` is outside [0, 1].
    public init(_ p: Double = 0.5) throws {
        guard (0...1).contains(p) else { throw TorchError("Dropout: probability must be in [0, 1], got \(p)") }
        self.p = p
    }

    /// `x` with dropout applied in training mode, unchanged in evaluation mode.
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try Functional.dropout(x, p: p, training: isTraining) }
}
