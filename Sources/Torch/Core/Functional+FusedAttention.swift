import CTorch

extension Functional {
    /// The spatial-attention block of the `sa` stem as one fused autograd node: the mean of `x` `[B, F, T, C]` over
    /// its F maps, a (3,1) convolution 1→1 along time (padding 1), a sigmoid gate multiplied onto every map, batch
    /// normalisation and ReLU. The same maths as `mean`, `conv2d`, `sigmoid`, `*`, `batchNorm` and `relu` in turn
    /// (batch statistics and the running-statistics update with `momentum` in training, the running statistics in
    /// evaluation), in three passes over `x` forward and two backward instead of six and more.
    ///
    /// bfloat16 `x` (what a convolution gives under bfloat16 autocast) is computed in float32 and gives a bfloat16
    /// output and input gradient, as autocast's bfloat16 batch norm; the other tensors keep their own types.
    /// - Parameters:
    ///   - gateWeight: the gate convolution's weight `[1, 1, 3, 1]`; `gateBias` its bias `[1]`.
    ///   - normWeight: batch norm's scale `[F]`; `normBias` its shift `[F]`.
    ///   - runningMean: batch norm's running mean `[F]`, updated in place in training; with `runningVar`, optional in
    ///     training only.
    /// - Returns: the block's output (x's type) and the gate `[B, 1, T, C]` (float64 for float64 `x`, else float32),
    ///   which carries no gradient.
    /// - Throws: `TorchError` naming the argument whose shape or type does not fit.
    public static func spatialAttentionBlock(_ x: Tensor, gateWeight: Tensor, gateBias: Tensor, normWeight: Tensor,
                                             normBias: Tensor, runningMean: Tensor?, runningVar: Tensor?, training: Bool,
                                             momentum: Double = 0.1, eps: Double = 1e-5) throws -> (output: Tensor, gate: Tensor) {
        var output: ct_tensor?, gate: ct_tensor?
        try checked(ct_fused_spatial_attention(x.handle, gateWeight.handle, gateBias.handle, normWeight.handle, normBias.handle,
                                               runningMean?.handle, runningVar?.handle, training ? 1 : 0, momentum, eps,
                                               &output, &gate))
        return (try checked(output), try checked(gate))
    }
}
