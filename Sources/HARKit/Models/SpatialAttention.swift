import Torch

/// The reference spatial attention module: the mean over feature maps, a (3,1) convolution along time,
/// a sigmoid gate multiplied back onto every feature map. The gate `[B, 1, T, C]` is kept as the map.
public final class SpatialAttention: Module {
    /// The 1→1 gate convolution (PyTorch name `gate.0`).
    public let gate: Conv2d
    public var isTraining = true
    /// The gate of the last forward pass, `[B, T, C]`.
    public internal(set) var lastMap: Tensor?

    /// A module initialised as PyTorch's.
    public init() throws {
        gate = try Conv2d(1, 1, kernel: (3, 1), stride: (1, 1), padding: (1, 0))
    }

    public var children: [(name: String, module: any Module)] { [("gate.0", gate)] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let weights = try gate(try x.mean(alongAxes: 1, keepingDims: true)).sigmoid()
        lastMap = try weights.detached().squeezed(axis: 1)
        return try x * weights
    }
}
