import Torch

/// The Torch layers harlab models are made of, as ONNX operators of `ONNXExporter.opset`.
/// Weights are read in float64, transformed (batch norm folding, gate reordering, transposes) in float64 and stored
/// as float32, so the only rounding the export adds is the final one.
extension ONNXGraph {
    /// `Conv` with `conv`'s weights, kernel, stride, padding, dilation and groups; with `norm`, the evaluation-mode
    /// batch norm that follows the convolution is folded into its weights and bias (no separate operator remains).
    func convolution(_ conv: Conv2d, folding norm: BatchNorm? = nil, _ x: String, scope: String) throws -> String {
        let shape = conv.weight.shape
        var weight = try conv.weight.scalars(as: Double.self)
        var bias = try conv.bias?.scalars(as: Double.self) ?? [Double](repeating: 0, count: shape[0])
        if let norm {
            let (scale, shift) = try norm.evaluationAffine()
            let perOutput = weight.count / shape[0]
            for output in 0..<shape[0] {
                for i in 0..<perOutput { weight[output * perOutput + i] *= scale[output] }
                bias[output] = bias[output] * scale[output] + shift[output]
            }
        }
        let attributes: [Attribute] = [
            .ints("kernel_shape", [shape[2], shape[3]]), .ints("strides", [conv.stride.0, conv.stride.1]),
            .ints("pads", [conv.padding.0, conv.padding.1, conv.padding.0, conv.padding.1]),
            .ints("dilations", [conv.dilation.0, conv.dilation.1]), .int("group", conv.groups),
        ]
        return node("Conv", [x, constant("\(scope).weight", weight, shape: shape), constant("\(scope).bias", bias, shape: [shape[0]])],
                    attributes, scope: scope)
    }

    /// An evaluation-mode batch norm over axis 1 of a rank-4 value that no convolution directly precedes (it follows
    /// an attention gate): one per-channel scale and shift (`Mul`, `Add`) with the statistics folded in.
    func batchNorm(_ norm: BatchNorm, _ x: String, scope: String) throws -> String {
        let (scale, shift) = try norm.evaluationAffine()
        let shape = [1, scale.count, 1, 1]
        let scaled = node("Mul", [x, constant("\(scope).scale", scale, shape: shape)], scope: scope)
        return node("Add", [scaled, constant("\(scope).shift", shift, shape: shape)], scope: scope)
    }

    /// `Gemm` x·Wᵀ + b for a rank-2 `x` `[B, in]`.
    func linear(_ layer: Linear, _ x: String, scope: String) throws -> String {
        let shape = layer.weight.shape
        let bias = try layer.bias?.scalars(as: Double.self) ?? [Double](repeating: 0, count: shape[0])
        return node("Gemm", [x, constant("\(scope).weight", try layer.weight.scalars(as: Double.self), shape: shape),
                             constant("\(scope).bias", bias, shape: [shape[0]])], [.int("transB", 1)], scope: scope)
    }

    /// `MatMul` then `Add`: x·Wᵀ + b for `x` of any rank (the last axis is the features); `rows` picks a block of the
    /// weight's rows (the query, key or value part of a stacked projection), `scale` multiplies weights and bias.
    func projection(weight: Tensor, bias: Tensor?, rows: Range<Int>? = nil, scale: Double = 1, _ x: String, scope: String) throws -> String {
        let shape = weight.shape
        let rows = rows ?? 0..<shape[0]
        let all = try weight.scalars(as: Double.self), allBias = try bias?.scalars(as: Double.self)
        let inputs = shape[1]
        var transposed = [Double](repeating: 0, count: inputs * rows.count)
        for (column, row) in rows.enumerated() {
            for i in 0..<inputs { transposed[i * rows.count + column] = all[row * inputs + i] * scale }
        }
        let product = node("MatMul", [x, constant("\(scope).weight", transposed, shape: [inputs, rows.count])], scope: scope)
        guard let allBias else { return product }
        return node("Add", [product, constant("\(scope).bias", rows.map { allBias[$0] * scale }, shape: [rows.count])], scope: scope)
    }

