/// The weights of a fused multi-layer recurrent layer, named and ordered as PyTorch's
/// (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, then `..._reverse`, per layer),
/// which is also the order libtorch's fused kernels expect.
struct RecurrentParameters {
    /// Every weight with its PyTorch name, in kernel order.
    let named: [(name: String, tensor: Tensor)]

    /// Weights for `gates` gates (4 LSTM, 3 GRU), each drawn from U(-1/√hidden, 1/√hidden) as PyTorch does.
    init(kind: String, inputs: Int, hidden: Int, layers: Int, gates: Int, bias: Bool, bidirectional: Bool) throws {
        guard inputs > 0, hidden > 0, layers > 0 else {
            throw TorchError("\(kind): input size \(inputs), hidden size \(hidden) and layers \(layers) must be positive")
        }
        let bound = 1 / Double(hidden).squareRoot()
        func uniform(_ shape: [Int]) throws -> Tensor {
            let t = try Tensor.zeros(shape)
            try t.uniformFill(-bound, bound)
            return try parameter(t)
        }
        var named: [(String, Tensor)] = []
        let directions = bidirectional ? 2 : 1
        for layer in 0..<layers {
            let layerInputs = layer == 0 ? inputs : hidden * directions
            for direction in 0..<directions {
                let suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
                named.append(("weight_ih" + suffix, try uniform([gates * hidden, layerInputs])))
                named.append(("weight_hh" + suffix, try uniform([gates * hidden, hidden])))
                if bias {
                    named.append(("bias_ih" + suffix, try uniform([gates * hidden])))
                    named.append(("bias_hh" + suffix, try uniform([gates * hidden])))
                }
            }
        }
        self.named = named
    }

    /// The tensors in kernel order.
    var tensors: [Tensor] { named.map(\.tensor) }

    /// Checks that `x` is `[B, T, inputs]` (batch first) or `[T, B, inputs]`.
    static func validate(_ x: Tensor, kind: String, inputs: Int) throws {
        guard x.rank == 3, x.shape[2] == inputs else {
            throw TorchError("\(kind): expected a 3-D input whose last size is \(inputs), got shape \(x.shape)")
        }
    }
}
