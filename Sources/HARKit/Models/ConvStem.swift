import Torch

/// The reference network's feature extractor: stages of Conv2d kernel (3,1) stride (2,1) padding (1,0),
/// each followed by optional attention, BatchNorm2d and ReLU. Kernels run along time, one sensor channel
/// at a time, so `[B, 1, T, C]` becomes `[B, F, T', C]`.
///
/// Children are numbered as the reference's `nn.Sequential` (`body.0` conv, `body.1` attention,
/// `body.2` batch norm, `body.3` ReLU, …), so weights map one-to-one onto the PyTorch model.
public final class ConvStem: Module {
    /// Attention applied after each convolution.
    public enum Attention: Sendable { case none, spatial, channel }

    struct Stage {
        let conv: Conv2d
        let attention: (any Module)?
        let norm: BatchNorm
        let firstIndex: Int
    }

    let stages: [Stage]
    /// Feature maps of the last stage (F).
    public let outputWidth: Int
    /// Time steps after the stages (T').
    public let outputTime: Int
    public var isTraining = true
    /// Whether spatial-attention stages run attention + batch norm + ReLU as one fused kernel (`fusedSpatialStage`)
    /// instead of layer by layer; the same maths either way. nil (the default) fuses float32 and bfloat16 activations,
    /// where the kernel (with its AVX2/AVX-512 copies) measured faster than the layers on every benchmark shape, and
    /// runs float64, the precision of the equivalence proofs, layer by layer (docs/PERFORMANCE.md: `har-bench --fusion-pairs`). A stage whose batch norm is synchronised across the ranks
    /// of a job (`BatchNorm.synchronization`) always runs layer by layer.
    public var fusesSpatialAttention: Bool?

    /// A stem of `depth` stages starting at `width` feature maps, doubling each stage.
    public init(input: InputShape, width: Int, depth: Int, attention: Attention) throws {
        var stages: [Stage] = []
        var channelsIn = 1, time = input.time, index = 0
        for stage in 0..<depth {
            let channelsOut = width << stage
            let conv = try Conv2d(channelsIn, channelsOut, kernel: (3, 1), stride: (2, 1), padding: (1, 0))
            let module: (any Module)?
            switch attention {
            case .none: module = nil
            case .spatial: module = try SpatialAttention()
            case .channel: module = try ChannelAttention(channels: input.channels)
            }
            stages.append(Stage(conv: conv, attention: module, norm: try BatchNorm(channelsOut), firstIndex: index))
            index += module == nil ? 3 : 4
            channelsIn = channelsOut
            time = (time + 2 - 3) / 2 + 1
        }
        self.stages = stages
        outputWidth = channelsIn
        outputTime = time
    }

    public var children: [(name: String, module: any Module)] {
        stages.flatMap { stage -> [(name: String, module: any Module)] in
            var list: [(name: String, module: any Module)] = [("\(stage.firstIndex)", stage.conv)]
            if let attention = stage.attention { list.append(("\(stage.firstIndex + 1)", attention)) }
            list.append(("\(stage.firstIndex + (stage.attention == nil ? 1 : 2))", stage.norm))
            return list
        }
    }

    /// Attention maps of the last forward pass, by layer name.
    public func attentionMaps(prefix: String) -> [AttentionMap] {
        stages.compactMap { stage in
            let name = "\(prefix).\(stage.firstIndex + 1)"
            if let spatial = stage.attention as? SpatialAttention, let map = spatial.lastMap {
                return AttentionMap(layer: name, weights: map, kind: .spatial)
            }
            if let channel = stage.attention as? ChannelAttention, let map = channel.lastMap {
                return AttentionMap(layer: name, weights: map, kind: .channel)
            }
            return nil
        }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try forward(x, recorder: nil, prefix: "body") }

    /// The stages' forward pass, recording each layer under `prefix`.
    public func forward(_ x: Tensor, recorder: LayerRecorder?, prefix: String) throws -> Tensor {
        var y = x
        for stage in stages {
            y = try stage.conv(y)
            if recorder == nil, stage.norm.synchronization == nil, fusesSpatialAttention ?? Self.fusesByDefault(y.dtype), let spatial = stage.attention as? SpatialAttention, Self.fuses(y) {
                y = try fusedSpatialStage(y, attention: spatial, norm: stage.norm)
                continue
            }
            recorder?.record("\(prefix).\(stage.firstIndex)", kind: "Conv2d", output: y, parameters: stage.conv.parameterCount,
                             macs: y.count / max(1, y.shape[0]) * stage.conv.weight.shape.dropFirst().reduce(1, *))
            if let attention = stage.attention {
                y = try attention(y)
                let macs = attention is SpatialAttention ? y.count / max(1, y.shape[0]) / max(1, y.shape[1]) * 3 + y.count / max(1, y.shape[0])
                    : attention.parameterCount + y.count / max(1, y.shape[0])
                recorder?.record("\(prefix).\(stage.firstIndex + 1)", kind: attention is SpatialAttention ? "SpatialAttention" : "ChannelAttention",
                                 output: y, parameters: attention.parameterCount, macs: macs)
            }
            y = try stage.norm(y).relu()
            recorder?.record("\(prefix).\(stage.firstIndex + (stage.attention == nil ? 1 : 2))", kind: "BatchNorm2d+ReLU", output: y,
                             parameters: stage.norm.parameterCount, macs: y.count / max(1, y.shape[0]))
        }
        return y
    }
}
