import Torch

/// A classifier of sensor windows: `[B, 1, T, C]` in, logits `[B, K]` out.
public protocol HARModel: Module {
    /// The spec the model was built from.
    var spec: ModelSpec { get }
    /// The input shape it was built for.
    var inputShape: InputShape { get }
    /// Attention maps of the last forward pass, in layer order (empty for models without attention).
    var attentionMaps: [AttentionMap] { get }
    /// Runs the forward pass, reporting each layer's output to `recorder` (for `summary`).
    func forward(_ x: Tensor, recorder: LayerRecorder?) throws -> Tensor
}

extension HARModel {
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try forward(x, recorder: nil) }
}

/// The window shape and class count a model is built for.
public struct InputShape: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Time steps per window (T).
    public var time: Int
    /// Sensor channels (C).
    public var channels: Int
    /// Classes (K).
    public var classes: Int

    /// A shape of `time` × `channels` windows and `classes` classes.
    public init(time: Int, channels: Int, classes: Int) { (self.time, self.channels, self.classes) = (time, channels, classes) }

    public var description: String { "\(time)×\(channels) → \(classes) classes" }
}

/// One attention map from the last forward pass.
public struct AttentionMap {
    /// Where it comes from, e.g. "body.1" or "reader.layers.0.self_attn".
    public let layer: String
    /// Spatial maps are `[B, T', C]`; Transformer heads `[B, heads, L, L]`.
    public let weights: Tensor
    /// Which kind of attention produced it.
    public let kind: Kind

    /// The kinds of attention a model can show.
    public enum Kind: String, Sendable { case spatial, channel, heads }
}
