import CTorch

/// How a loss combines per-element values.
public enum Reduction: Sendable {
    case none, mean, sum
    var code: ct_reduction {
        switch self {
        case .none: return CT_REDUCTION_NONE
        case .mean: return CT_REDUCTION_MEAN
        case .sum: return CT_REDUCTION_SUM
        }
    }
}

/// The fused kernels of neural-network layers, as plain functions (PyTorch's `torch.nn.functional`).
public enum Functional {
    /// 1-D convolution over `[B, Cin, L]`.
    public static func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) throws -> Tensor {
        try checked(ct_nn_conv1d(x.handle, weight.handle, bias?.handle, Int64(stride), Int64(padding), Int64(dilation), Int64(groups)))
    }

    /// 2-D convolution over `[B, Cin, H, W]`.
    public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                              dilation: (Int, Int) = (1, 1), groups: Int = 1) throws -> Tensor {
        let s = [Int64(stride.0), Int64(stride.1)], p = [Int64(padding.0), Int64(padding.1)], d = [Int64(dilation.0), Int64(dilation.1)]
        return try checked(ct_nn_conv2d(x.handle, weight.handle, bias?.handle, s, p, d, Int64(groups)))
    }

    /// x Wᵀ + b.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        try checked(ct_nn_linear(x.handle, weight.handle, bias?.handle))
    }

    /// Max or average pooling over the last one or two dimensions.
    public static func pool(_ x: Tensor, max: Bool, kernel: [Int], stride: [Int]? = nil, padding: [Int]? = nil) throws -> Tensor {
        let k = kernel.map(Int64.init), s = (stride ?? kernel).map(Int64.init)
        let p = (padding ?? kernel.map { _ in 0 }).map(Int64.init)
        guard s.count == k.count, p.count == k.count else { throw TorchError("pooling: kernel, stride and padding need the same length") }
        return try checked(ct_nn_pool(x.handle, max ? 0 : 1, Int32(k.count), k, s, p))
    }

    /// Adaptive max or average pooling to `output` sizes of the last one or two dimensions.
    public static func adaptivePool(_ x: Tensor, max: Bool, output: [Int]) throws -> Tensor {
        let o = output.map(Int64.init)
        return try checked(ct_nn_adaptive_pool(x.handle, max ? 0 : 1, Int32(o.count), o))
    }

    /// Batch normalisation; updates the running statistics in training mode.
    public static func batchNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                                 training: Bool, momentum: Double = 0.1, eps: Double = 1e-5) throws -> Tensor {
        try checked(ct_nn_batch_norm(x.handle, weight?.handle, bias?.handle, runningMean?.handle, runningVar?.handle,
                                     training ? 1 : 0, momentum, eps))
    }

    /// Layer normalisation over the trailing `normalizedShape`.
    public static func layerNorm(_ x: Tensor, normalizedShape: [Int], weight: Tensor?, bias: Tensor?, eps: Double = 1e-5) throws -> Tensor {
        try withSizes(normalizedShape) { try checked(ct_nn_layer_norm(x.handle, $0, $1, weight?.handle, bias?.handle, eps)) }
    }

    /// Zeroes elements with probability `p` and rescales the rest, in training mode only.
    public static func dropout(_ x: Tensor, p: Double, training: Bool) throws -> Tensor {
        guard (0...1).contains(p) else { throw TorchError("dropout probability must be in [0, 1], got \(p)") }
        return try checked(ct_nn_dropout(x.handle, p, training ? 1 : 0))
    }

    /// softmax along `axis`.
    public static func softmax(_ x: Tensor, axis: Int) throws -> Tensor { try checked(ct_nn_softmax(x.handle, Int64(axis))) }

    /// log-softmax along `axis`.
    public static func logSoftmax(_ x: Tensor, axis: Int) throws -> Tensor { try checked(ct_nn_log_softmax(x.handle, Int64(axis))) }

    /// Cross-entropy of `logits` `[B, K]` against int64 class `labels` `[B]`, with optional class weights and label smoothing.
    public static func crossEntropy(logits: Tensor, labels: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean,
                                    labelSmoothing: Double = 0) throws -> Tensor {
        try checked(ct_nn_cross_entropy(logits.handle, labels.handle, weight?.handle, reduction.code, labelSmoothing))
    }

    /// Mean squared error.
    public static func mseLoss(_ a: Tensor, _ b: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        try checked(ct_nn_mse_loss(a.handle, b.handle, reduction.code))
    }

    /// softmax(q kᵀ/√d + mask) v over the last two dimensions; also returns the attention weights (detached).
    public static func attention(query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil, dropout: Double = 0,
                                 training: Bool = false) throws -> (output: Tensor, weights: Tensor) {
        var weights: ct_tensor?
        let output = try checked(ct_nn_attention(query.handle, key.handle, value.handle, mask?.handle, dropout, training ? 1 : 0, &weights))
        return (output, try checked(weights))
    }

    /// A multi-layer LSTM. `parameters` lists w_ih, w_hh, b_ih, b_hh per layer and direction. Evaluation without
    /// autograd takes the cheaper inference path (see `usesRecurrentInferencePath`); training of one direction without
    /// autocast, the shim's one autograd node per layer; anything else libtorch's `at::lstm`.
    public static func lstm(_ x: Tensor, parameters: [Tensor], layers: Int, dropout: Double = 0, training: Bool = false,
                            bidirectional: Bool = false, batchFirst: Bool = true,
                            initial: (h: Tensor, c: Tensor)? = nil) throws -> (output: Tensor, h: Tensor, c: Tensor) {
        if try usesRecurrentInferencePath(.lstm, x, parameters: parameters, layers: layers, training: training, bidirectional: bidirectional) {
            let result = try recurrentInference(.lstm, x, parameters: parameters, layers: layers, batchFirst: batchFirst,
                                                initialH: initial?.h, initialC: initial?.c)
            guard let c = result.c else { throw TorchError("the LSTM inference path returned no cell state") }
            return (result.output, result.h, c)
        }
        var y: ct_tensor?, h: ct_tensor?, c: ct_tensor?
        let handles: [ct_tensor?] = parameters.map { $0.handle }
        _ = try withExtendedLifetime(parameters) {
            try checked(ct_nn_lstm(x.handle, initial?.h.handle, initial?.c.handle, handles, Int32(handles.count), Int64(layers),
                                   dropout, training ? 1 : 0, bidirectional ? 1 : 0, batchFirst ? 1 : 0, &y, &h, &c))
        }
        return (try checked(y), try checked(h), try checked(c))
    }

    /// A multi-layer GRU. `parameters` lists w_ih, w_hh, b_ih, b_hh per layer and direction. Evaluation without
    /// autograd takes the cheaper inference path (see `usesRecurrentInferencePath`); training of one direction without
    /// autocast, the shim's one autograd node per layer; anything else libtorch's `at::gru`.
    public static func gru(_ x: Tensor, parameters: [Tensor], layers: Int, dropout: Double = 0, training: Bool = false,
                           bidirectional: Bool = false, batchFirst: Bool = true, initial: Tensor? = nil) throws -> (output: Tensor, h: Tensor) {
        if try usesRecurrentInferencePath(.gru, x, parameters: parameters, layers: layers, training: training, bidirectional: bidirectional) {
            let result = try recurrentInference(.gru, x, parameters: parameters, layers: layers, batchFirst: batchFirst,
                                                initialH: initial, initialC: nil)
            return (result.output, result.h)
        }
        var y: ct_tensor?, h: ct_tensor?
        let handles: [ct_tensor?] = parameters.map { $0.handle }
        _ = try withExtendedLifetime(parameters) {
            try checked(ct_nn_gru(x.handle, initial?.handle, handles, Int32(handles.count), Int64(layers), dropout, training ? 1 : 0,
                                  bidirectional ? 1 : 0, batchFirst ? 1 : 0, &y, &h))
        }
        return (try checked(y), try checked(h))
    }
}
