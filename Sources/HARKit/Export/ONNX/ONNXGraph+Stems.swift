import Torch

/// harlab's convolutional stems as ONNX: `[B, 1, T, C]` → `[B, F, T′, C]`, layer by layer as their forward passes.
extension ONNXGraph {
    /// The stem's operators, named under `prefix` as its layers (`body.0`, …).
    /// - Throws: `ONNXExportError` for a stem type the exporter does not know.
    func stem(_ stem: any FeatureStem, _ x: String, prefix: String) throws -> String {
        switch stem {
        case let stem as ConvStem: return try convStem(stem, x, prefix: prefix)
        case let stem as ResidualStem: return try residualStem(stem, x, prefix: prefix)
        case let stem as DeepConvStem:
            var y = x
            for (index, conv) in stem.convs.enumerated() {
                let scope = "\(prefix).\(2 * index)"
                y = node("Relu", [try convolution(conv, y, scope: scope)], scope: scope)
            }
            return y
        default:
            throw ONNXExportError("the stem \(type(of: stem)) has no ONNX form in this exporter")
        }
    }

    /// Stages of convolution, optional attention gate, batch norm and ReLU. Without attention the batch norm is folded
    /// into the convolution; after a gate it stays a per-channel scale and shift (the gate reads the convolution's
    /// unscaled output, so folding would change what it sees).
    private func convStem(_ stem: ConvStem, _ x: String, prefix: String) throws -> String {
        var y = x
        for stage in stem.stages {
            let convScope = "\(prefix).\(stage.firstIndex)"
            let normScope = "\(prefix).\(stage.firstIndex + (stage.attention == nil ? 1 : 2))"
            switch stage.attention {
            case nil:
                y = try convolution(stage.conv, folding: stage.norm, y, scope: convScope)
            case let attention as SpatialAttention:
                let scope = "\(prefix).\(stage.firstIndex + 1)"
                y = try spatialAttention(attention, try convolution(stage.conv, y, scope: convScope), scope: scope)
                y = try batchNorm(stage.norm, y, scope: normScope)
            case let attention as ChannelAttention:
                let scope = "\(prefix).\(stage.firstIndex + 1)"
                y = try channelAttention(attention, try convolution(stage.conv, y, scope: convScope), scope: scope)
                y = try batchNorm(stage.norm, y, scope: normScope)
            case let other?:
                throw ONNXExportError("\(prefix).\(stage.firstIndex + 1): attention \(type(of: other)) has no ONNX form in this exporter")
            }
            y = node("Relu", [y], scope: normScope)
        }
        return y
    }

    /// x · sigmoid(conv(mean over feature maps of x)): the gate `[B, 1, T, C]` broadcast over the feature maps.
    private func spatialAttention(_ attention: SpatialAttention, _ x: String, scope: String) throws -> String {
        let mean = node("ReduceMean", [x], [.ints("axes", [1]), .int("keepdims", 1)], scope: scope)
        let gate = node("Sigmoid", [try convolution(attention.gate, mean, scope: "\(scope).gate.0")], scope: scope)
        return node("Mul", [x, gate], scope: scope)
    }

    /// x · sigmoid(excite(relu(squeeze(mean over feature maps and time of x)))): one weight per sensor channel.
    private func channelAttention(_ attention: ChannelAttention, _ x: String, scope: String) throws -> String {
        let pooled = node("ReduceMean", [x], [.ints("axes", [1, 2]), .int("keepdims", 0)], scope: scope)
        let squeezed = node("Relu", [try linear(attention.squeeze, pooled, scope: "\(scope).squeeze")], scope: scope)
        let weights = node("Sigmoid", [try linear(attention.excite, squeezed, scope: "\(scope).excite")], scope: scope)
        let gate = node("Unsqueeze", [weights], [.ints("axes", [1, 2])], scope: scope)
        return node("Mul", [x, gate], scope: scope)
    }

    /// Residual blocks: relu(bn2(conv2(relu(bn1(conv1 x)))) + bn(shortcut x)), every batch norm folded.
    private func residualStem(_ stem: ResidualStem, _ x: String, prefix: String) throws -> String {
        var y = x
        for (index, block) in stem.blocks.enumerated() {
            let scope = "\(prefix).\(index)"
            let first = node("Relu", [try convolution(block.conv1, folding: block.norm1, y, scope: "\(scope).conv1")], scope: scope)
            let main = try convolution(block.conv2, folding: block.norm2, first, scope: "\(scope).conv2")
            let shortcut = try convolution(block.shortcut, folding: block.shortcutNorm, y, scope: "\(scope).shortcut.0")
            y = node("Relu", [node("Add", [main, shortcut], scope: scope)], scope: scope)
        }
        return y
    }
}
