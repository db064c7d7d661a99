import Torch

/// A model composed of an optional convolutional stem and a reader: the reference spatial attention
/// network is `sa` stem + pooled head; `attn+lstm` is the same stem read by an LSTM; `lstm` alone reads
/// the raw channels.
public final class ComposedModel: HARModel {
    public let spec: ModelSpec
    public let inputShape: InputShape
    /// The feature extractor, or nil when the reader sees the raw window.
    public let stem: (any FeatureStem)?
    /// Reads the features into logits.
    public let reader: any SequenceReader
    /// Training or evaluation mode. The reader's children are listed as the model's own (for PyTorch's parameter
    /// names), so `setTraining` does not reach the reader itself: its dropout before the head reads this value.
    public var isTraining = true {
        didSet { reader.isTraining = isTraining }
    }

    init(spec: ModelSpec, input: InputShape, stem: (any FeatureStem)?, reader: any SequenceReader) {
        self.spec = spec
        inputShape = input
        self.stem = stem
        self.reader = reader
    }

    public var ownParameters: [(name: String, tensor: Tensor)] { reader.ownParameters }

    public var children: [(name: String, module: any Module)] {
        (stem.map { [("body", $0 as any Module)] } ?? []) + reader.children
    }

    public var attentionMaps: [AttentionMap] { (stem?.attentionMaps(prefix: "body") ?? []) + reader.attentionMaps }

    public func forward(_ x: Tensor, recorder: LayerRecorder?) throws -> Tensor {
        let shape = x.shape
        guard shape.count == 4, shape[1] == 1, shape[2] == inputShape.time, shape[3] == inputShape.channels else {
            throw ModelError("model \(spec.name) expects windows [B, 1, \(inputShape.time), \(inputShape.channels)], got \(shape)")
        }
        let features = try stem?.forward(x, recorder: recorder, prefix: "body") ?? x
        return try reader.read(features, recorder: recorder)
    }
}
