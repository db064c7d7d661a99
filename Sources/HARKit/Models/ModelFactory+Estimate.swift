/// The size of a model computed from its spec alone, before any tensor is allocated.
extension ModelFactory {
    /// Bytes of training state per parameter: the weight, its gradient and two optimizer moments, Float32 each.
    public static let trainingBytesPerParameter = 16.0

    /// The number of parameters `make(spec, input:)` would create, estimated from the same defaults
    /// (exact for the dominant weight matrices; small terms such as norms and attention gates are approximated).
    public static func estimatedParameters(_ spec: ModelSpec, input: InputShape) -> Double {
        let channels = Double(input.channels), classes = Double(input.classes)
        if spec.standaloneName == "deepconvlstm" {
            let width = Double(spec.integer("width", default: 64)), depth = Double(spec.integer("depth", default: 4))
            let convs = (5 * width + width) + max(0, depth - 1) * (5 * width * width + width)
            return convs + recurrent(gates: 4, features: width * channels, hidden: Double(spec.integer("hidden", default: 128)),
                                     layers: Double(spec.integer("layers", default: 2)), classes: classes)
        }
        var features = channels, stemParameters = 0.0, time = Double(input.time)
        if spec.stem != nil {
            let isHybrid = spec.reader != nil
            let width = spec.integer("width", default: isHybrid ? 32 : 64), depth = spec.integer("depth", default: isHybrid ? 2 : 4)
            var channelsIn = 1.0
            for stage in 0..<min(depth, 64) {
                let channelsOut = Double(width) * Double(1 << min(stage, 62))
                // A residual block holds two 3×1 convolutions and a 1×1 shortcut; the plain stage one 3×1 convolution.
                stemParameters += spec.stem == "resnet" ? 3 * channelsOut * (channelsIn + channelsOut) + channelsIn * channelsOut
                    : 3 * channelsIn * channelsOut + 3 * channelsOut
                channelsIn = channelsOut
                time = (time / 2).rounded(.up)
            }
            features = channelsIn * channels
        }
        switch spec.reader {
        case nil:
            return stemParameters + features * classes + classes
        case "lstm", "gru":
            let standalone = spec.stem == nil
            return stemParameters + recurrent(gates: spec.reader == "lstm" ? 4 : 3, features: features,
                                              hidden: Double(spec.integer("hidden", default: standalone ? 512 : 128)),
                                              layers: Double(spec.integer("layers", default: standalone ? 2 : 1)), classes: classes)
        default:
            let patch = spec.stem == nil ? Double(spec.integer("patch", default: max(1, input.time / 16))) : 1
            let size = Double(spec.integer("hidden", default: 64)), layers = Double(spec.integer("layers", default: 2))
            let tokens = (time / patch).rounded(.down)
            // Each encoder layer: attention projections 4d² and a 2d-wide feed-forward block 4d², plus biases and norms.
            return stemParameters + patch * features * size + tokens * size + layers * (8 * size * size + 10 * size) + size * classes
        }
    }

    /// Stacked recurrent layers and their linear head.
    private static func recurrent(gates: Double, features: Double, hidden: Double, layers: Double, classes: Double) -> Double {
        gates * hidden * (features + hidden + 2) + max(0, layers - 1) * gates * hidden * (2 * hidden + 2) + hidden * classes + classes
    }

    /// Throws when training `spec` would need more memory than `ResourceLimits.modelBytes` allows.
    static func checkMemory(_ spec: ModelSpec, input: InputShape) throws {
        let parameters = estimatedParameters(spec, input: input)
        let bytes = parameters * trainingBytesPerParameter
        guard bytes <= Double(ResourceLimits.modelBytes) else {
            let count = parameters < 1e15 ? "\(Int(parameters))" : String(format: "%.2g", parameters)
            throw ModelSpecError("model \(spec) would have about \(count) parameters and need about "
                                 + "\(ResourceLimits.describe(bytes: bytes)) to train (weights, gradients, optimizer state); "
                                 + "the limit here is \(ResourceLimits.describe(bytes: Double(ResourceLimits.modelBytes))) (half the physical memory): "
                                 + "use smaller width, depth, hidden or layers", word: spec.name)
        }
    }
}
