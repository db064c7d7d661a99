import Torch

/// Channel attention over sensor channels: squeeze each sensor channel over time and feature maps,
/// a bottleneck MLP (÷4) and a sigmoid gate per sensor channel, multiplied back.
public final class ChannelAttention: Module {
    /// Squeeze layer C → C/4.
    public let squeeze: Linear
    /// Excite layer C/4 → C.
    public let excite: Linear
    public var isTraining = true
    /// The gate of the last forward pass, `[B, 1, C]` (one weight per sensor channel).
    public private(set) var lastMap: Tensor?

    /// A module for `channels` sensor channels.
    public init(channels: Int) throws {
        let reduced = max(1, channels / 4)
        squeeze = try Linear(channels, reduced)
        excite = try Linear(reduced, channels)
    }

    public var children: [(name: String, module: any Module)] { [("squeeze", squeeze), ("excite", excite)] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let pooled = try x.mean(alongAxes: 1, 2)  // [B, C]
        let weights = try excite(try squeeze(pooled).relu()).sigmoid()  // [B, C]
        lastMap = try weights.detached().unsqueezed(axis: 1)
        let shape = x.shape
        return try x * weights.reshaped(to: [shape[0], 1, 1, shape[3]])
    }
}
