import CTorch

extension Functional {
    /// Batch normalisation in training mode with the statistics of the global batch that the ranks of `group` share
    /// (PyTorch's SyncBatchNorm): `x` `[B, C, …]` is this rank's share; one all-reduce of per-channel count, sum and
    /// sum of squares forward and one of the two gradient sums backward; the running statistics are updated from the
    /// global ones. Every rank must call it in the same order. Its input gradient assumes the caller sums each rank's
    /// gradients weighted by its share of the global batch (`ProcessGroup.sumGradients(of:scale:values:)` with
    /// scale = B / global B, each rank's loss the mean over its own windows): then the sum is the global batch's
    /// gradient (see ctorch_syncbn.h).
    /// - Throws: `TorchError` for shapes that do not match, or a collective that failed (a rank that stopped, the
    ///   group's timeout), naming the pass.
    public static func syncBatchNorm(_ x: Tensor, weight: Tensor, bias: Tensor, runningMean: Tensor, runningVar: Tensor,
                                     momentum: Double = 0.1, eps: Double = 1e-5, group: ProcessGroup) throws -> Tensor {
        try checked(ct_sync_batch_norm(group.handle, x.handle, weight.handle, bias.handle, runningMean.handle, runningVar.handle,
                                       momentum, eps))
    }
}
