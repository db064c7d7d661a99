import Torch

/// Collects one row per layer during a forward pass, for the model summary.
public final class LayerRecorder {
    /// One layer's entry.
    public struct Row: Sendable, Codable, Equatable {
        /// Dotted layer name (matching parameter names).
        public let name: String
        /// The layer type, e.g. "Conv2d".
        public let kind: String
        /// Output shape with batch 1.
        public let outputShape: [Int]
        /// Trainable scalars owned by the layer.
        public let parameters: Int
        /// Multiply-accumulate operations per window.
        public let macs: Int
    }

    /// The rows in forward order.
    public private(set) var rows: [Row] = []

    /// An empty recorder.
    public init() {}

    /// Adds a row for a layer's output.
    public func record(_ name: String, kind: String, output: Tensor, parameters: Int = 0, macs: Int) {
        rows.append(Row(name: name, kind: kind, outputShape: output.shape, parameters: parameters, macs: macs))
    }
}