    /// Layer normalisation over the last axis (`axis`) of `x`, decomposed into `ReduceMean`, `Sub`, `Mul`, `Add`,
    /// `Sqrt`, `Div` (opset 9 has no LayerNormalization): (x − mean) / √(var + eps) · weight + bias, biased variance.
    func layerNorm(_ norm: LayerNorm, _ x: String, axis: Int, scope: String) throws -> String {
        guard norm.normalizedShape.count == 1 else {
            throw ONNXExportError("\(scope): layer norm over \(norm.normalizedShape.count) trailing axes cannot be exported (one axis only)")
        }
        let mean = node("ReduceMean", [x], [.ints("axes", [axis]), .int("keepdims", 1)], scope: scope)
        let centered = node("Sub", [x, mean], scope: scope)
        let variance = node("ReduceMean", [node("Mul", [centered, centered], scope: scope)], [.ints("axes", [axis]), .int("keepdims", 1)], scope: scope)
        let deviation = node("Sqrt", [node("Add", [variance, constant("\(scope).eps", [norm.eps], shape: [])], scope: scope)], scope: scope)
        var y = node("Div", [centered, deviation], scope: scope)
        let size = norm.normalizedShape[0]
        if let weight = norm.weight { y = node("Mul", [y, constant("\(scope).weight", try weight.scalars(as: Double.self), shape: [size])], scope: scope) }
        if let bias = norm.bias { y = node("Add", [y, constant("\(scope).bias", try bias.scalars(as: Double.self), shape: [size])], scope: scope) }
        return y
    }

    /// `activation` applied elementwise; GELU in its exact erf form, 0.5·x·(1 + erf(x/√2)), as PyTorch's default.
    func activation(_ activation: Activation, _ x: String, scope: String) -> String {
        switch activation {
        case .relu: return node("Relu", [x], scope: scope)
        case .tanh: return node("Tanh", [x], scope: scope)
        case .sigmoid: return node("Sigmoid", [x], scope: scope)
        case .silu: return node("Mul", [x, node("Sigmoid", [x], scope: scope)], scope: scope)
        case .elu: return node("Elu", [x], [.float("alpha", 1)], scope: scope)
        case .leakyRelu(let slope): return node("LeakyRelu", [x], [.float("alpha", slope)], scope: scope)
        case .gelu:
            let erf = node("Erf", [node("Mul", [x, constant("\(scope).inverse_sqrt2", [1 / 2.0.squareRoot()], shape: [])], scope: scope)], scope: scope)
            let onePlus = node("Add", [erf, constant("\(scope).one", [1], shape: [])], scope: scope)
            return node("Mul", [node("Mul", [x, onePlus], scope: scope), constant("\(scope).half", [0.5], shape: [])], scope: scope)
        }
    }

    /// `Reshape` to `shape` (0 keeps the input's size on that axis, -1 takes what is left).
    func reshape(_ x: String, _ shape: [Int], scope: String) -> String {
        node("Reshape", [x, int64Constant("\(scope).shape", shape)], scope: scope)
    }

    /// `Transpose` by `permutation`.
    func transpose(_ x: String, _ permutation: [Int], scope: String) -> String {
        node("Transpose", [x], [.ints("perm", permutation)], scope: scope)
    }
}

extension BatchNorm {
    /// The evaluation-mode normalisation as y = scale·x + shift per channel: scale = γ / √(running var + eps),
    /// shift = β − running mean · scale.
    func evaluationAffine() throws -> (scale: [Double], shift: [Double]) {
        let gamma = try weight.scalars(as: Double.self), beta = try bias.scalars(as: Double.self)
        let mean = try runningMean.scalars(as: Double.self), variance = try runningVar.scalars(as: Double.self)
        let scale = gamma.indices.map { gamma[$0] / (variance[$0] + eps).squareRoot() }
        return (scale, beta.indices.map { beta[$0] - mean[$0] * scale[$0] })
    }
}
