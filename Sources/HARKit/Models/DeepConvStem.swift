import Torch

/// DeepConvLSTM's feature extractor (Ordóñez & Roggen 2016): four convolutions of 64 filters with
/// kernel (5,1) along time, no padding or pooling, each followed by ReLU.
public final class DeepConvStem: FeatureStem {
    let convs: [Conv2d]
    public let outputWidth: Int
    public let outputTime: Int
    public var isTraining = true

    /// A stem of `depth` layers of `width` filters.
    public init(input: InputShape, width: Int, depth: Int) throws {
        let kernel = 5
        guard input.time > depth * (kernel - 1) else {
            throw ModelSpecError("deepconvlstm needs windows longer than \(depth * (kernel - 1)) steps; this dataset has \(input.time)", word: "deepconvlstm")
        }
        convs = try (0..<depth).map { try Conv2d($0 == 0 ? 1 : width, width, kernel: (kernel, 1)) }
        outputWidth = width
        outputTime = input.time - depth * (kernel - 1)
    }

    public var children: [(name: String, module: any Module)] { convs.enumerated().map { ("\(2 * $0.offset)", $0.element as any Module) } }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try forward(x, recorder: nil, prefix: "body") }

    public func forward(_ x: Tensor, recorder: LayerRecorder?, prefix: String) throws -> Tensor {
        var y = x
        for (index, conv) in convs.enumerated() {
            y = try conv(y).relu()
            recorder?.record("\(prefix).\(2 * index)", kind: "Conv2d+ReLU", output: y, parameters: conv.parameterCount,
                             macs: y.count / max(1, y.shape[0]) * conv.weight.shape.dropFirst().reduce(1, *))
        }
        return y
    }

    public func attentionMaps(prefix: String) -> [AttentionMap] { [] }
}
