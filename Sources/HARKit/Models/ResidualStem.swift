import Torch

/// A residual feature extractor: per stage, two (3,1) convolutions along time with batch norm and a
/// projected shortcut (1×1 conv, stride (2,1)), ReLU after the sum.
public final class ResidualStem: FeatureStem {
    final class Block: Module, BatchNormFolding {
        let conv1: Conv2d, norm1: BatchNorm, conv2: Conv2d, norm2: BatchNorm, shortcut: Conv2d, shortcutNorm: BatchNorm
        /// Each convolution with its batch norm as one convolution for inference (`BatchNormFold`).
        let folds: (first: BatchNormFold, second: BatchNormFold, shortcut: BatchNormFold)
        var isTraining = true

        init(_ inputs: Int, _ outputs: Int) throws {
            conv1 = try Conv2d(inputs, outputs, kernel: (3, 1), stride: (2, 1), padding: (1, 0), bias: false)
            norm1 = try BatchNorm(outputs)
            conv2 = try Conv2d(outputs, outputs, kernel: (3, 1), stride: (1, 1), padding: (1, 0), bias: false)
            norm2 = try BatchNorm(outputs)
            shortcut = try Conv2d(inputs, outputs, kernel: (1, 1), stride: (2, 1), bias: false)
            shortcutNorm = try BatchNorm(outputs)
            folds = (BatchNormFold(conv: conv1, norm: norm1), BatchNormFold(conv: conv2, norm: norm2),
                     BatchNormFold(conv: shortcut, norm: shortcutNorm))
        }

        var batchNormFolds: [BatchNormFold] { [folds.first, folds.second, folds.shortcut] }

        var children: [(name: String, module: any Module)] {
            [("conv1", conv1), ("bn1", norm1), ("conv2", conv2), ("bn2", norm2), ("shortcut.0", shortcut), ("shortcut.1", shortcutNorm)]
        }

        func callAsFunction(_ x: Tensor) throws -> Tensor {
            let main = try folds.second.forward(try folds.first.forward(x).relu())
            return try (main + (try folds.shortcut.forward(x))).relu()
        }
    }

    let blocks: [Block]
    public let outputWidth: Int
    public let outputTime: Int
    public var isTraining = true

    /// `depth` residual stages starting at `width` maps, doubling each stage.
    public init(input: InputShape, width: Int, depth: Int) throws {
        var blocks: [Block] = [], channels = 1, time = input.time
        for stage in 0..<depth {
            blocks.append(try Block(channels, width << stage))
            channels = width << stage
            time = (time - 1) / 2 + 1
        }
        self.blocks = blocks
        outputWidth = channels
        outputTime = time
    }

    public var children: [(name: String, module: any Module)] { blocks.enumerated().map { ("\($0.offset)", $0.element) } }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try forward(x, recorder: nil, prefix: "body") }

    public func forward(_ x: Tensor, recorder: LayerRecorder?, prefix: String) throws -> Tensor {
        var y = x
        for (index, block) in blocks.enumerated() {
            let inputs = y.shape[1]
            y = try block(y)
            let perWindow = y.count / max(1, y.shape[0])
            let outputs = y.shape[1]
            recorder?.record("\(prefix).\(index)", kind: "ResidualBlock", output: y, parameters: block.parameterCount,
                             macs: perWindow * (inputs * 3 + outputs * 3 + inputs) + 4 * perWindow)
        }
        return y
    }

    public func attentionMaps(prefix: String) -> [AttentionMap] { [] }
}
